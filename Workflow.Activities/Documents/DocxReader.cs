using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Workflow.Activities.Documents;

/// <summary>A paragraph of a .docx body as a reader sees it: text with automatic numbering rendered, outline level 0-8 or null.</summary>
public sealed record DocxParagraph(string Text, int? OutlineLevel);

/// <summary>
/// Reads the paragraphs of a .docx body in order (table cells row by row), with automatic numbering rendered
/// as text ("一、", "（一）", "1.") and outline levels from the paragraph, its style or a built-in heading style.
/// The package is vetted before it is parsed: anything that is not a Word document, or that would inflate
/// beyond the limits below, is refused with a <see cref="DocumentRejectedException"/> and nothing else.
/// </summary>
public static class DocxReader
{
    public const int MaxEntries = 1_000;
    public const long MaxEntryBytes = 20L * 1024 * 1024;
    public const long MaxTotalBytes = 50L * 1024 * 1024;
    public const long MaxRatio = 100;
    public const long RatioCheckFloor = 1L * 1024 * 1024;

    public static IReadOnlyList<DocxParagraph> ReadParagraphs(Stream docx)
    {
        ArgumentNullException.ThrowIfNull(docx);
        MemoryStream? copy = null;
        try
        {
            var stream = docx;
            if (!docx.CanSeek)
            {
                copy = new MemoryStream();
                CopyBounded(docx, copy);
                copy.Position = 0;
                stream = copy;
            }

            var start = stream.Position;
            Vet(stream);
            stream.Position = start;
            return Parse(stream);
        }
        catch (DocumentRejectedException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw NotDocx(e);
        }
        finally
        {
            copy?.Dispose();
        }
    }

    /// <summary>A non-seekable upload is buffered, but never beyond what a legitimate package could weigh.</summary>
    private static void CopyBounded(Stream source, MemoryStream target)
    {
        var buffer = new byte[81920];
        int read;
        while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
        {
            target.Write(buffer, 0, read);
            if (target.Length > MaxTotalBytes)
            {
                throw new DocumentRejectedException("zip-bomb",
                    $"The file is larger than {MaxTotalBytes / (1024 * 1024)} MB, the most a report document may weigh.");
            }
        }
    }

    private static DocumentRejectedException NotDocx(Exception? inner = null) =>
        new("not-docx",
            "The file is not a Word .docx file (or it is damaged): save it from Word or WPS as \"Word 文档 (*.docx)\" and upload it again."
            + (inner is null ? "" : $" ({inner.GetType().Name})"));

    private static void Vet(Stream stream)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IOException or NotSupportedException)
        {
            throw NotDocx();
        }

        using (zip)
        {
            var entries = zip.Entries;
            if (entries.Count > MaxEntries)
            {
                throw Bomb($"it holds {entries.Count} entries, more than the {MaxEntries} allowed");
            }

            long total = 0;
            var hasDocument = false;
            foreach (var entry in entries)
            {
                var size = entry.Length;
                var packed = entry.CompressedLength;
                if (size > MaxEntryBytes)
                {
                    throw Bomb($"the entry \"{entry.FullName}\" unpacks to {size:N0} bytes, more than the {MaxEntryBytes / (1024 * 1024)} MB allowed for one entry");
                }

                total += size;
                if (total > MaxTotalBytes)
                {
                    throw Bomb($"it unpacks to more than the {MaxTotalBytes / (1024 * 1024)} MB allowed in total");
                }

                if (size > RatioCheckFloor && (packed <= 0 || size / packed > MaxRatio))
                {
                    throw Bomb($"the entry \"{entry.FullName}\" is compressed more than {MaxRatio}:1 ({size:N0} bytes from {packed:N0}), which only crafted files do");
                }

                if (string.Equals(entry.FullName, "word/document.xml", StringComparison.OrdinalIgnoreCase))
                {
                    hasDocument = true;
                }
            }

            if (!hasDocument)
            {
                throw NotDocx();
            }
        }
    }

    private static DocumentRejectedException Bomb(string why) =>
        new("zip-bomb",
            $"The file was refused because {why}. A .docx may hold at most {MaxEntries} entries, {MaxEntryBytes / (1024 * 1024)} MB per entry " +
            $"and {MaxTotalBytes / (1024 * 1024)} MB in total once unpacked, with no entry over 1 MB compressed more than {MaxRatio}:1.");

    private static List<DocxParagraph> Parse(Stream stream)
    {
        var settings = new OpenSettings { MaxCharactersInPart = MaxEntryBytes };
        using var package = WordprocessingDocument.Open(stream, false, settings);
        var main = package.MainDocumentPart ?? throw NotDocx();
        var body = main.Document?.Body ?? throw NotDocx();
        var styles = new DocxStyleIndex(main.StyleDefinitionsPart?.Styles);
        var numbering = new DocxNumbering(main.NumberingDefinitionsPart?.Numbering, styles);

        var result = new List<DocxParagraph>();
        foreach (var paragraph in body.Descendants<Paragraph>())
        {
            if (paragraph.Ancestors<AlternateContentFallback>().Any())
            {
                continue; // the same text box is read from mc:Choice
            }

            var props = paragraph.ParagraphProperties;
            var styleId = props?.ParagraphStyleId?.Val?.Value ?? styles.DefaultParagraphStyleId;
            var label = numbering.Label(props?.NumberingProperties, styleId);
            var text = new StringBuilder(label);
            AppendText(paragraph, text);
            result.Add(new DocxParagraph(text.ToString(), OutlineLevel(props, styleId, styles)));
        }

        return result;
    }

    private static int? OutlineLevel(ParagraphProperties? props, string? styleId, DocxStyleIndex styles)
    {
        var direct = props?.OutlineLevel?.Val?.Value;
        if (direct is not null)
        {
            return direct is >= 0 and <= 8 ? direct : null; // 9 = body text
        }

        return styles.OutlineLevel(styleId);
    }

    /// <summary>Text of this paragraph's runs (not of paragraphs nested in its text boxes, which come on their own).</summary>
    private static void AppendText(OpenXmlElement element, StringBuilder text)
    {
        foreach (var child in element.ChildElements)
        {
            switch (child)
            {
                case Paragraph:
                case AlternateContentFallback:
                case ParagraphProperties:
                case DeletedRun:
                case MoveFromRun:
                    break;
                case Run run when run.RunProperties?.Vanish is { } vanish && (vanish.Val?.Value ?? true):
                    break;
                case RunProperties:
                    break;
                case Text t:
                    text.Append(t.Text);
                    break;
                case TabChar:
                case PositionalTab:
                    text.Append('\t');
                    break;
                case Break:
                case CarriageReturn:
                    text.Append(' ');
                    break;
                case NoBreakHyphen:
                    text.Append('-');
                    break;
                default:
                    AppendText(child, text);
                    break;
            }
        }
    }
}
