namespace Workflow.Activities.Documents;

/// <summary>Chinese (一…九十九) and Arabic (ASCII or full-width) numbers as they appear in outline numbers.</summary>
internal static class OutlineNumerals
{
    private const string ChineseDigits = "一二三四五六七八九";

    public static bool IsChineseNumeral(char c) => c == '十' || ChineseDigits.Contains(c, StringComparison.Ordinal);

    public static bool IsArabicDigit(char c) => c is (>= '0' and <= '9') or (>= '０' and <= '９');

    public static int ArabicValue(char c) => c <= '9' ? c - '0' : c - '０';

    /// <summary>一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 九十九 → 99; 0 for anything else (一十, 十十, 二二 …).</summary>
    public static int ParseChinese(ReadOnlySpan<char> s)
    {
        static int Digit(char c) => ChineseDigits.IndexOf(c, StringComparison.Ordinal) + 1; // 0 when not 一…九

        switch (s.Length)
        {
            case 1:
                return s[0] == '十' ? 10 : Digit(s[0]);
            case 2:
                if (s[0] == '十')
                {
                    return Digit(s[1]) is var d && d > 0 ? 10 + d : 0;
                }

                return s[1] == '十' && Digit(s[0]) >= 2 ? Digit(s[0]) * 10 : 0;
            case 3:
                return Digit(s[0]) >= 2 && s[1] == '十' && Digit(s[2]) > 0 ? Digit(s[0]) * 10 + Digit(s[2]) : 0;
            default:
                return 0;
        }
    }

    /// <summary>The inverse of <see cref="ParseChinese"/> for 1…99.</summary>
    public static string ToChinese(int n)
    {
        if (n is < 1 or > 99)
        {
            return n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var tens = n / 10;
        var ones = n % 10;
        var t = tens switch { 0 => "", 1 => "十", _ => $"{ChineseDigits[tens - 1]}十" };
        return ones == 0 ? t : t + ChineseDigits[ones - 1];
    }

    /// <summary>
    /// <paramref name="number"/> (一、, （二）, 3., （４）) with its numeral replaced by <paramref name="value"/>, in the
    /// same style, so that messages can name a missing number as the author would have written it.
    /// </summary>
    public static string Renumber(string number, int value)
    {
        var start = 0;
        while (start < number.Length && !IsChineseNumeral(number[start]) && !IsArabicDigit(number[start]))
        {
            start++;
        }

        var end = start;
        while (end < number.Length && (IsChineseNumeral(number[end]) || IsArabicDigit(number[end])))
        {
            end++;
        }

        if (start == end)
        {
            return number;
        }

        string digits;
        if (IsChineseNumeral(number[start]))
        {
            digits = ToChinese(value);
        }
        else
        {
            digits = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (number[start] >= '０')
            {
                digits = string.Concat(digits.Select(c => (char)(c - '0' + '０')));
            }
        }

        return string.Concat(number.AsSpan(0, start), digits, number.AsSpan(end));
    }
}
