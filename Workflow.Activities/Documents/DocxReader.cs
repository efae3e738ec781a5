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

    public static IReadOnlyList<DocxParagraph> ReadParagraphs(Stream docx, int maxCharacters = int.MaxValue)
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
            return Parse(stream, maxCharacters);
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

    private const string W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    private const string Mc = "http://schemas.openxmlformats.org/markup-compatibility/2006";

    /// <summary>
    /// Streams word/document.xml with an XmlReader (never builds the body in memory; only each paragraph's properties
    /// become an object) and stops as soon as the text passes <paramref name="maxCharacters"/>, so a crafted document
    /// costs what its first pages cost, not what it unpacks to.
    /// </summary>
    private static List<DocxParagraph> Parse(Stream stream, int maxCharacters)
    {
        var settings = new OpenSettings { MaxCharactersInPart = MaxEntryBytes };
        using var package = WordprocessingDocument.Open(stream, false, settings);
        var main = package.MainDocumentPart ?? throw NotDocx();
        var styles = new DocxStyleIndex(main.StyleDefinitionsPart?.Styles);
        var numbering = new DocxNumbering(main.NumberingDefinitionsPart?.Numbering, styles);

        // A paragraph's slot is taken when it opens, so a text box's paragraphs come after the one holding them.
        var slots = new List<DocxParagraph?>();
        var open = new Stack<OpenParagraph>();
        var total = 0L;
        var sawBody = false;
        var previousWasRun = false;

        void Label(OpenParagraph p)
        {
            if (p.Labelled)
            {
                return;
            }

            p.Labelled = true;
            p.StyleId = p.Props?.ParagraphStyleId?.Val?.Value ?? styles.DefaultParagraphStyleId;
            Add(p, numbering.Label(p.Props?.NumberingProperties, p.StyleId));
        }

        void Add(OpenParagraph p, string text)
        {
            total += text.Length;
            if (total > maxCharacters)
            {
                throw new DocumentRejectedException("too-large", $"The document has more than {maxCharacters:N0} characters of text, the limit for an import; reading stopped there.");
            }

            p.Text.Append(text);
        }

        void Close()
        {
            var p = open.Pop();
            Label(p);
            slots[p.Slot] = new DocxParagraph(p.Text.ToString(), OutlineLevel(p.Props, p.StyleId, styles));
        }

        using var part = main.GetStream(FileMode.Open, FileAccess.Read);
        using var reader = System.Xml.XmlReader.Create(part, new System.Xml.XmlReaderSettings
        {
            DtdProcessing = System.Xml.DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxEntryBytes,
        });
        var inText = false;
        var more = reader.Read();
        while (more)
        {
            var wasRun = previousWasRun;
            previousWasRun = false;
            switch (reader.NodeType)
            {
                case System.Xml.XmlNodeType.EndElement:
                    if (reader.NamespaceURI == W)
                    {
                        switch (reader.LocalName)
                        {
                            case "p" when open.Count > 0:
                                Close();
                                break;
                            case "r" when open.Count > 0:
                                open.Peek().Hidden = false;
                                break;
                            case "rPr" when open.Count > 0:
                                open.Peek().InRunProperties = false;
                                break;
                            case "t":
                                inText = false;
                                break;
                        }
                    }

                    break;
                case System.Xml.XmlNodeType.Text or System.Xml.XmlNodeType.CDATA or System.Xml.XmlNodeType.Whitespace or System.Xml.XmlNodeType.SignificantWhitespace:
                    if (inText && open.Count > 0 && !open.Peek().Hidden)
                    {
                        Add(open.Peek(), reader.Value);
                    }

                    break;
                case System.Xml.XmlNodeType.Element:
                    var (ns, name, empty) = (reader.NamespaceURI, reader.LocalName, reader.IsEmptyElement);
                    sawBody |= ns == W && name == "body";
                    if (open.Count > 0 && !(ns == W && name == "pPr"))
                    {
                        Label(open.Peek());
                    }

                    if ((ns == Mc && name == "Fallback") || (ns == W && name is "del" or "moveFrom"))
                    {
                        // The same text box is read from mc:Choice; deleted and moved-away text is not in the document.
                        reader.Skip();
                        more = !reader.EOF;
                        continue;
                    }

                    if (ns != W)
                    {
                        break;
                    }

                    if (name == "p")
                    {
                        open.Push(new OpenParagraph(slots.Count));
                        slots.Add(null);
                        if (empty)
                        {
                            Close();
                        }
                    }
                    else if (name == "pPr" && open.Count > 0 && !open.Peek().Labelled)
                    {
                        var top = open.Peek();
                        top.Props = new ParagraphProperties(reader.ReadOuterXml());
                        Label(top);
                        more = !reader.EOF;
                        continue;
                    }
                    else if (name == "rPr" && wasRun && open.Count > 0 && !empty)
                    {
                        open.Peek().InRunProperties = true;
                    }
                    else if (name == "vanish" && open.Count > 0 && open.Peek().InRunProperties)
                    {
                        open.Peek().Hidden = reader.GetAttribute("val", W) is not ("false" or "0" or "off");
                    }
                    else if (open.Count > 0 && !open.Peek().Hidden)
                    {
                        var top = open.Peek();
                        switch (name)
                        {
                            case "t":
                                inText = !empty;
                                break;
                            case "tab" or "ptab":
                                Add(top, "\t");
                                break;
                            case "br" or "cr":
                                Add(top, " ");
                                break;
                            case "noBreakHyphen":
                                Add(top, "-");
                                break;
                        }
                    }

                    previousWasRun = name == "r" && !empty;
                    break;
            }

            more = reader.Read();
        }

        if (!sawBody)
        {
            throw NotDocx();
        }

        return [.. slots.OfType<DocxParagraph>()];
    }

    /// <summary>A paragraph being read: its properties (the first child), its text so far, whether the current run is hidden.</summary>
    private sealed class OpenParagraph(int slot)
    {
        public int Slot { get; } = slot;

        public StringBuilder Text { get; } = new();

        public ParagraphProperties? Props { get; set; }

        public string? StyleId { get; set; }

        public bool Labelled { get; set; }

        public bool Hidden { get; set; }

        public bool InRunProperties { get; set; }
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
}
