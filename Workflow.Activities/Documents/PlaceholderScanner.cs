namespace Workflow.Activities.Documents;

/// <summary>
/// Finds the X's a draft carries where a figure is still missing: 发展党员X名, X%, X万元, X年X月, XX县委, “X”工程.
/// <para>
/// A placeholder is a run of 1 to <see cref="MaxRunLength"/> of X, x, Ｘ, ｘ (mixed allowed) whose neighbours are not
/// Latin letters (ASCII or full-width) and not digits (ASCII or full-width). Letters keep Excel, XML, Xi, max, MAX
/// out; digits keep x86, 3x4, 4101XX (a masked number, not a figure to fill in) out. Four X's are allowed because
/// drafts write XXXX年 for an unknown year; longer runs are not placeholders (redaction bars, decoration).
/// </para>
/// <para>
/// Index and Length are into the text as given; Line and Column are 1-based, with "\n", "\r\n" and "\r" each ending
/// a line and the column counted in UTF-16 code units. Context is the placeholder with up to
/// <see cref="ContextLength"/> characters either side, cut at the line's ends. One pass, no regular expression.
/// </para>
/// </summary>
public static class PlaceholderScanner
{
    public const int MaxRunLength = 4;
    public const int ContextLength = 8;

    public static IReadOnlyList<Placeholder> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<Placeholder>();
        var line = 1;
        var lineStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                i++;
                line++;
                lineStart = i;
                continue;
            }

            if (!IsX(c))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && IsX(text[i]))
            {
                i++;
            }

            var length = i - start;
            if (length > MaxRunLength || (start > 0 && Blocks(text[start - 1])) || (i < text.Length && Blocks(text[i])))
            {
                continue;
            }

            var from = Math.Max(lineStart, start - ContextLength);
            var to = i;
            while (to < text.Length && to - i < ContextLength && text[to] is not ('\n' or '\r'))
            {
                to++;
            }

            result.Add(new Placeholder(start, length, text.Substring(start, length), line, start - lineStart + 1, text[from..to]));
        }

        return result;
    }

    private static bool IsX(char c) => c is 'X' or 'x' or 'Ｘ' or 'ｘ';

    private static bool Blocks(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= 'Ａ' and <= 'Ｚ') or (>= 'ａ' and <= 'ｚ')
            or (>= '0' and <= '9') or (>= '０' and <= '９');
}
