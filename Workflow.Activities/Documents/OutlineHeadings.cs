namespace Workflow.Activities.Documents;

/// <summary>
/// A line that starts with an outline number and reads as a heading. Offsets are into the parsed text:
/// <see cref="Start"/> is the start of the line (so indentation belongs to the heading text), <see cref="End"/> the
/// end of the heading text (after the terminator when the heading shares its line, else the end of the line
/// without its line break).
/// </summary>
internal readonly record struct OutlineHeading(
    int Level,
    int Value,
    string Number,
    string Title,
    bool HalfWidth,
    bool SharesLine,
    int Start,
    int End);

internal static class OutlineHeadings
{
    /// <summary>
    /// The longest title a heading may have, counted from after the number to the terminator (。, ：, :) or, with no
    /// terminator, to the end of the line. Longer "headings" are paragraphs that happen to start with an
    /// enumeration (1.全县共有党员X名，其中……；) and stay body text: real headings are short phrases, typically
    /// 6–25 characters, and a 60-character limit leaves room for the longest ones seen in practice.
    /// </summary>
    public const int MaxTitleLength = 60;

    private const int MaxArabicDigits = 3;

    /// <summary>Whitespace as it occurs in pasted documents: ASCII, full-width (U+3000), no-break, and a stray BOM.</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c == '\uFEFF';

    public static bool IsTerminator(char c) => c is '。' or '：' or ':';

    /// <summary>
    /// Reads the line [<paramref name="lineStart"/>, <paramref name="lineEnd"/>) of <paramref name="s"/> as a
    /// heading, or returns false. The number must come first (after optional whitespace):
    /// <list type="bullet">
    /// <item>level 1: 一、 … 九十九、</item>
    /// <item>level 2: （一） or (一) (either closing bracket; the opening one decides full- or half-width)</item>
    /// <item>level 3: 1. 1． 1、 (ASCII or full-width digits, at most three) followed by a non-digit, so 1.5万元 and
    /// 3、4月份 are text</item>
    /// <item>level 4: （1） or (1)</item>
    /// </list>
    /// The title runs to the first 。, ：, : or the end of the line; it must be non-empty and at most
    /// <see cref="MaxTitleLength"/> characters. When non-blank text follows the terminator the heading shares its
    /// line with the start of its body.
    /// </summary>
    public static bool TryRead(string s, int lineStart, int lineEnd, out OutlineHeading heading)
    {
        heading = default;
        var p = lineStart;
        while (p < lineEnd && IsSpace(s[p]))
        {
            p++;
        }

        if (p == lineEnd)
        {
            return false;
        }

        var numberStart = p;
        int level, value;
        var halfWidth = false;
        var c = s[p];
        if (c is '（' or '(')
        {
            halfWidth = c == '(';
            p++;
            if (p < lineEnd && OutlineNumerals.IsChineseNumeral(s[p]))
            {
                level = 2;
                value = ReadChinese(s, ref p, lineEnd);
            }
            else if (p < lineEnd && OutlineNumerals.IsArabicDigit(s[p]))
            {
                level = 4;
                value = ReadArabic(s, ref p, lineEnd);
            }
            else
            {
                return false;
            }

            if (value == 0 || p >= lineEnd || s[p] is not ('）' or ')'))
            {
                return false;
            }

            p++;
        }
        else if (OutlineNumerals.IsChineseNumeral(c))
        {
            level = 1;
            value = ReadChinese(s, ref p, lineEnd);
            if (value == 0 || p >= lineEnd || s[p] != '、')
            {
                return false;
            }

            p++;
        }
        else if (OutlineNumerals.IsArabicDigit(c))
        {
            level = 3;
            value = ReadArabic(s, ref p, lineEnd);
            if (value == 0 || p >= lineEnd || s[p] is not ('.' or '．' or '、'))
            {
                return false;
            }

            p++;
            if (p < lineEnd && OutlineNumerals.IsArabicDigit(s[p]))
            {
                return false; // 1.5万元, 3、4月份, 2020.7.1
            }
        }
        else
        {
            return false;
        }

        var numberEnd = p;
        var terminator = -1;
        for (var i = numberEnd; i < lineEnd; i++)
        {
            if (IsTerminator(s[i]))
            {
                terminator = i;
                break;
            }
        }

        var titleEnd = terminator >= 0 ? terminator : lineEnd;
        var titleStart = numberEnd;
        while (titleStart < titleEnd && IsSpace(s[titleStart]))
        {
            titleStart++;
        }

        while (titleEnd > titleStart && IsSpace(s[titleEnd - 1]))
        {
            titleEnd--;
        }

        if (titleEnd == titleStart || titleEnd - titleStart > MaxTitleLength)
        {
            return false;
        }

        var sharesLine = false;
        var end = lineEnd;
        if (terminator >= 0)
        {
            for (var i = terminator + 1; i < lineEnd; i++)
            {
                if (!IsSpace(s[i]))
                {
                    sharesLine = true;
                    end = terminator + 1;
                    break;
                }
            }
        }

        heading = new OutlineHeading(
            level,
            value,
            s[numberStart..numberEnd],
            s[titleStart..titleEnd],
            halfWidth,
            sharesLine,
            lineStart,
            end);
        return true;
    }

    private static int ReadChinese(string s, ref int p, int lineEnd)
    {
        var start = p;
        while (p < lineEnd && p - start < 4 && OutlineNumerals.IsChineseNumeral(s[p]))
        {
            p++;
        }

        return OutlineNumerals.ParseChinese(s.AsSpan(start, p - start));
    }

    private static int ReadArabic(string s, ref int p, int lineEnd)
    {
        var start = p;
        var value = 0;
        while (p < lineEnd && OutlineNumerals.IsArabicDigit(s[p]))
        {
            if (p - start == MaxArabicDigits)
            {
                return 0;
            }

            value = value * 10 + OutlineNumerals.ArabicValue(s[p]);
            p++;
        }

        return value;
    }
}
