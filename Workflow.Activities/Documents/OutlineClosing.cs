namespace Workflow.Activities.Documents;

/// <summary>
/// The closing (结尾) of a report. It ends with trailing paragraphs that are closing formulae (特此报告。, 妥否，请批示。
/// …), a date line (2020年7月1日, 二〇二〇年七月一日), and short signature lines (at most
/// <see cref="MaxSignatureLength"/> characters, no 。) directly before or after that date line (see
/// <see cref="FindFirstLine"/>). It starts earlier when unnumbered text after the last section's own first paragraph
/// turns to a new subject (下半年，… 总之，…) or starts an enumeration of its own again (see <see cref="FindOpening"/>):
/// that is the report's look ahead or summing up, not text of the last section's author. Anything else at the end
/// is text of the last section.
/// </summary>
internal static class OutlineClosing
{
    public const int MaxSignatureLength = 25;
    private const int MaxFormulaLength = 30;
    private const int MaxSignatureLinesBefore = 2;
    private const int MaxSignatureLinesAfter = 2;

    private static readonly string[] Formulae =
    [
        "特此报告", "特此汇报", "专此报告", "以上报告", "特此请示",
        "妥否，请批示", "妥否,请批示", "当否，请批示", "当否,请批示", "妥否，请批复", "妥否,请批复",
    ];

    /// <summary>
    /// The index of the first closing line among lines <paramref name="fromLine"/>…end (each given by its trimmed
    /// content), or -1 when the text does not end with a closing.
    /// </summary>
    public static int FindFirstLine(IReadOnlyList<string> trimmedLines, int fromLine)
    {
        var nonBlank = new List<int>();
        for (var i = fromLine; i < trimmedLines.Count; i++)
        {
            if (trimmedLines[i].Length > 0)
            {
                nonBlank.Add(i);
            }
        }

        if (nonBlank.Count == 0)
        {
            return -1;
        }

        var k = nonBlank.Count - 1;

        // A date among the last lines, with at most two signature lines after it (落款 under or above the date).
        var date = -1;
        for (var j = k; j >= 0 && k - j <= MaxSignatureLinesAfter; j--)
        {
            var line = trimmedLines[nonBlank[j]];
            if (IsDate(line))
            {
                date = j;
                break;
            }

            if (!IsSignature(line))
            {
                break;
            }
        }

        var first = -1;
        if (date >= 0)
        {
            first = date;
            for (var j = date - 1; j >= 0 && date - j <= MaxSignatureLinesBefore; j--)
            {
                var line = trimmedLines[nonBlank[j]];
                if (IsFormula(line) || !IsSignature(line))
                {
                    break;
                }

                first = j;
            }
        }
        else
        {
            first = k + 1;
        }

        while (first - 1 >= 0 && IsFormula(trimmedLines[nonBlank[first - 1]]))
        {
            first--;
        }

        return first <= k ? nonBlank[first] : -1;
    }

    /// <summary>Words that sum the report up: a paragraph that starts with one is the closing.</summary>
    private static readonly string[] Summing = ["总之", "综上", "总而言之", "总的来说"];

    /// <summary>
    /// Words that open a look ahead, in groups of one subject. A paragraph that starts with one (also after 在 or 展望:
    /// 在下半年的工作中，…) opens a new subject, unless the last section is about that subject itself (its title has
    /// a word of the group, as 三、下半年工作打算 has 下半年): then the paragraph is that section's own text.
    /// </summary>
    private static readonly string[][] Ahead = [["下半年"], ["下一步", "下步", "下一阶段"], ["今后"], ["明年", "新的一年"]];

    /// <summary>
    /// The index of the line where unnumbered text at the end of the last section's body starts the closing, or -1.
    /// <paramref name="last"/> is the last heading, on line index <paramref name="headingLine"/>; lines up to
    /// <paramref name="endLine"/> (exclusive, where a closing formula or date starts) are looked at. The section keeps
    /// its first paragraph (the rest of a heading that shares its line, or else its first non-blank line) whatever it
    /// says; from the second on, the closing starts at the first paragraph that
    /// <list type="bullet">
    /// <item>opens a new subject (<see cref="Summing"/>, <see cref="Ahead"/>), or</item>
    /// <item>starts its own enumeration: its first inline item is 一是 / 第一， / 其一， while the section already had
    /// items of that kind, so the series starts again rather than continuing. A marker-free line ending in ： just
    /// before it (县委将重点抓好以下工作：) introduces that enumeration and starts the closing with it.</item>
    /// </list>
    /// An enumeration that is the section's first (一是… after an introduction) and text that merely continues the
    /// section stay in it.
    /// </summary>
    public static int FindOpening(string s, int[] lineStart, int[] lineEnd, OutlineHeading last, int headingLine, int endLine)
    {
        var paragraphs = new List<(int Line, string Text)>();
        if (last.SharesLine)
        {
            paragraphs.Add((headingLine, Trim(s, last.End, lineEnd[headingLine])));
        }

        for (var i = headingLine + 1; i < endLine; i++)
        {
            var text = Trim(s, lineStart[i], lineEnd[i]);
            if (text.Length > 0)
            {
                paragraphs.Add((i, text));
            }
        }

        if (paragraphs.Count < 2)
        {
            return -1;
        }

        var bodyEnd = endLine < lineStart.Length ? lineStart[endLine] : s.Length;
        var markers = OutlineInlineItems.Find(s, last.End, bodyEnd, headingLine + 1).ToLookup(m => m.Item.Line - 1);
        var seen = new HashSet<char>();
        for (var k = 0; k < paragraphs.Count; k++)
        {
            var (line, text) = paragraphs[k];
            var here = markers[line].ToList();
            if (k > 0)
            {
                if (OpensNewSubject(text, last.Title))
                {
                    return line;
                }

                if (here.Count > 0 && here[0].Value == 1 && seen.Contains(here[0].Family))
                {
                    var (before, introduction) = paragraphs[k - 1];
                    var introduced = text.StartsWith(here[0].Item.Marker, StringComparison.Ordinal)
                        && before != headingLine
                        && !markers[before].Any()
                        && introduction[^1] is '：' or ':';
                    return introduced ? before : line;
                }
            }

            foreach (var m in here)
            {
                seen.Add(m.Family);
            }
        }

        return -1;
    }

    private static bool OpensNewSubject(string paragraph, string title)
    {
        if (Summing.Any(w => paragraph.StartsWith(w, StringComparison.Ordinal)))
        {
            return true;
        }

        var rest = paragraph.StartsWith("展望", StringComparison.Ordinal) ? paragraph[2..]
            : paragraph.StartsWith('在') ? paragraph[1..]
            : paragraph;
        var group = Ahead.FirstOrDefault(g => g.Any(w => rest.StartsWith(w, StringComparison.Ordinal)));
        return group is not null && !group.Any(w => title.Contains(w, StringComparison.Ordinal));
    }

    private static string Trim(string s, int start, int end)
    {
        while (start < end && OutlineHeadings.IsSpace(s[start]))
        {
            start++;
        }

        while (end > start && OutlineHeadings.IsSpace(s[end - 1]))
        {
            end--;
        }

        return s[start..end];
    }

    public static bool IsFormula(string line) =>
        line.Length <= MaxFormulaLength && Formulae.Any(f => line.StartsWith(f, StringComparison.Ordinal));

    private static bool IsSignature(string line) =>
        line.Length <= MaxSignatureLength && !line.Contains('。', StringComparison.Ordinal) && !IsDate(line);

    /// <summary>2020年7月1日, ２０２０年７月１日, 二〇二〇年七月一日, 二〇二〇年十二月三十一日 — the whole line.</summary>
    public static bool IsDate(string line)
    {
        var p = 0;
        if (!Run(line, ref p, 4, 4, IsYearDigit) || !Expect(line, ref p, '年'))
        {
            return false;
        }

        if (!Run(line, ref p, 1, 3, IsMonthDayDigit) || !Expect(line, ref p, '月'))
        {
            return false;
        }

        if (!Run(line, ref p, 1, 3, IsMonthDayDigit) || !Expect(line, ref p, '日'))
        {
            return false;
        }

        return p == line.Length;
    }

    private static bool IsYearDigit(char c) => OutlineNumerals.IsArabicDigit(c) || c is '〇' or '○' or '零' || (c != '十' && OutlineNumerals.IsChineseNumeral(c));

    private static bool IsMonthDayDigit(char c) => OutlineNumerals.IsArabicDigit(c) || OutlineNumerals.IsChineseNumeral(c);

    private static bool Run(string s, ref int p, int min, int max, Func<char, bool> accept)
    {
        var start = p;
        while (p < s.Length && p - start < max && accept(s[p]))
        {
            p++;
        }

        return p - start >= min;
    }

    private static bool Expect(string s, ref int p, char c)
    {
        if (p < s.Length && s[p] == c)
        {
            p++;
            return true;
        }

        return false;
    }
}
