namespace Workflow.Activities.Documents;

/// <summary>
/// The closing (结尾) of a report: trailing paragraphs that are closing formulae (特此报告。, 妥否，请批示。 …), a date
/// line (2020年7月1日, 二〇二〇年七月一日), and short signature lines (at most <see cref="MaxSignatureLength"/>
/// characters, no 。) directly before or after that date line. Anything else at the end is text of the last section.
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
