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

public sealed record OutlineWarning(int Line, string Code, string Message);

/// <summary>The whole document: title line, lead (导语), the outline, the closing and numbering warnings.</summary>
public sealed record ParsedOutline(
    string Title,
    string Lead,
    IReadOnlyList<OutlineSection> Parts,
    string Closing,
    IReadOnlyList<OutlineWarning> Warnings);

/// <summary>A place where a figure is still missing (发展党员X名, X%, XX县委).</summary>
public sealed record Placeholder(int Index, int Length, string Text, int Line, int Column, string Context);

/// <summary>What the exporters lay out: the assembled report in outline order.</summary>
public sealed record ReportDocument(string Title, string Lead, IReadOnlyList<DocumentBlock> Blocks, string Closing, bool Draft);

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
