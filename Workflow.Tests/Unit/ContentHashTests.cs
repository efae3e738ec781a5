using Workflow.Activities.Documents;

namespace Workflow.Tests.Unit;

public sealed class ContentHashTests
{
    private const string Paragraph = "一、坚持以党的政治建设为统领\n县委始终把党的政治建设摆在首位。";

    [Fact]
    public void A_hash_is_lowercase_hex_sha256()
    {
        Assert.Matches("^[0-9a-f]{64}$", ContentHash.Of(Paragraph));
        Assert.Equal("ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb", ContentHash.Of("a"));
    }

    [Theory]
    [InlineData("一、坚持以党的政治建设为统领\r\n县委始终把党的政治建设摆在首位。")]
    [InlineData("一、坚持以党的政治建设为统领\r县委始终把党的政治建设摆在首位。")]
    [InlineData("一、坚持以党的政治建设为统领  \n县委始终把党的政治建设摆在首位。\t")]
    [InlineData("\uFEFF一、坚持以党的政治建设为统领\n县委始终把党的政治建设摆在首位。\n\n")]
    public void Differences_a_reader_cannot_see_do_not_change_the_hash(string variant)
    {
        Assert.Equal(ContentHash.Of(Paragraph), ContentHash.Of(variant));
    }

    [Fact]
    public void Composed_and_decomposed_characters_hash_alike()
    {
        Assert.Equal(ContentHash.Of("Caf\u00e9"), ContentHash.Of("Cafe\u0301"));
    }

    [Theory]
    [InlineData("一、坚持以党的政治建设为统领\n县委始终把党的政治建设摆在首要位置。")]
    [InlineData("一、坚持以党的政治建设为统领\n县委始终把党的政治建设摆在首位")]
    [InlineData("一、坚持以党的政治建设为统领\n县委始终把党的思想建设摆在首位。")]
    [InlineData("一、坚持以党的政治建设为统领县委始终把党的政治建设摆在首位。")]
    public void Any_visible_change_changes_the_hash(string edited)
    {
        Assert.NotEqual(ContentHash.Of(Paragraph), ContentHash.Of(edited));
    }
}
