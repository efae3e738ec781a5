using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Workflow.Activities.Documents;

namespace Workflow.Tests.Unit;

public sealed class DocxReaderTests
{
    [Fact]
    public void An_exported_report_reads_back_in_order_with_its_outline_levels()
    {
        var bytes = DocxExporter.Export(DocxSampleReport.Build());

        var paragraphs = DocxReader.ReadParagraphs(new MemoryStream(bytes)).Where(p => p.Text.Length > 0).ToList();

        Assert.Equal(
            [
                new DocxParagraph(DocxSampleReport.Title, null),
                new DocxParagraph(DocxSampleReport.Lead, null),
                new DocxParagraph("一、上半年主要工作", 0),
                new DocxParagraph("（一）党的高质量建设效果凸显", 1),
                new DocxParagraph(DocxSampleReport.Para1, null),
                new DocxParagraph(DocxSampleReport.Para2, null),
                new DocxParagraph("1.抓头雁", 2),
                new DocxParagraph("选优配强带头人。", null),
                new DocxParagraph("（1）严格换届", 3),
                new DocxParagraph("高质量完成农村“两委”换届工作。", null),
                new DocxParagraph("三、下半年工作打算", 0),
                new DocxParagraph("（一）" + DocxSampleReport.InlineTitle + "。" + DocxSampleReport.InlineBody, 1),
                new DocxParagraph(DocxSampleReport.InlineSecond, null),
                new DocxParagraph("特此报告。", null),
                new DocxParagraph("中共X县委员会", null),
                new DocxParagraph("2020年7月10日", null),
            ],
            paragraphs);
    }

    [Fact]
    public void A_draft_reads_back_with_its_mark_first()
    {
        var paragraphs = DocxReader.ReadParagraphs(new MemoryStream(DocxExporter.Export(DocxSampleReport.Build(draft: true))));

        Assert.Equal(["征求意见稿", DocxSampleReport.Title, ""], paragraphs.Take(3).Select(p => p.Text));
    }

    [Fact]
    public void Automatic_chinese_and_decimal_numbering_is_rendered_as_text()
    {
        var bytes = DocxBuilder.Build(body =>
        {
            body.Append(
                DocxBuilder.Numbered("上半年主要工作", 1, 0),
                DocxBuilder.Numbered("加强学习", 1, 1),
                DocxBuilder.Numbered("强化监督", 1, 1),
                DocxBuilder.Numbered("存在问题", 1, 0),
                DocxBuilder.Numbered("学习不够", 1, 1),
                DocxBuilder.Plain("没有编号的段落"),
                DocxBuilder.Numbered("下半年工作打算", 1, 0));
        });

        var texts = DocxReader.ReadParagraphs(new MemoryStream(bytes)).Select(p => p.Text);

        Assert.Equal(["一、上半年主要工作", "1.加强学习", "2.强化监督", "二、存在问题", "1.学习不够", "没有编号的段落", "三、下半年工作打算"], texts);
    }

    [Fact]
    public void Numbering_through_a_style_counts_past_ten_in_chinese_and_gives_the_outline_level()
    {
        var bytes = DocxBuilder.Build(body =>
        {
            for (var i = 1; i <= 12; i++)
            {
                body.Append(new Paragraph(
                    new ParagraphProperties(new ParagraphStyleId { Val = "ListHeading" }),
                    new Run(new Text($"第{i}项"))));
            }
        });

        var paragraphs = DocxReader.ReadParagraphs(new MemoryStream(bytes));

        Assert.Equal("一、第1项", paragraphs[0].Text);
        Assert.Equal("十、第10项", paragraphs[9].Text);
        Assert.Equal("十一、第11项", paragraphs[10].Text);
        Assert.Equal("十二、第12项", paragraphs[11].Text);
        Assert.All(paragraphs, p => Assert.Equal(0, p.OutlineLevel));
    }

    [Fact]
    public void Parenthesised_numbering_and_an_override_start_are_honoured()
    {
        var bytes = DocxBuilder.Build(body =>
        {
            body.Append(
                DocxBuilder.Numbered("甲", 2, 0),
                DocxBuilder.Numbered("乙", 2, 0),
                DocxBuilder.Numbered("丙", 3, 0));
        });

        var texts = DocxReader.ReadParagraphs(new MemoryStream(bytes)).Select(p => p.Text);

        Assert.Equal(["（一）甲", "（二）乙", "（五）丙"], texts);
    }

    [Fact]
    public void Built_in_heading_styles_give_outline_levels_and_tabs_and_tables_are_read()
    {
        var bytes = DocxBuilder.Build(body =>
        {
            body.Append(
                new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = "Heading1" }), new Run(new Text("一级"))),
                new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = "2" }), new Run(new Text("二级"))),
                new Paragraph(new Run(new Text("甲"), new TabChar(), new Text("乙"), new Break(), new Text("丙"))),
                new Paragraph(
                    new Run(new Text("可见")),
                    new Run(new RunProperties(new Vanish()), new Text("隐藏")),
                    new DeletedRun(new Run(new DeletedText("删除"))),
                    new InsertedRun(new Run(new Text("插入")))),
                new Table(
                    new TableRow(new TableCell(new Paragraph(new Run(new Text("A1")))), new TableCell(new Paragraph(new Run(new Text("B1"))))),
                    new TableRow(new TableCell(new Paragraph(new Run(new Text("A2")))), new TableCell(new Paragraph(new Run(new Text("B2")))))),
                new Paragraph(new ParagraphProperties(new OutlineLevel { Val = 9 }), new Run(new Text("正文级别"))));
        });

        var paragraphs = DocxReader.ReadParagraphs(new MemoryStream(bytes));

        Assert.Equal(
            [
                new DocxParagraph("一级", 0), new DocxParagraph("二级", 1), new DocxParagraph("甲\t乙 丙", null),
                new DocxParagraph("可见插入", null),
                new DocxParagraph("A1", null), new DocxParagraph("B1", null), new DocxParagraph("A2", null), new DocxParagraph("B2", null),
                new DocxParagraph("正文级别", null),
            ],
            paragraphs);
    }

    [Fact]
    public void A_text_box_is_read_once_after_its_host_paragraph_not_again_from_the_fallback()
    {
        const string xml =
            "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" " +
            "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" " +
            "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" " +
            "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" " +
            "xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\" " +
            "xmlns:v=\"urn:schemas-microsoft-com:vml\" mc:Ignorable=\"wps\"><w:body><w:p>" +
            "<w:r><w:t>正文</w:t></w:r>" +
            "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:inline><a:graphic>" +
            "<a:graphicData uri=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\"><wps:wsp><wps:txbx><w:txbxContent>" +
            "<w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice>" +
            "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>" +
            "</mc:AlternateContent></w:r><w:r><w:t>继续</w:t></w:r></w:p></w:body></w:document>";
        using var ms = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(ms, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            using var w = new StreamWriter(main.GetStream(FileMode.Create));
            w.Write(xml);
        }

        var texts = DocxReader.ReadParagraphs(new MemoryStream(ms.ToArray())).Select(p => p.Text);

        Assert.Equal(["正文继续", "框内"], texts);
    }

    [Fact]
    public void A_stream_that_cannot_seek_is_buffered()
    {
        var bytes = DocxExporter.Export(DocxSampleReport.Build());

        var paragraphs = DocxReader.ReadParagraphs(new ForwardOnlyStream(bytes));

        Assert.Equal(DocxSampleReport.Title, paragraphs[0].Text);
    }

    [Fact]
    public void Random_bytes_are_not_a_docx()
    {
        var bytes = new byte[4096];
        new Random(42).NextBytes(bytes);

        var e = Assert.Throws<DocumentRejectedException>(() => DocxReader.ReadParagraphs(new MemoryStream(bytes)));

        Assert.Equal("not-docx", e.Code);
        Assert.Contains(".docx", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_is_not_a_docx()
    {
        var e = Assert.Throws<DocumentRejectedException>(() => DocxReader.ReadParagraphs(new MemoryStream()));

        Assert.Equal("not-docx", e.Code);
    }

    [Fact]
    public void A_zip_without_word_document_xml_is_not_a_docx()
    {
        var bytes = DocxBuilder.Zip(("[Content_Types].xml", "<Types/>"u8.ToArray()), ("xl/workbook.xml", "<workbook/>"u8.ToArray()));

        var e = Assert.Throws<DocumentRejectedException>(() => DocxReader.ReadParagraphs(new MemoryStream(bytes)));

        Assert.Equal("not-docx", e.Code);
    }

    [Fact]
    public void A_zip_with_a_broken_document_is_not_a_docx()
    {
        var bytes = DocxBuilder.Zip(("word/document.xml", "<w:document><w:body><w:p>"u8.ToArray()));

        var e = Assert.Throws<DocumentRejectedException>(() => DocxReader.ReadParagraphs(new MemoryStream(bytes)));

        Assert.Equal("not-docx", e.Code);
    }

    [Fact]
    public void A_docx_whose_document_xml_is_not_xml_is_not_a_docx()
    {
        var bytes = DocxExporter.Export(DocxSampleReport.Build());
        using var ms = new MemoryStream();
        ms.Write(bytes);
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Update, leaveOpen: true))
        {
            zip.GetEntry("word/document.xml")!.Delete();
            using var w = zip.CreateEntry("word/document.xml").Open();
            w.Write("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p>不完整"u8);
        }

        var e = Assert.Throws<DocumentRejectedException>(() => DocxReader.ReadParagraphs(new MemoryStream(ms.ToArray())));

        Assert.Equal("not-docx", e.Code);
    }

    [Fact]
    public void A_30_MB_entry_of_zeros_is_a_zip_bomb()
    {
        var bytes = DocxBuilder.Zip(("word/document.xml", "<x/>"u8.ToArray()), ("word/media/zeros.bin", new byte[30 * 1024 * 1024]));
        Assert.True(bytes.Length < 200_000);

        var e = Assert.Throws<DocumentRejectedException>(() => DocxReader.ReadParagraphs(new MemoryStream(bytes)));

        Assert.Equal("zip-bomb", e.Code);
        Assert.Contains("20 MB", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_small_entry_compressed_a_thousand_to_one_is_a_zip_bomb()
    {
        var bytes = DocxBuilder.Zip(("word/document.xml", "<x/>"u8.ToArray()), ("word/media/zeros.bin", new byte[5 * 1024 * 1024]));

        var e = Assert.Throws<DocumentRejectedException>(() => DocxReader.ReadParagraphs(new MemoryStream(bytes)));

        Assert.Equal("zip-bomb", e.Code);
        Assert.Contains("100:1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_a_thousand_entries_is_a_zip_bomb()
    {
        var entries = Enumerable.Range(0, 1001).Select(i => ($"word/e{i}.xml", "<x/>"u8.ToArray())).Append(("word/document.xml", "<x/>"u8.ToArray()));
        var bytes = DocxBuilder.Zip([.. entries]);

        var e = Assert.Throws<DocumentRejectedException>(() => DocxReader.ReadParagraphs(new MemoryStream(bytes)));

        Assert.Equal("zip-bomb", e.Code);
        Assert.Contains("1000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_50_MB_in_total_is_a_zip_bomb()
    {
        var chunk = new byte[18 * 1024 * 1024];
        new Random(7).NextBytes(chunk);
        var bytes = DocxBuilder.Zip(
            CompressionLevel.NoCompression,
            ("word/document.xml", "<x/>"u8.ToArray()), ("word/media/a.bin", chunk), ("word/media/b.bin", chunk), ("word/media/c.bin", chunk));

        var e = Assert.Throws<DocumentRejectedException>(() => DocxReader.ReadParagraphs(new MemoryStream(bytes)));

        Assert.Equal("zip-bomb", e.Code);
        Assert.Contains("50 MB", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_stops_at_the_character_limit_without_loading_the_whole_document()
    {
        var bytes = LargeDocx(19 * 1024 * 1024);
        Assert.InRange(bytes.Length, 1, 10 * 1024 * 1024); // passes the upload and zip checks, as the crafted file did
        var before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<DocumentRejectedException>(() => DocxReader.ReadParagraphs(new MemoryStream(bytes), 1_000_000));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("too-large", e.Code);
        Assert.Contains("1,000,000", e.Message, StringComparison.Ordinal);
        // The whole body as a DOM cost about 370 MB; reading stops after the first million characters.
        Assert.True(allocated < 120L * 1024 * 1024, $"allocated {allocated / (1024 * 1024)} MB");
    }

    /// <summary>
    /// A real package whose document.xml is about <paramref name="xmlBytes"/> of paragraphs of varied Chinese text (so it
    /// compresses like a real document, about 2:1, and passes the ratio check).
    /// </summary>
    internal static byte[] LargeDocx(int xmlBytes)
    {
        var random = new Random(11);
        var xml = new StringBuilder("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>", xmlBytes + 1024);
        var line = new char[200];
        while (xml.Length * 3 < xmlBytes)
        {
            for (var i = 0; i < line.Length; i++)
            {
                line[i] = (char)random.Next(0x4E00, 0x4E00 + 200); // a small alphabet, to compress like real prose
            }

            xml.Append("<w:p><w:r><w:t>").Append(line).Append("</w:t></w:r></w:p>");
        }

        xml.Append("</w:body></w:document>");
        using var ms = new MemoryStream();
        ms.Write(DocxExporter.Export(DocxSampleReport.Build()));
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Update, leaveOpen: true))
        {
            zip.GetEntry("word/document.xml")!.Delete();
            using var w = zip.CreateEntry("word/document.xml").Open();
            w.Write(Encoding.UTF8.GetBytes(xml.ToString()));
        }

        return ms.ToArray();
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream inner = new(bytes);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 1000));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>Hand-made .docx packages: numbering 1 = "%1、" chineseCounting / "%2." decimal; 2 = "（%1）" chineseCountingThousand; 3 = 2 restarted at 5.</summary>
internal static class DocxBuilder
{
    public static byte[] Build(Action<Body> fill)
    {
        using var ms = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(ms, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            var styles = main.AddNewPart<StyleDefinitionsPart>();
            styles.Styles = new Styles(
                new Style(new StyleName { Val = "Normal" }) { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true },
                new Style(new StyleName { Val = "heading 1" }, new BasedOn { Val = "Normal" }) { Type = StyleValues.Paragraph, StyleId = "Heading1" },
                new Style(new StyleName { Val = "标题 2" }, new BasedOn { Val = "Normal" }) { Type = StyleValues.Paragraph, StyleId = "2" },
                new Style(
                    new StyleName { Val = "List Heading" },
                    new BasedOn { Val = "Heading1" },
                    new StyleParagraphProperties(new NumberingProperties(new NumberingId { Val = 1 })))
                { Type = StyleValues.Paragraph, StyleId = "ListHeading" });

            var numbering = main.AddNewPart<NumberingDefinitionsPart>();
            numbering.Numbering = new Numbering(
                new AbstractNum(
                    Lvl(0, NumberFormatValues.ChineseCounting, "%1、"),
                    Lvl(1, NumberFormatValues.Decimal, "%2."))
                { AbstractNumberId = 10 },
                new AbstractNum(Lvl(0, NumberFormatValues.ChineseCountingThousand, "（%1）")) { AbstractNumberId = 20 },
                new NumberingInstance(new AbstractNumId { Val = 10 }) { NumberID = 1 },
                new NumberingInstance(new AbstractNumId { Val = 20 }) { NumberID = 2 },
                new NumberingInstance(
                    new AbstractNumId { Val = 20 },
                    new LevelOverride(new StartOverrideNumberingValue { Val = 5 }) { LevelIndex = 0 })
                { NumberID = 3 });

            var body = new Body();
            fill(body);
            main.Document = new Document(body);
        }

        return ms.ToArray();
    }

    private static Level Lvl(int index, NumberFormatValues format, string text) =>
        new(
            new StartNumberingValue { Val = 1 },
            new NumberingFormat { Val = format },
            new LevelText { Val = text },
            new LevelJustification { Val = LevelJustificationValues.Left })
        { LevelIndex = index };

    public static Paragraph Numbered(string text, int numId, int level) =>
        new(
            new ParagraphProperties(new NumberingProperties(new NumberingLevelReference { Val = level }, new NumberingId { Val = numId })),
            new Run(new Text(text)));

    public static Paragraph Plain(string text) => new(new Run(new Text(text)));

    public static byte[] Zip(params (string Name, byte[] Data)[] entries) => Zip(CompressionLevel.Optimal, entries);

    public static byte[] Zip(CompressionLevel level, params (string Name, byte[] Data)[] entries)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                using var s = zip.CreateEntry(name, level).Open();
                s.Write(data);
            }
        }

        return ms.ToArray();
    }
}
