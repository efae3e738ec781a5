using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Workflow.Activities.Documents;

namespace Workflow.Tests.Unit;

/// <summary>A report assembled from the 2020 H1 party-building sample (shared/fixtures), shortened.</summary>
internal static class DocxSampleReport
{
    public const string Title = "县上半年关于加强党的建设工作情况报告";

    public const string Lead =
        "2020年上半年，X县在市委的正确领导下，以习近平新时代中国特色社会主义思想为指导，始终把党建工作摆在最重要的位置，" +
        "坚决落实党建工作责任制，有力推动了党的高质量建设。现将年初以来党建工作情况报告如下:";

    public const string Para1 =
        "一是深入组织动员，构建防控体系。全县建立“党员先锋岗”X个，招募党员志愿者X人、群众志愿者X人，接收市直机关到基层报到党员X人。";

    public const string Para2 =
        "二是坚持抓主业，提升责任担当。县委时刻牢记把抓好基层党建作为第一职责、第一要务、第一政绩，履行“抓”的责任、做出“带”的示范。";

    public const string InlineTitle = "全面提升组织力，推进党的高质量建设";

    public const string InlineBody =
        "突出责任抓党建，严格履行党建第一责任人职责，牢固树立党建主业意识，坚持大抓基层、大抓支部。";

    public const string InlineSecond = "对全县X名村党组织书记进行集中轮训X次，选派X名优秀村党支部书记赴外参观学习。";

    public static ReportDocument Build(bool draft = false) => new(
        Title,
        Lead,
        [
            new DocumentBlock(1, "一、", "上半年主要工作", false, ""),
            new DocumentBlock(2, "（一）", "党的高质量建设效果凸显", false, Para1 + "\n" + Para2),
            new DocumentBlock(3, "1.", "抓头雁", false, "选优配强带头人。"),
            new DocumentBlock(4, "（1）", "严格换届", false, "高质量完成农村“两委”换届工作。"),
            new DocumentBlock(1, "三、", "下半年工作打算", false, ""),
            new DocumentBlock(2, "（一）", InlineTitle, true, InlineBody + "\n\n" + InlineSecond),
        ],
        "特此报告。\n中共X县委员会\n2020年7月10日",
        draft);
}

public sealed class DocxExporterTests
{
    private static WordprocessingDocument Open(byte[] bytes) => WordprocessingDocument.Open(new MemoryStream(bytes), false);

    private static List<Paragraph> BodyParagraphs(WordprocessingDocument doc) =>
        doc.MainDocumentPart!.Document.Body!.Elements<Paragraph>().ToList();

    private static Paragraph ParagraphStartingWith(WordprocessingDocument doc, string start) =>
        BodyParagraphs(doc).Single(p => p.InnerText.StartsWith(start, StringComparison.Ordinal));

    private static RunProperties FirstRunProps(Paragraph p) => p.Elements<Run>().First().RunProperties!;

    private static void AssertFont(RunProperties rp, string font, string size)
    {
        Assert.Equal(font, rp.RunFonts!.Ascii!.Value);
        Assert.Equal(font, rp.RunFonts.HighAnsi!.Value);
        Assert.Equal(font, rp.RunFonts.EastAsia!.Value);
        Assert.Equal(size, rp.FontSize!.Val!.Value);
    }

    private static void AssertTwoCharIndent(Paragraph p)
    {
        var ind = p.ParagraphProperties!.Indentation!;
        Assert.Equal(200, ind.FirstLineChars!.Value);
        Assert.Equal("640", ind.FirstLine!.Value);
    }

    private static void AssertExactSpacing(Paragraph p)
    {
        var spacing = p.ParagraphProperties!.SpacingBetweenLines!;
        Assert.Equal("579", spacing.Line!.Value);
        Assert.Equal(LineSpacingRuleValues.Exact, spacing.LineRule!.Value);
    }

    [Fact]
    public void The_page_is_A4_with_the_GB_T_9704_margins_and_a_22_line_grid()
    {
        using var doc = Open(DocxExporter.Export(DocxSampleReport.Build()));
        var section = doc.MainDocumentPart!.Document.Body!.Elements<SectionProperties>().Single();

        var size = section.GetFirstChild<PageSize>()!;
        Assert.Equal((11906u, 16838u), (size.Width!.Value, size.Height!.Value));
        var margin = section.GetFirstChild<PageMargin>()!;
        Assert.Equal(2098, margin.Top!.Value);      // 37 mm
        Assert.Equal(1985, margin.Bottom!.Value);   // 35 mm
        Assert.Equal(1588u, margin.Left!.Value);    // 28 mm
        Assert.Equal(1474u, margin.Right!.Value);   // 26 mm
        Assert.Equal(579, section.GetFirstChild<DocGrid>()!.LinePitch!.Value);
        Assert.Equal(22, (16838 - 2098 - 1985) / 579);
    }

    [Fact]
    public void The_title_is_2hao_xiaobiaosong_centred_with_a_blank_line_after_it()
    {
        using var doc = Open(DocxExporter.Export(DocxSampleReport.Build()));
        var paragraphs = BodyParagraphs(doc);

        var title = paragraphs[0];
        Assert.Equal(DocxSampleReport.Title, title.InnerText);
        Assert.Equal(JustificationValues.Center, title.ParagraphProperties!.Justification!.Val!.Value);
        AssertFont(FirstRunProps(title), "方正小标宋简体", "44");
        Assert.Equal("", paragraphs[1].InnerText);
        Assert.Equal(DocxSampleReport.Lead, paragraphs[2].InnerText);
        Assert.Equal(DocxSampleReport.Title, doc.PackageProperties.Title);
    }

    [Fact]
    public void Body_text_is_3hao_fangsong_indented_two_characters_on_exact_28_95_pt_lines()
    {
        using var doc = Open(DocxExporter.Export(DocxSampleReport.Build()));

        foreach (var start in new[] { DocxSampleReport.Lead, DocxSampleReport.Para1, DocxSampleReport.Para2, DocxSampleReport.InlineSecond, "特此报告。" })
        {
            var p = ParagraphStartingWith(doc, start);
            Assert.Equal(start, p.InnerText);
            AssertFont(FirstRunProps(p), "仿宋_GB2312", "32");
            Assert.Equal(-5, FirstRunProps(p).Spacing!.Val!.Value); // 28 characters a line: 16 pt - 0.25 pt each
            AssertTwoCharIndent(p);
            AssertExactSpacing(p);
            Assert.Null(p.ParagraphProperties!.OutlineLevel);
        }
    }

    [Fact]
    public void Normal_style_carries_the_body_font_so_bare_runs_are_right()
    {
        using var doc = Open(DocxExporter.Export(DocxSampleReport.Build()));
        var normal = doc.MainDocumentPart!.StyleDefinitionsPart!.Styles!.Elements<Style>().Single(s => s.StyleId == "Normal");

        Assert.True(normal.Default!.Value);
        Assert.Equal("仿宋_GB2312", normal.StyleRunProperties!.RunFonts!.EastAsia!.Value);
        Assert.Equal("仿宋_GB2312", normal.StyleRunProperties.RunFonts.Ascii!.Value);
        Assert.Equal("32", normal.StyleRunProperties.FontSize!.Val!.Value);
        Assert.Equal("579", normal.StyleParagraphProperties!.SpacingBetweenLines!.Line!.Value);
    }

    [Theory]
    [InlineData("一、上半年主要工作", "黑体", false, 0)]
    [InlineData("（一）党的高质量建设效果凸显", "楷体_GB2312", false, 1)]
    [InlineData("1.抓头雁", "仿宋_GB2312", true, 2)]
    [InlineData("（1）严格换届", "仿宋_GB2312", false, 3)]
    public void Headings_use_the_font_of_their_level_in_body_size_and_carry_the_outline_level(string text, string font, bool bold, int outline)
    {
        using var doc = Open(DocxExporter.Export(DocxSampleReport.Build()));
        var p = BodyParagraphs(doc).Single(x => x.InnerText == text);

        var rp = FirstRunProps(p);
        AssertFont(rp, font, "32");
        Assert.Equal(bold, rp.Bold is not null);
        Assert.Equal(outline, p.ParagraphProperties!.OutlineLevel!.Val!.Value);
        AssertTwoCharIndent(p);
        AssertExactSpacing(p);
    }

    [Fact]
    public void An_inline_heading_shares_its_paragraph_with_the_first_body_paragraph_in_two_fonts()
    {
        using var doc = Open(DocxExporter.Export(DocxSampleReport.Build()));
        var p = ParagraphStartingWith(doc, "（一）" + DocxSampleReport.InlineTitle);

        var runs = p.Elements<Run>().ToList();
        Assert.Equal(2, runs.Count);
        Assert.Equal("（一）" + DocxSampleReport.InlineTitle + "。", runs[0].InnerText);
        AssertFont(runs[0].RunProperties!, "楷体_GB2312", "32");
        Assert.Equal(DocxSampleReport.InlineBody, runs[1].InnerText);
        AssertFont(runs[1].RunProperties!, "仿宋_GB2312", "32");
        Assert.Equal(1, p.ParagraphProperties!.OutlineLevel!.Val!.Value);
        AssertTwoCharIndent(p);
    }

    [Fact]
    public void An_inline_heading_whose_title_ends_a_sentence_gets_no_second_full_stop()
    {
        var report = new ReportDocument("标题", "", [new DocumentBlock(1, "一、", "坚持党的领导。", true, "县委始终把党建摆在首位。")], "", false);
        using var doc = Open(DocxExporter.Export(report));

        Assert.Contains(BodyParagraphs(doc), p => p.InnerText == "一、坚持党的领导。县委始终把党建摆在首位。");
    }

    [Fact]
    public void Blocks_without_a_heading_are_plain_body_paragraphs()
    {
        var report = new ReportDocument("标题", "", [new DocumentBlock(0, "", "", false, "  　　无标题段落。  \r\n\n")], "", false);
        using var doc = Open(DocxExporter.Export(report));

        var p = BodyParagraphs(doc).Single(x => x.InnerText.Length > 0 && x.InnerText != "标题");
        Assert.Equal("无标题段落。", p.InnerText);
        Assert.Null(p.ParagraphProperties!.OutlineLevel);
    }

    [Fact]
    public void A_signature_and_date_typed_in_the_closing_are_laid_out_as_the_unsealed_signoff()
    {
        using var doc = Open(DocxExporter.Export(DocxSampleReport.Build()));
        var paragraphs = BodyParagraphs(doc);

        // 特此报告。, a blank line, then name and date (GB/T 9704-2012 7.3.5.2): the date, as long as the name
        // (6.5 characters), would reach the right edge, so it keeps 右空二字 and the name moves two characters left.
        Assert.Equal(["特此报告。", "", "中共X县委员会", "2020年7月10日"], paragraphs.TakeLast(4).Select(p => p.InnerText));
        var signature = paragraphs[^2];
        var date = paragraphs[^1];
        Assert.Equal(JustificationValues.Right, signature.ParagraphProperties!.Justification!.Val!.Value);
        Assert.Equal(JustificationValues.Right, date.ParagraphProperties!.Justification!.Val!.Value);
        Assert.Equal(400, signature.ParagraphProperties.Indentation!.RightChars!.Value);
        Assert.Equal(200, date.ParagraphProperties.Indentation!.RightChars!.Value);
    }

    [Fact]
    public void Page_numbers_are_a_PAGE_field_between_em_dashes_in_4hao_song_at_the_outer_edge()
    {
        using var doc = Open(DocxExporter.Export(DocxSampleReport.Build()));
        var section = doc.MainDocumentPart!.Document.Body!.Elements<SectionProperties>().Single();

        var refs = section.Elements<FooterReference>().ToDictionary(r => r.Type!.Value, r => r.Id!.Value!);
        Assert.True(doc.MainDocumentPart.DocumentSettingsPart!.Settings.Elements<EvenAndOddHeaders>().Any());
        foreach (var (type, align) in new[] { (HeaderFooterValues.Default, JustificationValues.Right), (HeaderFooterValues.Even, JustificationValues.Left) })
        {
            var footer = ((FooterPart)doc.MainDocumentPart.GetPartById(refs[type])).Footer;
            var p = footer.Elements<Paragraph>().Single();
            Assert.Equal(align, p.ParagraphProperties!.Justification!.Val!.Value);
            Assert.Contains(p.Descendants<FieldCode>(), f => f.Text.Trim() == "PAGE");
            Assert.Equal("— 1 —", string.Concat(p.Descendants<Text>().Select(t => t.Text)));
            Assert.All(p.Elements<Run>(), r => AssertFont(r.RunProperties!, "宋体", "28"));
        }
    }

    [Fact]
    public void A_draft_is_marked_above_the_title_and_in_the_header_and_a_final_is_not()
    {
        using (var draft = Open(DocxExporter.Export(DocxSampleReport.Build(draft: true))))
        {
            var paragraphs = BodyParagraphs(draft);
            Assert.Equal("征求意见稿", paragraphs[0].InnerText);
            Assert.Equal(JustificationValues.Right, paragraphs[0].ParagraphProperties!.Justification!.Val!.Value);
            AssertFont(FirstRunProps(paragraphs[0]), "黑体", "32");
            Assert.Equal(DocxSampleReport.Title, paragraphs[1].InnerText);
            Assert.NotEmpty(draft.MainDocumentPart!.HeaderParts);
            Assert.All(draft.MainDocumentPart.HeaderParts, h => Assert.Equal("征求意见稿", h.Header.InnerText));
            var section = draft.MainDocumentPart.Document.Body!.Elements<SectionProperties>().Single();
            Assert.NotNull(section.GetFirstChild<TitlePage>());
            Assert.Contains(section.Elements<FooterReference>(), r => r.Type!.Value == HeaderFooterValues.First);
        }

        using var final = Open(DocxExporter.Export(DocxSampleReport.Build(draft: false)));
        Assert.DoesNotContain("征求意见稿", final.MainDocumentPart!.Document.Body!.InnerText, StringComparison.Ordinal);
        Assert.Empty(final.MainDocumentPart.HeaderParts);
    }

    [Fact]
    public void The_font_table_names_substitutes_for_the_GB2312_fonts()
    {
        using var doc = Open(DocxExporter.Export(DocxSampleReport.Build()));
        var fonts = doc.MainDocumentPart!.FontTablePart!.Fonts.Elements<Font>().ToDictionary(f => f.Name!.Value!, f => f.AltName?.Val?.Value);

        Assert.Equal("仿宋", fonts["仿宋_GB2312"]);
        Assert.Equal("楷体", fonts["楷体_GB2312"]);
        Assert.Contains("黑体", fonts.Keys);
        Assert.Contains("方正小标宋简体", fonts.Keys);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_package_is_schema_valid(bool draft)
    {
        using var doc = Open(DocxExporter.Export(DocxSampleReport.Build(draft)));

        var errors = new OpenXmlValidator(FileFormatVersions.Office2010).Validate(doc)
            .Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.Empty(errors);
    }
}
