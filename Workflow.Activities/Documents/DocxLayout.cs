namespace Workflow.Activities.Documents;

/// <summary>
/// The GB/T 9704-2012 page and type measures the .docx exporter lays out with (twips = 1/20 pt,
/// half-points for font sizes). Public so that tests and importers can check against the same numbers.
/// </summary>
public static partial class DocxLayout
{
    /// <summary>1 mm = 56.7 twips (1440 / 25.4 rounded to the precision Word shows).</summary>
    public static int MmToTwips(double mm) => (int)Math.Round(mm * 56.7, MidpointRounding.AwayFromZero);

    public const int PageWidth = 11906;
    public const int PageHeight = 16838;
    public static readonly int MarginTop = MmToTwips(37);
    public static readonly int MarginBottom = MmToTwips(35);
    public static readonly int MarginLeft = MmToTwips(28);
    public static readonly int MarginRight = MmToTwips(26);

    /// <summary>Footer distance: the page number's rule sits 7 mm below the type area, a 4号 line is about 5 mm.</summary>
    public static readonly int FooterDistance = MmToTwips(23);
    public static readonly int HeaderDistance = MmToTwips(15);

    /// <summary>
    /// Width of a title line in half-width units: 2号 (22 pt) characters across the 156 mm type area, 442.2 pt,
    /// hold 20 Chinese characters (40 units); a line no wider never makes Word wrap it again.
    /// </summary>
    public static readonly int TitleLineCapacity = 2 * (PageWidth - MarginLeft - MarginRight) / (22 * 20);

    /// <summary>Fixed line pitch 28.95 pt: 22 lines in the 225 mm type area.</summary>
    public const int LinePitch = 579;
    public const int LinesPerPage = 22;

    /// <summary>Characters a line: 28 of 3号 in the 156 mm type width.</summary>
    public const int CharsPerLine = 28;

    /// <summary>
    /// Character spacing of 3号 text in twips: 442.25 pt / 28 = 15.79 pt a character, so each 16 pt character
    /// is drawn 0.25 pt tighter. (A linesAndChars document grid would say the same, but LibreOffice and WPS
    /// lay such grids out very differently from Word; run spacing is read the same everywhere.)
    /// </summary>
    public const int BodyCharSpacing = -5;

    public const string TitleSize = "44";       // 2号, 22 pt
    public const string BodySize = "32";        // 3号, 16 pt
    public const string PageNumberSize = "28";  // 4号, 14 pt

    /// <summary>Two characters of 3号 text.</summary>
    public const int FirstLineIndent = 640;

    public const string TitleFont = "方正小标宋简体";
    public const string BodyFont = "仿宋_GB2312";
    public const string HeiFont = "黑体";
    public const string KaiFont = "楷体_GB2312";
    public const string SongFont = "宋体";

    public const string DraftMark = "征求意见稿";

    /// <summary>Font of a heading level (1 黑体, 2 楷体, 3-4 仿宋; level 3 is bold).</summary>
    public static string HeadingFont(int level) => ClampLevel(level) switch
    {
        1 => HeiFont,
        2 => KaiFont,
        _ => BodyFont,
    };

    public static bool HeadingBold(int level) => ClampLevel(level) == 3;

    public static int ClampLevel(int level) => Math.Clamp(level, 1, 4);

    /// <summary>Characters that already end a heading sentence, so no "。" is added before inline body text.</summary>
    public const string HeadingTerminators = "。！？；：…!?;:.";

    /// <summary>Paragraphs of a multi-line text: split on '\n', trimmed (including full-width spaces), empty ones dropped.</summary>
    public static IReadOnlyList<string> Paragraphs(string? text) =>
        string.IsNullOrEmpty(text)
            ? []
            : text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();

    public static bool HasHeading(DocumentBlock block) =>
        !string.IsNullOrWhiteSpace(block.Number) || !string.IsNullOrWhiteSpace(block.Title);

    /// <summary>Number + Title, e.g. "一、上半年主要工作", "（一）党的高质量建设效果凸显".</summary>
    public static string HeadingText(DocumentBlock block) =>
        SingleLine((block.Number ?? "").Trim() + (block.Title ?? "").Trim());

    /// <summary>The terminator printed after an inline heading: "" when the title already ends a sentence, else "。".</summary>
    public static string InlineTerminator(DocumentBlock block)
    {
        var heading = HeadingText(block);
        return heading.Length > 0 && HeadingTerminators.Contains(heading[^1], StringComparison.Ordinal) ? "" : "。";
    }

    /// <summary>A closing line that is a date (2020年7月10日, 二〇二〇年七月十日).</summary>
    public static bool IsDateLine(string line) => DateLine().IsMatch(line.Trim());

    /// <summary>成文日期 in Arabic numerals, the year in full, month and day without a leading zero (GB/T 9704-2012 7.3.5.4): 2020年7月1日.</summary>
    public static string SigningDate(DateOnly date) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{date.Year}年{date.Month}月{date.Day}日");

    /// <summary>主送机关 as printed: one line ending with a full-width colon (市委组织部：), or null when there is none.</summary>
    public static string? AddresseeLine(string? addressee)
    {
        var name = SingleLine(addressee ?? "").Trim().TrimEnd(':', '：').TrimEnd();
        return name.Length == 0 ? null : name + "：";
    }

    /// <summary>The closing text without its 落款, and the 落款: 发文机关署名 and 成文日期, either may be missing.</summary>
    public sealed record ClosingParts(IReadOnlyList<string> Text, string? Issuer, string? Date);

    /// <summary>
    /// Splits the closing into its text (特此报告。 stays as written) and the 落款. A 落款 typed at the end of the
    /// closing (a date line, with the signature line before it) is taken out of the text; the report's own
    /// <see cref="ReportDocument.Issuer"/> and <see cref="ReportDocument.SignedOn"/> replace what it typed, so a
    /// signed report never shows two.
    /// </summary>
    public static ClosingParts Closing(ReportDocument doc)
    {
        var text = Paragraphs(doc.Closing).ToList();
        string? typedIssuer = null, typedDate = null;
        if (text.Count > 0 && IsDateLine(text[^1]))
        {
            typedDate = text[^1];
            text.RemoveAt(text.Count - 1);
            if (text.Count > 0 && IsSignature(text[^1]) && !OutlineClosing.IsFormula(text[^1]))
            {
                typedIssuer = text[^1];
                text.RemoveAt(text.Count - 1);
            }
        }

        var issuer = SingleLine(doc.Issuer ?? "").Trim();
        return new ClosingParts(
            text,
            issuer.Length > 0 ? issuer : typedIssuer,
            doc.SignedOn is { } signed ? SigningDate(signed) : typedDate);
    }

    /// <summary>
    /// Right indents, in characters, of the 发文机关署名 and the 成文日期 of a document without a seal, after
    /// GB/T 9704-2012 7.3.5.2 (single organ): the name 右空二字; the date on the next line, its first character two
    /// characters right of the name's first; when the date is the longer, the date 右空二字 and the name moves left
    /// by as much. We apply that remedy whenever the plain placement would bring the date nearer than two characters
    /// to the right edge (which includes every date longer than the name), so the date always keeps 右空二字 at least.
    /// A name or a date alone is set 右空二字.
    /// </summary>
    public static (double Issuer, double Date) SignoffRightChars(string? issuer, string? date)
    {
        if (issuer is null || date is null)
        {
            return (2, 2);
        }

        double name = WidthInChars(issuer), day = WidthInChars(date);
        var nameRight = Math.Max(2, 4 + day - name);
        // A name too long for the line keeps to the line; the date keeps its place relative to it.
        nameRight = Math.Max(0, Math.Min(nameRight, CharsPerLine - name));
        return (nameRight, Math.Max(0, nameRight + name - 2 - day));
    }

    /// <summary>A short closing line right before the date with no sentence punctuation: the issuer's signature.</summary>
    public static bool IsSignature(string line)
    {
        var t = line.Trim();
        return t.Length is > 0 and <= 24 && !"。！？；：，,.!?;:".Contains(t[^1], StringComparison.Ordinal);
    }

    /// <summary>Width in full-width characters: ASCII (half-width digits, letters) counts one half.</summary>
    public static double WidthInChars(string text) => text.Trim().Sum(c => c < 0x80 ? 0.5 : 1.0);

    public static string SingleLine(string text) =>
        text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\r', ' ').Replace('\n', ' ');

    [System.Text.RegularExpressions.GeneratedRegex(@"^[0-9０-９〇零一二三四五六七八九十○OＯ]{2,4}\s*年\s*[0-9０-９〇一二三四五六七八九十]{1,2}\s*月\s*[0-9０-９〇一二三四五六七八九十]{1,3}\s*日$")]
    private static partial System.Text.RegularExpressions.Regex DateLine();
}
