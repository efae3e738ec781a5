using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Workflow.Activities.Documents;

/// <summary>
/// Renders Word's automatic numbering as text, paragraph by paragraph in document order: the level's
/// lvlText ("%1、", "（%1）", "%1.%2") with each %n formatted by its level's numFmt. Counters are kept per
/// numId and level; using a level restarts every deeper one.
/// </summary>
internal sealed class DocxNumbering
{
    private const int Levels = 9;
    private readonly Dictionary<int, NumberingInstance> nums = [];
    private readonly Dictionary<int, AbstractNum> abstracts = [];
    private readonly DocxStyleIndex styles;
    private readonly Dictionary<int, int?[]> counters = [];

    public DocxNumbering(Numbering? numbering, DocxStyleIndex styles)
    {
        this.styles = styles;
        foreach (var a in numbering?.Elements<AbstractNum>() ?? [])
        {
            if (a.AbstractNumberId?.Value is { } id)
            {
                abstracts.TryAdd(id, a);
            }
        }

        foreach (var n in numbering?.Elements<NumberingInstance>() ?? [])
        {
            if (n.NumberID?.Value is { } id)
            {
                nums.TryAdd(id, n);
            }
        }
    }

    /// <summary>The label of the next paragraph with these properties ("" when it is not numbered), counters advanced.</summary>
    public string Label(NumberingProperties? direct, string? styleId)
    {
        var (styleNum, styleLevel) = styles.Numbering(styleId);
        var numId = direct?.NumberingId?.Val?.Value ?? styleNum;
        if (numId is null or 0 || !nums.TryGetValue(numId.Value, out var num))
        {
            return "";
        }

        var abstractNum = AbstractOf(num);
        if (abstractNum is null)
        {
            return "";
        }

        var ilvl = direct?.NumberingLevelReference?.Val?.Value ?? styleLevel ?? LevelLinkedTo(abstractNum, styleId) ?? 0;
        if (ilvl is < 0 or >= Levels)
        {
            return "";
        }

        var level = LevelDef(num, abstractNum, ilvl);
        if (level is null)
        {
            return "";
        }

        if (!counters.TryGetValue(numId.Value, out var values))
        {
            values = new int?[Levels];
            counters[numId.Value] = values;
        }

        values[ilvl] = values[ilvl] is { } v ? v + 1 : Start(num, abstractNum, ilvl);
        for (var deeper = ilvl + 1; deeper < Levels; deeper++)
        {
            values[deeper] = null;
        }

        var label = Render(level, num, abstractNum, values);
        return label.Length == 0 ? "" : label + Suffix(level, label);
    }

    private AbstractNum? AbstractOf(NumberingInstance num)
    {
        var id = num.AbstractNumId?.Val?.Value;
        if (id is null || !abstracts.TryGetValue(id.Value, out var abstractNum))
        {
            return null;
        }

        // A list style's abstractNum only points (numStyleLink) at the style whose numbering holds the levels.
        var link = abstractNum.NumberingStyleLink?.Val?.Value;
        if (link is not null && styles.Numbering(link).NumId is { } linkedNum
            && nums.TryGetValue(linkedNum, out var linked)
            && linked.AbstractNumId?.Val?.Value is { } linkedAbstract
            && abstracts.TryGetValue(linkedAbstract, out var target))
        {
            return target;
        }

        return abstractNum;
    }

    private static int? LevelLinkedTo(AbstractNum abstractNum, string? styleId) =>
        styleId is null
            ? null
            : abstractNum.Elements<Level>().FirstOrDefault(l => l.ParagraphStyleIdInLevel?.Val?.Value == styleId)?.LevelIndex?.Value;

    private static Level? LevelDef(NumberingInstance num, AbstractNum abstractNum, int ilvl)
    {
        var over = Override(num, ilvl)?.Level;
        return over ?? abstractNum.Elements<Level>().FirstOrDefault(l => (l.LevelIndex?.Value ?? -1) == ilvl);
    }

    private static LevelOverride? Override(NumberingInstance num, int ilvl) =>
        num.Elements<LevelOverride>().FirstOrDefault(o => (o.LevelIndex?.Value ?? -1) == ilvl);

    private static int Start(NumberingInstance num, AbstractNum abstractNum, int ilvl) =>
        Override(num, ilvl)?.StartOverrideNumberingValue?.Val?.Value
        ?? LevelDef(num, abstractNum, ilvl)?.StartNumberingValue?.Val?.Value
        ?? 0;

    private static string Render(Level level, NumberingInstance num, AbstractNum abstractNum, int?[] values)
    {
        var pattern = level.LevelText?.Val?.Value;
        if (string.IsNullOrEmpty(pattern))
        {
            return "";
        }

        var format = level.NumberingFormat?.Val?.InnerText ?? "decimal";
        if (format == "bullet")
        {
            return Bullet(pattern);
        }

        var legal = level.IsLegalNumberingStyle is { } isLgl && (isLgl.Val?.Value ?? true);
        var sb = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '%' && i + 1 < pattern.Length && pattern[i + 1] is >= '1' and <= '9')
            {
                var k = pattern[i + 1] - '1';
                var def = LevelDef(num, abstractNum, k);
                var value = values[k] ?? Start(num, abstractNum, k);
                var fmt = legal ? "decimal" : def?.NumberingFormat?.Val?.InnerText ?? "decimal";
                sb.Append(Format(value, fmt));
                i++;
            }
            else
            {
                sb.Append(pattern[i]);
            }
        }

        return sb.ToString();
    }

    /// <summary>Word's suffix: a space stays a space; a tab is dropped unless the label would run into the text.</summary>
    private static string Suffix(Level level, string label) =>
        (level.LevelSuffix?.Val?.InnerText ?? "tab") switch
        {
            "space" => " ",
            "nothing" => "",
            _ => char.IsLetterOrDigit(label[^1]) && label[^1] < 0x2E80 ? " " : "",
        };

    /// <summary>Symbol/Wingdings bullets live in the private use area; show them as a plain bullet.</summary>
    private static string Bullet(string pattern)
    {
        var sb = new StringBuilder();
        foreach (var c in pattern)
        {
            sb.Append(c is >= '\uE000' and <= '\uF8FF' ? '•' : c);
        }

        return sb.ToString();
    }

    public static string Format(int n, string numFmt) => numFmt switch
    {
        "none" => "",
        "decimalZero" => n is >= 0 and < 10 ? "0" + Decimal(n) : Decimal(n),
        "decimalFullWidth" or "decimalFullWidth2" => FullWidth(Decimal(n)),
        "decimalEnclosedCircle" or "decimalEnclosedCircleChinese" => Enclosed(n, '\u2460'),
        "decimalEnclosedParen" => Enclosed(n, '\u2474'),
        "decimalEnclosedFullstop" => Enclosed(n, '\u2488'),
        "chineseCounting" or "chineseCountingThousand" or "japaneseCounting" or "taiwaneseCounting"
            or "taiwaneseCountingThousand" or "japaneseLegal" or "koreanCounting" => Chinese(n, "零一二三四五六七八九", "千百十", omitLeadingOneTen: true),
        "ideographDigital" or "taiwaneseDigital" or "japaneseDigitalTenThousand" => Digits(n, "〇一二三四五六七八九"),
        "chineseLegalSimplified" => Chinese(n, "零壹贰叁肆伍陆柒捌玖", "仟佰拾", omitLeadingOneTen: false),
        "ideographLegalTraditional" => Chinese(n, "零壹貳參肆伍陸柒捌玖", "仟佰拾", omitLeadingOneTen: false),
        "ideographTraditional" => Cycle(n, "甲乙丙丁戊己庚辛壬癸"),
        "ideographZodiac" or "ideographZodiacTraditional" => Cycle(n, "子丑寅卯辰巳午未申酉戌亥"),
        "upperRoman" => Roman(n),
        "lowerRoman" => Roman(n).ToLowerInvariant(),
        "upperLetter" => Letters(n, 'A'),
        "lowerLetter" => Letters(n, 'a'),
        _ => Decimal(n),
    };

    private static string Decimal(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string FullWidth(string s) => new([.. s.Select(c => c is >= '0' and <= '9' ? (char)(c - '0' + '０') : c)]);

    private static string Enclosed(int n, char first) => n is >= 1 and <= 20 ? ((char)(first + n - 1)).ToString() : Decimal(n);

    private static string Cycle(int n, string symbols) => n is >= 1 && n <= symbols.Length ? symbols[n - 1].ToString() : Decimal(n);

    private static string Digits(int n, string digits) =>
        n < 0 ? Decimal(n) : new string([.. Decimal(n).Select(c => digits[c - '0'])]);

    /// <summary>Counting numerals up to 9999: 一 … 十 十一 … 二十 … 一百零一 … 一千零一十.</summary>
    private static string Chinese(int n, string digits, string units, bool omitLeadingOneTen)
    {
        if (n is < 0 or > 9999)
        {
            return Decimal(n);
        }

        if (n == 0)
        {
            return digits[0].ToString();
        }

        var sb = new StringBuilder();
        var zero = false;
        int[] powers = [1000, 100, 10, 1];
        for (var i = 0; i < powers.Length; i++)
        {
            var d = n / powers[i] % 10;
            if (d == 0)
            {
                zero = sb.Length > 0;
                continue;
            }

            if (zero)
            {
                sb.Append(digits[0]);
                zero = false;
            }

            var unit = i < 3 ? units[i].ToString() : "";
            if (!(omitLeadingOneTen && d == 1 && powers[i] == 10 && sb.Length == 0))
            {
                sb.Append(digits[d]);
            }

            sb.Append(unit);
        }

        return sb.ToString();
    }

    private static string Roman(int n)
    {
        if (n is < 1 or > 3999)
        {
            return Decimal(n);
        }

        (int Value, string Symbol)[] table =
            [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")];
        var sb = new StringBuilder();
        foreach (var (value, symbol) in table)
        {
            while (n >= value)
            {
                sb.Append(symbol);
                n -= value;
            }
        }

        return sb.ToString();
    }

    /// <summary>Word's letters: A … Z, AA … ZZ, AAA …</summary>
    private static string Letters(int n, char a)
    {
        if (n < 1)
        {
            return Decimal(n);
        }

        var letter = (char)(a + (n - 1) % 26);
        return new string(letter, (n - 1) / 26 + 1);
    }
}
