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

    /// <summary>A closing line that is a date (2020年7月10日, 二〇二〇年七月十日): set right-aligned, four characters in.</summary>
    public static bool IsDateLine(string line) => DateLine().IsMatch(line.Trim());

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
