namespace Workflow.Activities.Documents;

/// <summary>An inline item with what the order check needs: which kind of marker and its number.</summary>
internal readonly record struct OutlineInlineMarker(InlineItem Item, char Family, int Value);

/// <summary>
/// Enumerations inside paragraphs: 一是…十是 (family '是'), 第一，…第十， (family '第', also 第十一，) and 其一，…其十，
/// (family '其'). A marker only counts where an enumeration can begin: at the start of a paragraph (after
/// indentation) or after punctuation (。；：，！？、 and closing brackets/quotes), so 统一是, 之一是, 排名第一，
/// and 第一职责 are text; 一是否 is text too.
/// </summary>
internal static class OutlineInlineItems
{
    private const string OpeningPunctuation = "。；;：:，,！!？?、）)”’」』】…";

    /// <summary>The markers in [<paramref name="start"/>, <paramref name="end"/>), whose first character is on
    /// 1-based line <paramref name="firstLine"/>. An item's text runs to the next marker or the end of the line.</summary>
    public static List<OutlineInlineMarker> Find(string s, int start, int end, int firstLine)
    {
        var found = new List<(int Start, int TextStart, string Marker, char Family, int Value, int Line)>();
        var line = firstLine;
        for (var i = start; i < end; i++)
        {
            var c = s[i];
            if (c == '\n')
            {
                line++;
                continue;
            }

            if (c is not ('第' or '其' or '一' or '二' or '三' or '四' or '五' or '六' or '七' or '八' or '九' or '十'))
            {
                continue;
            }

            if (i > 0 && s[i - 1] != '\n' && !OutlineHeadings.IsSpace(s[i - 1]) && !OpeningPunctuation.Contains(s[i - 1], StringComparison.Ordinal))
            {
                continue;
            }

            if (TryMarker(s, i, end, out var markerEnd, out var textStart, out var family, out var value))
            {
                found.Add((i, textStart, s[i..markerEnd], family, value, line));
                i = textStart - 1;
            }
        }

        var result = new List<OutlineInlineMarker>(found.Count);
        for (var k = 0; k < found.Count; k++)
        {
            var f = found[k];
            // Look for the line end only up to the next marker, so a long line of markers stays linear.
            var limit = k + 1 < found.Count ? found[k + 1].Start : end;
            var lineEnd = s.IndexOf('\n', f.TextStart, limit - f.TextStart);
            var textEnd = lineEnd < 0 ? limit : lineEnd;

            var text = s[f.TextStart..textEnd].Trim().Trim('\uFEFF');
            result.Add(new OutlineInlineMarker(new InlineItem(f.Marker, text, f.Line), f.Family, f.Value));
        }

        return result;
    }

    private static bool TryMarker(string s, int i, int end, out int markerEnd, out int textStart, out char family, out int value)
    {
        markerEnd = textStart = 0;
        family = '\0';
        value = 0;
        var c = s[i];
        if (c == '第' || c == '其')
        {
            var p = i + 1;
            while (p < end && p - i <= 3 && OutlineNumerals.IsChineseNumeral(s[p]))
            {
                p++;
            }

            var digits = p - i - 1;
            if (digits == 0 || (c == '其' && digits != 1) || p >= end || s[p] is not ('，' or ','))
            {
                return false;
            }

            value = OutlineNumerals.ParseChinese(s.AsSpan(i + 1, digits));
            if (value == 0)
            {
                return false;
            }

            family = c;
            markerEnd = p;
            textStart = p + 1;
            return true;
        }

        if (i + 1 < end && s[i + 1] == '是' && (i + 2 >= end || s[i + 2] != '否'))
        {
            value = OutlineNumerals.ParseChinese(s.AsSpan(i, 1));
            family = '是';
            markerEnd = textStart = i + 2;
            return value > 0;
        }

        return false;
    }
}
