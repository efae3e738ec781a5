namespace Workflow.Activities.Documents;

/// <summary>
/// A node of a Chinese official document's outline: 一、 (level 1) → （一） (2) → 1. (3) → （1） (4).
/// <see cref="HeadingText"/> is the heading exactly as written (number, title and the terminator when the
/// heading shares its line with body text); <see cref="Body"/> is the text between the heading and the
/// first child, so joining every part in order gives back the document.
/// </summary>
public sealed record OutlineSection(
    string Id,
    int Level,
    string Number,
    string Title,
    string HeadingText,
    bool SharesLine,
    string Body,
    int Line,
    IReadOnlyList<OutlineSection> Children,
    IReadOnlyList<InlineItem> Items);

/// <summary>An enumeration inside a paragraph (一是…, 第一，…): listed for the section, never split off.</summary>
public sealed record InlineItem(string Marker, string Text, int Line);

/// <summary>
/// A numbering problem the clerk should look at. Message is English; Template names the wording (one of
/// <see cref="OutlineWarningTexts.English"/>) and Args fill it, so a page can say the same in Chinese.
/// </summary>
public sealed record OutlineWarning(int Line, string Code, string Message)
{
    /// <summary>Empty for a warning made without a wording (then only Message says it).</summary>
    public string Template { get; init; } = "";

    public IReadOnlyList<string> Args { get; init; } = [];

    public bool Equals(OutlineWarning? other) =>
        other is not null && Line == other.Line && Code == other.Code && Message == other.Message && Template == other.Template && Args.SequenceEqual(other.Args);

    public override int GetHashCode() => HashCode.Combine(Line, Code, Message, Template);
}

/// <summary>The wordings of outline warnings, in English with numbered placeholders ({0} …) for their Args.</summary>
public static class OutlineWarningTexts
{
    public static readonly IReadOnlyDictionary<string, string> English = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["no-outline"] = "no outline heading (一、, （一）, 1., （1）) was found; the whole text is the lead",
        ["level-skipped"] = "{0} (line {1}) comes directly under {2} (line {3}); is a level-{4} heading such as {5} missing?",
        ["numbering-start"] = "numbering starts at {0} (line {1}); is {2} missing?",
        ["numbering-jump-one"] = "numbering jumps from {0} to {1} (line {2}); is {3} missing?",
        ["numbering-jump-many"] = "numbering jumps from {0} to {1} (line {2}); are {3} to {4} missing?",
        ["numbering-repeat"] = "{0} appears twice (lines {1} and {2}); should the second be {3}?",
        ["numbering-back"] = "numbering goes back from {0} to {1} (line {2}); should it be {3}?",
        ["items-start"] = "inline items start at {0} (line {1}); is {2} missing?",
        ["items-jump"] = "inline items jump from {0} (line {1}) to {2} (line {3}); is {4} missing?",
        ["items-back"] = "inline item {0} (line {1}) follows {2} (line {3}); should it be {4}?",
        ["items-restart"] = "inline items start again at {0} (line {1}) after {2} (line {3}) of the series that began on line {4}; does a new section or the closing start there?",
        ["brackets-half"] = "{0} (line {1}) uses half-width ( ) brackets while {2} other level-{3} heading(s) use full-width （ ）; use one style",
        ["brackets-full"] = "{0} (line {1}) uses full-width （ ） brackets while {2} other level-{3} heading(s) use half-width ( ); use one style",
    };

    internal static OutlineWarning Create(int line, string code, string template, params object[] args)
    {
        var values = Array.ConvertAll(args, a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture) ?? "");
        return new OutlineWarning(line, code, string.Format(System.Globalization.CultureInfo.InvariantCulture, English[template], values))
        {
            Template = template,
            Args = values,
        };
    }
}

/// <summary>The whole document: title line, lead (导语), the outline, the closing and numbering warnings.</summary>
public sealed record ParsedOutline(
    string Title,
    string Lead,
    IReadOnlyList<OutlineSection> Parts,
    string Closing,
    IReadOnlyList<OutlineWarning> Warnings);

/// <summary>A place where a figure is still missing (发展党员X名, X%, XX县委).</summary>
public sealed record Placeholder(int Index, int Length, string Text, int Line, int Column, string Context);

/// <summary>
/// What the exporters lay out: the assembled report in outline order. A '\n' in <see cref="Title"/> is the clerk's
/// line break (see <see cref="TitleLines"/>). <see cref="Draft"/> marks it 征求意见稿; a final (signed) report carries
/// no mark, and its 落款 (<see cref="Issuer"/>, <see cref="SignedOn"/>) replaces one typed at the end of the closing.
/// </summary>
public sealed record ReportDocument(string Title, string Lead, IReadOnlyList<DocumentBlock> Blocks, string Closing, bool Draft)
{
    /// <summary>Where the text stands in the audit trail (entry and checkpoint fingerprint); carried in the file's properties, not its text.</summary>
    public string? Provenance { get; init; }

    /// <summary>主送机关 (市委组织部): set flush left under the title, ending with a full-width colon. None when empty.</summary>
    public string? Addressee { get; init; }

    /// <summary>发文机关署名 (中共XX县委), set per report; laid out with <see cref="SignedOn"/> at the end (落款).</summary>
    public string? Issuer { get; init; }

    /// <summary>成文日期: the day the report was signed (签发), written 2020年7月1日.</summary>
    public DateOnly? SignedOn { get; init; }
}

/// <summary>
/// One heading with its text. Level 1-4 as in <see cref="OutlineSection"/>; Number and Title may be empty
/// for text without a heading. Body paragraphs are separated by '\n'. An inline heading is printed at the
/// start of its first body paragraph (（一）标题。正文……) as it was written.
/// </summary>
public sealed record DocumentBlock(int Level, string Number, string Title, bool InlineHeading, string Body);

/// <summary>A document refused at the door, with a stable code and a message a person can act on.</summary>
public sealed class DocumentRejectedException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
