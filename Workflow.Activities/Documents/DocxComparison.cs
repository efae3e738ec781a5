using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using E = Workflow.Activities.Documents.DocxExporter;
using L = Workflow.Activities.Documents.DocxLayout;

namespace Workflow.Activities.Documents;

/// <summary>One side of a comparison: its label (定稿 1), the hash its signature is bound to, who signed it and when.</summary>
public sealed record ComparedFinal(string Label, string Hash, string Signer, DateTimeOffset SignedAt);

/// <summary>
/// Two finals of a report compared: the runs of <see cref="TrackedChanges"/> over their texts (one paragraph a line),
/// and the name the revisions are credited to. The revisions are dated when <see cref="To"/> was signed; pass times at
/// the offset the readers live in, as Word shows a revision's time as written.
/// </summary>
public sealed record ComparisonDocument(string Title, ComparedFinal From, ComparedFinal To, IReadOnlyList<TrackedRun> Runs, string Author);

/// <summary>
/// A comparison of two finals as a Word document whose differences are real revisions (修订): inserted text in w:ins,
/// deleted text in w:del, each with author and date, so Word and WPS show them as tracked changes that can be
/// accepted or rejected one by one. Laid out like <see cref="DocxExporter"/> (A4, GB/T 9704 margins, 3号仿宋 body):
/// a line "定稿 1 → 定稿 2 对照（修订）" (also the header of later pages), who signed each final and when, then the
/// compared text, its first line (the title) centred in 2号小标宋. Pure: works in memory and returns the package bytes.
/// </summary>
public static class DocxComparison
{
    public static byte[] Export(ComparisonDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        using var ms = new MemoryStream();
        using (var package = WordprocessingDocument.Create(ms, WordprocessingDocumentType.Document))
        {
            var heading = Heading(doc);
            package.PackageProperties.Title = StoredText.ForXml($"{TitleLines.Joined(doc.Title)}（{heading}）");
            package.PackageProperties.Language = "zh-CN";
            package.PackageProperties.Description = StoredText.ForXml($"{doc.From.Label} 签发文本指纹 {doc.From.Hash}；{doc.To.Label} 签发文本指纹 {doc.To.Hash}");

            var main = package.AddMainDocumentPart();
            var styles = main.AddNewPart<StyleDefinitionsPart>("rIdStyles");
            styles.Styles = E.BuildStyles();
            var fonts = main.AddNewPart<FontTablePart>("rIdFonts");
            fonts.Fonts = E.BuildFontTable();
            var settings = main.AddNewPart<DocumentSettingsPart>("rIdSettings");
            settings.Settings = new Settings(new EvenAndOddHeaders());

            var body = new Body();
            foreach (var p in Preamble(doc, heading))
            {
                body.Append(p);
            }

            var revisions = new Revisions(doc.Author, doc.To.SignedAt);
            var first = true;
            foreach (var p in Paragraphs(doc.Runs))
            {
                body.Append(revisions.Paragraph(p, title: first));
                first = false;
            }

            body.Append(E.BuildSection(main, heading));
            main.Document = new Document(body);
            main.Document.Save();
        }

        return ms.ToArray();
    }

    /// <summary>"定稿 1 → 定稿 2 对照（修订）".</summary>
    public static string Heading(ComparisonDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        return $"{doc.From.Label} → {doc.To.Label} 对照（修订）";
    }

    /// <summary>A paragraph of the compared text: its runs, and whether its paragraph mark (the line break) was kept, inserted or deleted.</summary>
    public sealed record TrackedParagraph(IReadOnlyList<DiffRun> Runs, DiffOp Mark);

    /// <summary>
    /// Cuts the runs into paragraphs at each '\n'; the break takes the kind of the run it is in, so a paragraph whose
    /// break was inserted or deleted is split or joined when the revision is accepted. What follows the last break is
    /// the last paragraph, kept when it has text or when that break is itself a change: the body's last paragraph mark
    /// cannot be removed, so it is never a revision.
    /// </summary>
    public static IReadOnlyList<TrackedParagraph> Paragraphs(IReadOnlyList<TrackedRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var paragraphs = new List<TrackedParagraph>();
        var current = new List<DiffRun>();
        foreach (var run in runs)
        {
            var lines = run.Text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Length > 0)
                {
                    current.Add(new DiffRun(run.Op, lines[i]));
                }

                if (i < lines.Length - 1)
                {
                    paragraphs.Add(new TrackedParagraph(current, run.Op));
                    current = [];
                }
            }
        }

        if (current.Count > 0 || paragraphs.Count == 0 || paragraphs[^1].Mark != DiffOp.Equal)
        {
            paragraphs.Add(new TrackedParagraph(current, DiffOp.Equal));
        }

        return paragraphs;
    }

    private static List<Paragraph> Preamble(ComparisonDocument doc, string heading)
    {
        Paragraph Line(string text, string font, string size, JustificationValues align) => new(
            new ParagraphProperties
            {
                KeepNext = new KeepNext(),
                SpacingBetweenLines = E.ExactSpacing(),
                Indentation = E.NoIndent(),
                Justification = new Justification { Val = align },
            },
            E.TextRun(text, font, size, bold: false));

        Paragraph Blank() => new(new ParagraphProperties { KeepNext = new KeepNext(), SpacingBetweenLines = E.ExactSpacing(), Indentation = E.NoIndent() });

        var inserted = doc.Runs.Where(r => r.Op == DiffOp.Insert).Sum(r => Characters(r.Text));
        var deleted = doc.Runs.Where(r => r.Op == DiffOp.Delete).Sum(r => Characters(r.Text));
        var changed = doc.Runs.Any(r => r.Op != DiffOp.Equal);
        var summary = !changed
            ? "两稿文字相同，无修订。"
            : string.Create(CultureInfo.InvariantCulture, $"修订人{L.SingleLine(doc.Author)}：插入 {inserted} 字，删除 {deleted} 字。插入处加下划线，删除处加删除线，可在“审阅”中逐处接受或拒绝。");
        // Who signed what and how much changed in 4号, smaller than the text they describe.
        return
        [
            Line(heading, L.HeiFont, L.BodySize, JustificationValues.Center),
            Line(Signed(doc.From), L.BodyFont, L.PageNumberSize, JustificationValues.Left),
            Line(Signed(doc.To), L.BodyFont, L.PageNumberSize, JustificationValues.Left),
            Line($"文本指纹：{doc.From.Label} {Fingerprint(doc.From.Hash)}，{doc.To.Label} {Fingerprint(doc.To.Hash)}", L.BodyFont, L.PageNumberSize, JustificationValues.Left),
            Line(summary, L.BodyFont, L.PageNumberSize, JustificationValues.Both),
            Blank(),
        ];
    }

    /// <summary>"定稿 1：张三 2026年11月22日 16:40 签发".</summary>
    private static string Signed(ComparedFinal final) => $"{final.Label}：{L.SingleLine(final.Signer)} {Written(final.SignedAt)} 签发";

    /// <summary>The hash's first 16 digits, as the final's own export names it.</summary>
    private static string Fingerprint(string hash) => hash.Length > 16 ? hash[..16] : hash;

    private static string Written(DateTimeOffset at) => at.ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Characters a reader counts: line breaks are not characters of the text.</summary>
    private static int Characters(string text) => text.Count(c => c != '\n');

    /// <summary>Writes tracked paragraphs, numbering the revisions (w:id is unique in the document).</summary>
    private sealed class Revisions(string author, DateTimeOffset at)
    {
        // w:date is read as the clock time it names (Word shows it as written), to the second.
        private readonly DateTime date = new(at.Year, at.Month, at.Day, at.Hour, at.Minute, at.Second, DateTimeKind.Unspecified);
        private readonly string author = StoredText.ForXml(L.SingleLine(author)) is { Length: > 0 } name ? name : "?";
        private int next = 1;

        /// <summary>A body paragraph, or the title: centred 2号小标宋 with a blank line's space under it (no blank paragraph, which neither final has).</summary>
        public Paragraph Paragraph(TrackedParagraph tracked, bool title)
        {
            var props = new ParagraphProperties
            {
                SnapToGrid = title ? new SnapToGrid { Val = false } : null,
                SpacingBetweenLines = E.ExactSpacing(),
                Indentation = title ? E.NoIndent() : E.FirstLineIndent(),
                Justification = new Justification { Val = title ? JustificationValues.Center : JustificationValues.Both },
            };
            if (title)
            {
                props.SpacingBetweenLines.After = L.LinePitch.ToString(CultureInfo.InvariantCulture);
            }

            props.ParagraphMarkRunProperties = tracked.Mark switch
            {
                DiffOp.Insert => new ParagraphMarkRunProperties(new Inserted { Id = Id(), Author = author, Date = date }),
                DiffOp.Delete => new ParagraphMarkRunProperties(new Deleted { Id = Id(), Author = author, Date = date }),
                _ => null,
            };
            var paragraph = new Paragraph(props);
            foreach (var run in tracked.Runs)
            {
                paragraph.Append(Element(run, title ? L.TitleFont : L.BodyFont, title ? L.TitleSize : L.BodySize));
            }

            return paragraph;
        }

        private OpenXmlElement Element(DiffRun run, string font, string size)
        {
            var props = E.RunProps(font, size, bold: false);
            var text = StoredText.ForXml(run.Text);
            return run.Op switch
            {
                DiffOp.Insert => new InsertedRun(new Run(props, new Text(text) { Space = SpaceProcessingModeValues.Preserve })) { Id = Id(), Author = author, Date = date },
                DiffOp.Delete => new DeletedRun(new Run(props, new DeletedText(text) { Space = SpaceProcessingModeValues.Preserve })) { Id = Id(), Author = author, Date = date },
                _ => new Run(props, new Text(text) { Space = SpaceProcessingModeValues.Preserve }),
            };
        }

        private string Id() => (next++).ToString(CultureInfo.InvariantCulture);
    }
}
