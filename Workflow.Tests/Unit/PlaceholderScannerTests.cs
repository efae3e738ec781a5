using Workflow.Activities.Documents;

namespace Workflow.Tests.Unit;

public sealed class PlaceholderScannerTests
{
    [Theory]
    [InlineData("发展党员X名", "X")]
    [InlineData("捐款率达X%", "X")]
    [InlineData("投入X万元", "X")]
    [InlineData("XX县委", "XX")]
    [InlineData("推进村级文化“X”工程", "X")]
    [InlineData("设置X个检测点", "X")]
    [InlineData("XXX村", "XXX")]
    [InlineData("xx乡", "xx")]
    [InlineData("Ｘ个村", "Ｘ")]
    [InlineData("ｘｘ人", "ｘｘ")]
    [InlineData("XＸ户", "XＸ")]
    [InlineData("XXXX年", "XXXX")]
    [InlineData("X", "X")]
    [InlineData("(X)", "X")]
    public void Runs_of_X_where_a_figure_is_missing_are_found(string text, string placeholder)
    {
        var p = Assert.Single(PlaceholderScanner.Find(text));

        Assert.Equal(placeholder, p.Text);
        Assert.Equal(text.IndexOf(placeholder, StringComparison.Ordinal), p.Index);
        Assert.Equal(placeholder.Length, p.Length);
    }

    [Theory]
    [InlineData("导出为Excel表格")]
    [InlineData("XML格式")]
    [InlineData("Xi在讲话中")]
    [InlineData("max值")]
    [InlineData("MAX值")]
    [InlineData("x86服务器")]
    [InlineData("3x4米展板")]
    [InlineData("身份证号4101XX")]
    [InlineData("ＸＭＬ文件")]
    [InlineData("XXXXX年")]
    [InlineData("box")]
    public void X_inside_latin_words_numbers_and_long_runs_is_not_a_placeholder(string text)
    {
        Assert.Empty(PlaceholderScanner.Find(text));
    }

    [Fact]
    public void X年X月_is_two_placeholders()
    {
        Assert.Equal([(0, "X"), (2, "X")], PlaceholderScanner.Find("X年X月").Select(p => (p.Index, p.Text)));
    }

    [Fact]
    public void Lines_and_columns_are_one_based_whatever_the_line_breaks()
    {
        var found = PlaceholderScanner.Find("第一行X\r\n第二行\rXX\n\n  X");

        Assert.Equal([(1, 4), (3, 1), (5, 3)], found.Select(p => (p.Line, p.Column)));
        Assert.Equal([3, 10, 16], found.Select(p => p.Index));
    }

    [Fact]
    public void Context_is_up_to_eight_characters_either_side_within_the_line()
    {
        var found = PlaceholderScanner.Find("上一行\n全县建立“党员先锋岗”X个，招募党员志愿者X人\n下一行");

        Assert.Equal(["立“党员先锋岗”X个，招募党员志愿", "，招募党员志愿者X人"], found.Select(p => p.Context));
    }

    [Fact]
    public void The_sample_report_has_ninety_six_placeholders()
    {
        var found = PlaceholderScanner.Find(SampleReport.Text);

        Assert.Equal(96, found.Count);
        Assert.All(found, p => Assert.Equal("X", p.Text));
        Assert.Equal(18, found.Count(p => p.Line == 7));
        Assert.Equal((4, 10, "020年上半年，X县在市委的正确领"), (found[0].Line, found[0].Column, found[0].Context));
        var phrase = SampleReport.Text.IndexOf("X村于X年X月将代表X市", StringComparison.Ordinal);
        Assert.Equal([phrase, phrase + 3, phrase + 5, phrase + 10], found.Select(p => p.Index).Where(i => i >= phrase && i <= phrase + 10));
        Assert.Equal(4, found.Count(p => p.Line == 39));
        Assert.Equal(0, found.Count(p => p.Line == 38));
        Assert.All(found, p => Assert.Equal(p.Text, SampleReport.Text.Substring(p.Index, p.Length)));
    }

    [Fact]
    public void A_long_text_is_scanned_in_one_pass()
    {
        var text = string.Concat(Enumerable.Repeat("发展党员X名，投入XX万元，导出Excel。\n", 20_000));

        var found = PlaceholderScanner.Find(text);

        Assert.Equal(40_000, found.Count);
        Assert.Equal(20_000, found[^1].Line);
    }
}
