using Workflow.Activities.Documents;

namespace Workflow.Tests.Unit;

public sealed class TitleLinesTests
{
    [Theory]
    // The organ and the time on the first line, the subject and the document type on the second.
    [InlineData("中共X县委关于2020年上半年加强党的建设工作情况的报告", "中共X县委关于2020年上半年|加强党的建设工作情况的报告")]
    // Fits one 2号 line (18 of 20 characters): no break.
    [InlineData("县上半年关于加强党的建设工作情况报告", "县上半年关于加强党的建设工作情况报告")]
    [InlineData("关于做好防汛工作的通知", "关于做好防汛工作的通知")]
    // The verb pair stays whole (加强和改进); the scope word opens the second line.
    [InlineData("中共X县委办公室关于进一步加强和改进全县基层党组织建设工作的实施方案", "中共X县委办公室关于进一步加强和改进|全县基层党组织建设工作的实施方案")]
    // The regulation's name is never cut: a 菱形 of three lines.
    [InlineData("中共X县委关于认真学习贯彻《中国共产党农村基层组织工作条例》的实施意见", "中共X县委关于认真学习贯彻|《中国共产党农村基层组织工作条例》|的实施意见")]
    // Two organs of a joint document on their own line; the date stays whole.
    [InlineData("中共X县委 X县人民政府关于做好2021年第一季度安全生产工作的通知", "中共X县委 X县人民政府|关于做好2021年第一季度|安全生产工作的通知")]
    // The verb goes with its object (落实全面从严治党…), not at the end of the first line.
    [InlineData("中共平山县委关于2020年度落实全面从严治党主体责任情况的报告", "中共平山县委关于2020年度|落实全面从严治党主体责任情况的报告")]
    [InlineData("中共X县委组织部关于印发《2020年全县基层党建工作要点》的通知", "中共X县委组织部关于印发|《2020年全县基层党建工作要点》的通知")]
    public void Titles_break_between_word_groups(string title, string expected)
    {
        Assert.Equal(expected.Split('|'), TitleLines.Lines(title));
    }

    [Fact]
    public void The_clerks_break_wins_over_the_chosen_one()
    {
        // The chooser would break after 上半年; the clerk broke before the document type.
        Assert.Equal(
            ["中共X县委关于2020年上半年加强党的建设", "工作情况的报告"],
            TitleLines.Lines("中共X县委关于2020年上半年加强党的建设\n工作情况的报告"));
        Assert.Equal(["县上半年", "关于加强党的建设工作情况报告"], TitleLines.Lines("  县上半年\r\n\n 关于加强党的建设工作情况报告　"));
    }

    [Fact]
    public void A_marked_line_still_wider_than_the_type_area_is_broken_again()
    {
        Assert.Equal(
            ["中共X县委", "关于2020年上半年", "加强党的建设工作情况的报告"],
            TitleLines.Lines("中共X县委\n关于2020年上半年加强党的建设工作情况的报告"));
    }

    [Fact]
    public void A_line_holds_twenty_2hao_characters_of_the_156_mm_type_area()
    {
        Assert.Equal(40, DocxLayout.TitleLineCapacity);
        Assert.Single(TitleLines.Lines(new string('党', 20)));
        Assert.Equal(2, TitleLines.Lines(new string('党', 21)).Count);
    }

    public static TheoryData<string> LongTitles =>
    [
        "中共X县委关于2020年上半年加强党的建设工作情况的报告",
        "中共X县纪委监委关于2020年上半年全县党风廉政建设和反腐败工作开展情况的报告",
        "关于召开全县2020年上半年党风廉政建设和反腐败工作会议的通知",
        "中共X县委关于申请2021年度ABC-2021数字党建平台建设专项资金的请示",
        "国务院关于印发“十四五”数字经济发展规划的通知",
        "中共X县委关于深入学习贯彻习近平新时代中国特色社会主义思想和党的十九届四中全会精神进一步加强基层党组织建设推动乡村振兴战略落地见效的实施意见",
        "关于X县2020年1月至6月党员发展、教育、管理和服务工作（含流动党员）情况的报告",
    ];

    [Theory]
    [MemberData(nameof(LongTitles))]
    public void Every_line_fits_and_no_break_cuts_a_number_a_Latin_word_or_punctuation(string title)
    {
        var lines = TitleLines.Lines(title);

        Assert.True(lines.Count > 1);
        Assert.Equal(title, string.Concat(lines));
        Assert.All(lines, l => Assert.InRange(TitleLines.Width(l), 1, DocxLayout.TitleLineCapacity));
        for (var i = 1; i < lines.Count; i++)
        {
            char before = lines[i - 1][^1], after = lines[i][0];
            Assert.DoesNotContain(after, "，。、；：？！）》”…%");
            Assert.DoesNotContain(before, "（《“");
            Assert.False(char.IsAsciiLetterOrDigit(before) && (char.IsAsciiLetterOrDigit(after) || "年月日-%".Contains(after)), $"{lines[i - 1]} | {lines[i]}");
            Assert.False(lines[i - 1].EndsWith("上半", StringComparison.Ordinal) || lines[i - 1].EndsWith('关'), $"{lines[i - 1]} | {lines[i]}");
        }
    }

    [Fact]
    public void Lines_are_balanced_rather_than_filled()
    {
        var widths = TitleLines.Lines("中共X县委关于2020年上半年加强党的建设工作情况的报告").Select(TitleLines.Width).ToList();

        Assert.InRange(Math.Abs(widths[0] - widths[1]), 0, 2); // 12.5 and 13 characters, not 20 and 5.5
    }

    [Fact]
    public void The_joined_title_drops_the_break_without_a_space_between_Chinese_words()
    {
        Assert.Equal("中共X县委关于2020年上半年加强党的建设工作情况的报告", TitleLines.Joined("中共X县委关于2020年上半年\n加强党的建设工作情况的报告"));
        Assert.Equal("Annual Report 2020", TitleLines.Joined("Annual\nReport 2020"));
        Assert.Equal("", TitleLines.Joined(null));
        Assert.Empty(TitleLines.Lines("  \n "));
    }
}
