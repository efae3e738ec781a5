using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Workflow.Activities.Documents;

namespace Workflow.Tests.Unit;

public sealed class DocxComparisonTests
{
    private static readonly DateTimeOffset FirstSigned = new(2026, 11, 20, 10, 5, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset SecondSigned = new(2026, 12, 1, 9, 30, 15, TimeSpan.FromHours(8));

    private static readonly string Final1 = FinalText.Of(DocxSampleReport.Build());

    /// <summary>定稿 2 after a 复审: a figure filled in, a word struck, a paragraph added, one removed, two joined and one split.</summary>
    private static readonly string Final2 = Final1
        .Replace("接收市直机关到基层报到党员X人。", "接收市直机关到基层报到党员12人。\n新增党员示范岗X个。", StringComparison.Ordinal)
        .Replace("第一职责、第一要务、第一政绩", "第一职责、第一政绩", StringComparison.Ordinal)
        .Replace("选优配强带头人。\n", "", StringComparison.Ordinal)
        .Replace("（1）严格换届\n", "（1）严格换届：", StringComparison.Ordinal)
        .Replace("突出责任抓党建，严格履行", "突出责任抓党建。\n严格履行", StringComparison.Ordinal);

    [Fact]
    public void Inserted_text_is_in_w_ins_deleted_text_in_w_del_and_kept_text_is_plain()
    {
        using var doc = Open(Compare("标题\n全年积极发展党员X名。\n", "标题\n全年扎实发展党员12名。\n"));
        var body = doc.MainDocumentPart!.Document.Body!;
        var changed = body.Elements<Paragraph>().Single(p => p.InnerText.Contains("全年", StringComparison.Ordinal));

        Assert.Equal(["扎实", "12"], changed.Elements<InsertedRun>().Select(i => string.Concat(i.Descendants<Text>().Select(t => t.Text))));
        Assert.Equal(["积极", "X"], changed.Elements<DeletedRun>().Select(d => string.Concat(d.Descendants<DeletedText>().Select(t => t.Text))));
        Assert.All(changed.Elements<DeletedRun>(), d => Assert.Empty(d.Descendants<Text>()));
        Assert.Equal(["全年", "发展党员", "名。"], changed.Elements<Run>().Select(r => r.InnerText));
        Assert.Empty(body.Descendants<ParagraphMarkRunProperties>());
    }

    [Fact]
    public void Every_revision_names_the_author_and_the_later_final_s_signing_time()
    {
        var bytes = Compare(Final1, Final2);
        using var doc = Open(bytes);
        var body = doc.MainDocumentPart!.Document.Body!;
        var revisions = body.Descendants<InsertedRun>().Select(i => (i.Id?.Value, i.Author?.Value, i.Date?.Value))
            .Concat(body.Descendants<DeletedRun>().Select(d => (d.Id?.Value, d.Author?.Value, d.Date?.Value)))
            .Concat(body.Descendants<Inserted>().Select(d => (d.Id?.Value, d.Author?.Value, d.Date?.Value)))
            .Concat(body.Descendants<Deleted>().Select(d => (d.Id?.Value, d.Author?.Value, d.Date?.Value)))
            .ToList();

        Assert.True(revisions.Count > 5);
        Assert.All(revisions, r => Assert.Equal(("李书记", new DateTime(2026, 12, 1, 9, 30, 15)), (r.Item2, r.Item3)));
        Assert.Equal(revisions.Count, revisions.Select(r => r.Item1).Distinct().Count());
        // Word shows w:date as the clock time written, so it is the county's time, without a zone.
        Assert.Contains("w:date=\"2026-12-01T09:30:15\"", doc.MainDocumentPart.Document.OuterXml, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Accepting_every_revision_gives_the_later_final_and_rejecting_them_the_earlier(string from, string to)
    {
        using var doc = Open(Compare(from, to));

        var accepted = Resolve(doc, accept: true);
        var rejected = Resolve(doc, accept: false);

        // Both start with the same lines about the comparison, then the final's text; a break at the very end may leave
        // an empty last paragraph, which Word keeps anyway.
        Assert.EndsWith(to.TrimEnd('\n'), accepted.TrimEnd('\n'), StringComparison.Ordinal);
        Assert.EndsWith(from.TrimEnd('\n'), rejected.TrimEnd('\n'), StringComparison.Ordinal);
        Assert.Equal(accepted.TrimEnd('\n')[..^to.TrimEnd('\n').Length], rejected.TrimEnd('\n')[..^from.TrimEnd('\n').Length]);
    }

    public static TheoryData<string, string> Pairs() => new()
    {
        { Final1, Final2 },
        { Final2, Final1 },
        { "标题\n甲。\n乙。\n", "标题\n甲。\n乙。\n丙。\n" },
        { "标题\n甲。\n乙。\n丙。\n", "标题\n甲。\n乙。\n" },
        { "标题\n甲。\n", "新标题\n" },
        { "标题\n甲乙。\n", "标题\n甲\n\n乙。\n" },
    };

    [Fact]
    public void A_paragraph_break_inserted_or_deleted_is_a_revision_of_the_paragraph_mark()
    {
        using var doc = Open(Compare("标题\n甲。乙。\n丙。\n丁。\n", "标题\n甲。\n乙。\n丙。丁。\n"));
        var paragraphs = doc.MainDocumentPart!.Document.Body!.Elements<Paragraph>().ToList();

        var split = paragraphs.Single(p => p.InnerText == "甲。");
        var joined = paragraphs.Single(p => p.InnerText == "丙。");
        Assert.NotNull(split.ParagraphProperties?.ParagraphMarkRunProperties?.GetFirstChild<Inserted>());
        Assert.NotNull(joined.ParagraphProperties?.ParagraphMarkRunProperties?.GetFirstChild<Deleted>());
        Assert.Null(paragraphs.Single(p => p.InnerText == "丁。").ParagraphProperties?.ParagraphMarkRunProperties);
    }

    [Fact]
    public void The_body_s_last_paragraph_mark_is_never_a_revision()
    {
        var runs = TrackedChanges.Compute([new("甲\n", "a"), new("甲\n乙\n", "b")]);

        var paragraphs = DocxComparison.Paragraphs(runs);

        Assert.Equal([DiffOp.Equal, DiffOp.Insert, DiffOp.Equal], paragraphs.Select(p => p.Mark));
        Assert.Empty(paragraphs[^1].Runs);
        // Without a change at the end, the final break ends the last line and adds no empty paragraph.
        Assert.Single(DocxComparison.Paragraphs(TrackedChanges.Compute([new("甲\n", "a"), new("甲\n", "b")])));
    }

    [Fact]
    public void The_document_says_which_finals_it_compares_who_signed_them_and_when()
    {
        using var doc = Open(Compare(Final1, Final2));
        var texts = doc.MainDocumentPart!.Document.Body!.Elements<Paragraph>().Select(p => p.InnerText).ToList();

        Assert.Equal("定稿 1 → 定稿 2 对照（修订）", texts[0]);
        Assert.Equal("定稿 1：王书记 2026年11月20日 10:05 签发", texts[1]);
        Assert.Equal("定稿 2：李书记 2026年12月1日 09:30 签发", texts[2]);
        Assert.Equal("文本指纹：定稿 1 aaaaaaaaaaaaaaaa，定稿 2 bbbbbbbbbbbbbbbb", texts[3]);
        Assert.StartsWith("修订人李书记：插入 ", texts[4], StringComparison.Ordinal);
        Assert.Equal("定稿 1 → 定稿 2 对照（修订）", doc.MainDocumentPart.HeaderParts.First().Header!.InnerText);
        Assert.Equal($"{DocxSampleReport.Title}（定稿 1 → 定稿 2 对照（修订））", doc.PackageProperties.Title);
    }

    [Fact]
    public void Identical_finals_say_so_and_carry_no_revision()
    {
        using var doc = Open(Compare(Final1, Final1));
        var body = doc.MainDocumentPart!.Document.Body!;

        Assert.Contains("两稿文字相同，无修订。", body.Elements<Paragraph>().Select(p => p.InnerText));
        Assert.Empty(body.Descendants<InsertedRun>());
        Assert.Empty(body.Descendants<DeletedRun>());
    }

    [Fact]
    public void The_page_and_fonts_are_those_of_the_official_document()
    {
        using var doc = Open(Compare(Final1, Final2));
        var body = doc.MainDocumentPart!.Document.Body!;
        var page = body.Descendants<PageSize>().Single();
        var paragraphs = body.Elements<Paragraph>().ToList();
        var title = paragraphs.First(p => p.InnerText == DocxSampleReport.Title);
        var text = paragraphs.First(p => p.InnerText.StartsWith("2020年上半年", StringComparison.Ordinal));

        Assert.Equal((11906u, 16838u), (page.Width!.Value, page.Height!.Value));
        Assert.Equal(DocxLayout.TitleFont, title.Descendants<RunFonts>().First().EastAsia?.Value);
        Assert.Equal(JustificationValues.Center, title.ParagraphProperties?.Justification?.Val?.Value);
        Assert.All(text.Descendants<RunFonts>(), f => Assert.Equal(DocxLayout.BodyFont, f.EastAsia?.Value));
        Assert.Equal(DocxLayout.BodySize, text.Descendants<FontSize>().First().Val?.Value);
        Assert.Equal("200", text.ParagraphProperties?.Indentation?.FirstLineChars?.ToString());
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void The_package_is_schema_valid(string from, string to)
    {
        using var doc = Open(Compare(from, to));

        var errors = new OpenXmlValidator(FileFormatVersions.Office2010).Validate(doc)
            .Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.Empty(errors);
    }

    private static byte[] Compare(string from, string to) =>
        DocxComparison.Export(new ComparisonDocument(
            DocxSampleReport.Title,
            new ComparedFinal("定稿 1", new string('a', 64), "王书记", FirstSigned),
            new ComparedFinal("定稿 2", new string('b', 64), "李书记", SecondSigned),
            TrackedChanges.Compute([new AuthoredText(from, "wang"), new AuthoredText(to, "li")]),
            "李书记"));

    private static WordprocessingDocument Open(byte[] bytes) => WordprocessingDocument.Open(new MemoryStream(bytes), false);

    /// <summary>
    /// The body's text once every revision is accepted (or rejected), as Word resolves them: a paragraph whose mark is
    /// removed joins the next one. Paragraphs end with '\n'.
    /// </summary>
    private static string Resolve(WordprocessingDocument doc, bool accept)
    {
        var sb = new StringBuilder();
        foreach (var p in doc.MainDocumentPart!.Document.Body!.Elements<Paragraph>())
        {
            foreach (var child in p.ChildElements)
            {
                switch (child)
                {
                    case Run run:
                        sb.Append(string.Concat(run.Elements<Text>().Select(t => t.Text)));
                        break;
                    case InsertedRun ins when accept:
                        sb.Append(string.Concat(ins.Descendants<Text>().Select(t => t.Text)));
                        break;
                    case DeletedRun del when !accept:
                        sb.Append(string.Concat(del.Descendants<DeletedText>().Select(t => t.Text)));
                        break;
                }
            }

            var mark = p.ParagraphProperties?.ParagraphMarkRunProperties;
            var removed = accept ? mark?.GetFirstChild<Deleted>() is not null : mark?.GetFirstChild<Inserted>() is not null;
            if (!removed)
            {
                sb.Append('\n');
            }
        }

        return sb.ToString();
    }
}
