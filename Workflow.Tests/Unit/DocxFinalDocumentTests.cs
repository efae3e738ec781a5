using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Workflow.Activities.Documents;

namespace Workflow.Tests.Unit;

/// <summary>The final (signed) document: no 征求意见稿, 主送机关 under the title, 落款 after the text, the title in word groups.</summary>
public sealed class DocxFinalDocumentTests
{
    private const string LongTitle = "中共X县委关于2020年上半年加强党的建设工作情况的报告";

    private static ReportDocument Final(bool draft = false, string? title = null, string? issuer = "中共X县委", string? addressee = "市委组织部") =>
        DocxSampleReport.Build(draft) with
        {
            Title = title ?? LongTitle,
            Closing = "特此报告。",
            Addressee = addressee,
            Issuer = issuer,
            SignedOn = draft ? null : new DateOnly(2020, 7, 1),
        };

    private static WordprocessingDocument Open(byte[] bytes) => WordprocessingDocument.Open(new MemoryStream(bytes), false);

    private static List<Paragraph> Paragraphs(WordprocessingDocument doc) =>
        doc.MainDocumentPart!.Document.Body!.Elements<Paragraph>().ToList();

    /// <summary>Every part of the package as text: document, headers, footers, styles, core and app properties.</summary>
    private static string PackageText(byte[] bytes)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        var sb = new StringBuilder();
        foreach (var entry in zip.Entries)
        {
            using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
            sb.Append(entry.FullName).Append('\n').Append(reader.ReadToEnd()).Append('\n');
        }

        return sb.ToString();
    }

    [Fact]
    public void A_final_says_征求意见稿_nowhere_in_the_package_and_a_draft_says_it_on_page_one_in_the_header_and_its_status()
    {
        var final = DocxExporter.Export(Final());
        Assert.DoesNotContain("征求意见稿", PackageText(final), StringComparison.Ordinal);
        using (var doc = Open(final))
        {
            Assert.Empty(doc.MainDocumentPart!.HeaderParts);
            Assert.Null(doc.PackageProperties.ContentStatus);
        }

        var draft = DocxExporter.Export(Final(draft: true));
        using var drafted = Open(draft);
        Assert.Equal("征求意见稿", Paragraphs(drafted)[0].InnerText);
        Assert.All(drafted.MainDocumentPart!.HeaderParts, h => Assert.Equal("征求意见稿", h.Header.InnerText));
        Assert.Equal("征求意见稿", drafted.PackageProperties.ContentStatus);
    }

    [Fact]
    public void The_title_is_laid_out_in_the_chosen_lines_with_explicit_breaks()
    {
        using var doc = Open(DocxExporter.Export(Final()));
        var title = Paragraphs(doc)[0];

        var runs = title.Elements<Run>().ToList();
        Assert.Equal(["中共X县委关于2020年上半年", "加强党的建设工作情况的报告"], runs.Select(r => string.Concat(r.Elements<Text>().Select(t => t.Text))));
        Assert.Null(runs[0].GetFirstChild<Break>());
        Assert.NotNull(runs[1].GetFirstChild<Break>()); // the second line starts with a line break
        Assert.Equal(JustificationValues.Center, title.ParagraphProperties!.Justification!.Val!.Value);
        Assert.False(title.ParagraphProperties.AutoSpaceDN!.Val!.Value); // no space widens "2020年" beyond the measured line
        Assert.Equal(LongTitle, doc.PackageProperties.Title); // properties carry the title on one line
    }

    [Fact]
    public void The_clerks_break_in_the_title_is_kept()
    {
        using var doc = Open(DocxExporter.Export(Final(title: "中共X县委关于2020年上半年加强党的建设\n工作情况的报告")));

        var runs = Paragraphs(doc)[0].Elements<Run>().Select(r => string.Concat(r.Elements<Text>().Select(t => t.Text)));
        Assert.Equal(["中共X县委关于2020年上半年加强党的建设", "工作情况的报告"], runs);
        Assert.Equal(LongTitle, doc.PackageProperties.Title);
    }

    [Fact]
    public void A_short_title_stays_on_one_line()
    {
        using var doc = Open(DocxExporter.Export(Final(title: DocxSampleReport.Title)));

        var title = Paragraphs(doc)[0];
        Assert.Single(title.Elements<Run>());
        Assert.Empty(title.Descendants<Break>());
        Assert.Equal(DocxSampleReport.Title, title.InnerText);
    }

    [Theory]
    [InlineData("市委组织部")]
    [InlineData(" 市委组织部: ")]
    [InlineData("市委组织部：")]
    public void The_addressee_follows_the_title_after_a_blank_line_flush_left_with_a_full_width_colon(string addressee)
    {
        using var doc = Open(DocxExporter.Export(Final(addressee: addressee)));
        var paragraphs = Paragraphs(doc);

        Assert.Equal("", paragraphs[1].InnerText);
        var p = paragraphs[2];
        Assert.Equal("市委组织部：", p.InnerText);
        var props = p.ParagraphProperties!;
        Assert.NotEqual(JustificationValues.Center, props.Justification!.Val!.Value);
        Assert.NotEqual(JustificationValues.Right, props.Justification.Val.Value);
        Assert.Equal("0", props.Indentation!.FirstLine!.Value);
        Assert.Null(props.Indentation.Left);
        var rp = p.Elements<Run>().Single().RunProperties!;
        Assert.Equal("仿宋_GB2312", rp.RunFonts!.EastAsia!.Value);
        Assert.Equal("32", rp.FontSize!.Val!.Value);
        Assert.Equal(DocxSampleReport.Lead, paragraphs[3].InnerText); // the body starts on the next line
    }

    [Fact]
    public void Without_an_addressee_the_body_follows_the_blank_line()
    {
        using var doc = Open(DocxExporter.Export(Final(addressee: "  ")));

        Assert.Equal(DocxSampleReport.Lead, Paragraphs(doc)[2].InnerText);
    }

    [Fact]
    public void Issuer_and_signing_date_close_the_document_per_GB_T_9704_7_3_5_2()
    {
        using var doc = Open(DocxExporter.Export(Final()));
        var paragraphs = Paragraphs(doc);

        Assert.Equal(["特此报告。", "", "中共X县委", "2020年7月1日"], paragraphs.TakeLast(4).Select(p => p.InnerText));
        var (issuer, date) = (paragraphs[^2], paragraphs[^1]);
        foreach (var p in new[] { issuer, date })
        {
            Assert.Equal(JustificationValues.Right, p.ParagraphProperties!.Justification!.Val!.Value);
            Assert.Equal("0", p.ParagraphProperties.Indentation!.FirstLine!.Value);
            Assert.Equal("仿宋_GB2312", p.Elements<Run>().Single().RunProperties!.RunFonts!.EastAsia!.Value);
        }

        // The date (6 characters) is longer than the name (4.5): the date 右空二字, the name's first character two
        // characters left of the date's, so the name's right space grows to 5.5.
        Assert.Equal(200, date.ParagraphProperties!.Indentation!.RightChars!.Value);
        Assert.Equal("640", date.ParagraphProperties.Indentation.Right!.Value);
        Assert.Equal(550, issuer.ParagraphProperties!.Indentation!.RightChars!.Value);
        Assert.Equal("1760", issuer.ParagraphProperties.Indentation.Right!.Value);
        Assert.Equal(FirstCharacterFromLeft("中共X县委", 5.5) + 2, FirstCharacterFromLeft("2020年7月1日", 2));

        // Kept together; measured without the extra space between Chinese and digits.
        Assert.NotNull(paragraphs[^3].ParagraphProperties!.KeepNext);
        Assert.NotNull(issuer.ParagraphProperties.KeepNext);
        Assert.All(new[] { issuer, date }, p => Assert.False(p.ParagraphProperties!.AutoSpaceDN!.Val!.Value));
    }

    private static double FirstCharacterFromLeft(string text, double rightChars) =>
        DocxLayout.CharsPerLine - rightChars - DocxLayout.WidthInChars(text);

    [Fact]
    public void A_name_longer_than_the_date_is_set_two_characters_in_and_the_date_two_characters_right_of_its_start()
    {
        using var doc = Open(DocxExporter.Export(Final(issuer: "中共X县委员会办公室")));
        var paragraphs = Paragraphs(doc);

        Assert.Equal(200, paragraphs[^2].ParagraphProperties!.Indentation!.RightChars!.Value);
        Assert.Equal(350, paragraphs[^1].ParagraphProperties!.Indentation!.RightChars!.Value); // 9.5 - 6 characters
    }

    [Theory]
    [InlineData(2020, 7, 1, "2020年7月1日")]
    [InlineData(2020, 12, 31, "2020年12月31日")]
    [InlineData(2021, 1, 9, "2021年1月9日")]
    public void The_signing_date_is_in_Arabic_numerals_without_leading_zeros(int year, int month, int day, string expected)
    {
        Assert.Equal(expected, DocxLayout.SigningDate(new DateOnly(year, month, day)));
    }

    [Fact]
    public void The_reports_signoff_replaces_one_typed_at_the_end_of_the_closing()
    {
        var report = Final() with { Closing = "特此报告。\n中共X县委员会\n2020年6月30日" };
        using var doc = Open(DocxExporter.Export(report));
        var texts = Paragraphs(doc).Select(p => p.InnerText).ToList();

        Assert.Equal(["特此报告。", "", "中共X县委", "2020年7月1日"], texts.TakeLast(4));
        Assert.DoesNotContain("中共X县委员会", texts);
        Assert.DoesNotContain("2020年6月30日", texts);
    }

    [Fact]
    public void A_closing_formula_before_a_typed_date_is_text_not_a_signature()
    {
        var report = Final(issuer: null) with { Closing = "特此报告\n2020年6月30日", SignedOn = null };
        using var doc = Open(DocxExporter.Export(report));

        Assert.Equal(["特此报告", "", "2020年6月30日"], Paragraphs(doc).TakeLast(3).Select(p => p.InnerText));
    }

    [Fact]
    public void Without_issuer_or_date_nothing_is_added_after_the_text()
    {
        using var doc = Open(DocxExporter.Export(Final(issuer: null) with { SignedOn = null }));

        Assert.Equal("特此报告。", Paragraphs(doc)[^1].InnerText);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_final_package_is_schema_valid(bool draft)
    {
        using var doc = Open(DocxExporter.Export(Final(draft)));

        var errors = new OpenXmlValidator(FileFormatVersions.Office2010).Validate(doc)
            .Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.Empty(errors);
    }
}
