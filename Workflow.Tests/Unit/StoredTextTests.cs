using System.Text;
using DocumentFormat.OpenXml.Packaging;
using Workflow.Activities.Documents;

namespace Workflow.Tests.Unit;

/// <summary>Text that XML or Unicode normalisation cannot hold is named where it is, and never breaks a hash or an export.</summary>
public sealed class StoredTextTests
{
    [Theory]
    [InlineData("一是\uFFFF发展", "U+FFFF", 3, 1, 3)]
    [InlineData("第一行\n二\uFFFE", "U+FFFE", 6, 2, 2)]
    [InlineData("响铃\u0007", "U+0007", 3, 1, 3)]
    public void An_unstorable_character_is_named_with_its_position(string text, string name, int position, int line, int column)
    {
        var bad = StoredText.FindInvalid(text);

        Assert.NotNull(bad);
        Assert.Equal((name, position, line, column), (bad.Name, bad.Position, bad.Line, bad.Column));
        Assert.Contains(name, bad.Describe("The section text"));
        Assert.Contains($"position {position}", bad.Describe("The section text"));
    }

    [Fact]
    public void A_lone_surrogate_is_named_with_its_position()
    {
        // Built in code: test-case data would not carry a lone surrogate through intact.
        var text = "断" + (char)0xD800 + "开" + (char)0xDC00;

        var bad = StoredText.FindInvalid(text);

        Assert.Equal(("U+D800", 2), (bad?.Name, bad?.Position));
        Assert.Equal(("U+DC00", 2), (StoredText.FindInvalid(text[2..])?.Name, StoredText.FindInvalid(text[2..])?.Position));
        Assert.Equal("断开", StoredText.ForXml(text));
        Assert.Matches("^[0-9a-f]{64}$", ContentHash.Of(text));
    }

    [Theory]
    [InlineData("一、坚持党的领导。\r\n\t县委始终把党建摆在首位。")]
    [InlineData("emoji 😀 and 𠀀 (outside the BMP), \uFFFD, \uE000")]
    [InlineData("")]
    public void Ordinary_text_is_storable(string text)
    {
        Assert.Null(StoredText.FindInvalid(text));
        Assert.Equal(text, StoredText.ForXml(text));
    }

    [Theory]
    [InlineData("前\uFFFE后")]
    [InlineData("前\uFFFF后")]
    public void The_content_hash_never_throws(string text)
    {
        Assert.Matches("^[0-9a-f]{64}$", ContentHash.Of(text));
    }

    [Fact]
    public void The_word_export_leaves_out_what_xml_cannot_hold_instead_of_failing()
    {
        var report = new ReportDocument("标题\uFFFF", "导语\uFFFE", [new DocumentBlock(1, "一、", "坚持\uD800党的领导。", false, "县委\u0001始终\uFFFF把党建摆在首位。")], "落款\uFFFF", false);

        var bytes = DocxExporter.Export(report);

        using var doc = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        var text = doc.MainDocumentPart!.Document!.Body!.InnerText;
        Assert.Contains("县委始终把党建摆在首位。", text);
        Assert.Contains("坚持党的领导。", text);
        Assert.Null(StoredText.FindInvalid(text));
        Assert.DoesNotContain('\uFFFF', Encoding.UTF8.GetString(bytes));
    }
}
