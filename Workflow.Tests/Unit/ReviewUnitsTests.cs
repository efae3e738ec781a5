using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Workflow.Activities.Documents;

namespace Workflow.Tests.Unit;

public sealed class ReviewUnitsTests
{
    /// <summary>Title + lead + every group's and unit's heading text and content + closing, in the order Select gives.</summary>
    internal static string Reassemble(ParsedOutline doc, IReadOnlyList<ReviewUnit> units)
    {
        var sections = OutlineParserPropertyTests.AllSections(doc).ToDictionary(s => s.Id);
        var sb = new StringBuilder(doc.Title).Append(doc.Lead);
        foreach (var u in units)
        {
            var heading = u.Title == ReviewUnits.OverviewTitle && u.Number.Length == 0 ? "" : sections[u.Id].HeadingText;
            sb.Append(heading).Append(u.Content);
        }

        return sb.Append(doc.Closing).ToString();
    }

    private static ParsedOutline Parse(params string[] lines) => OutlineParser.Parse(string.Join('\n', lines) + "\n");

    // ---- the sample report --------------------------------------------------------------------------------------

    [Fact]
    public void The_sample_report_is_reviewed_at_the_second_level()
    {
        Assert.Equal(2, ReviewUnits.DefaultLevel(OutlineParser.Parse(SampleReport.Text)));
    }

    [Fact]
    public void The_sample_report_gives_three_groups_of_three_units()
    {
        var doc = OutlineParser.Parse(SampleReport.Text);
        var units = ReviewUnits.Select(doc, 2);

        Assert.Equal("县上半年关于加强党的建设工作情况报告", doc.Title);
        Assert.StartsWith("2020年上半年", doc.Lead.TrimStart(), StringComparison.Ordinal);

        var groups = units.Where(u => u.IsGroup).ToList();
        Assert.Equal(["1", "2", "3"], groups.Select(g => g.Id));
        Assert.Equal(["一、", "二、", "三、"], groups.Select(g => g.Number));
        Assert.Equal(["上半年主要工作", "存在问题及原因", "下半年工作打算"], groups.Select(g => g.Title));
        Assert.All(groups, g => Assert.Null(g.ParentId));
        Assert.All(groups, g => Assert.Equal("\n", g.Content));

        Assert.Equal(
            ["1", "1.1", "1.2", "1.3", "2", "2.1", "2.2", "2.3", "3", "3.1", "3.2", "3.3"],
            units.Select(u => u.Id));
        var leaves = units.Where(u => !u.IsGroup).ToList();
        Assert.Equal(9, leaves.Count);
        Assert.All(leaves, u => Assert.Equal((2, u.Id[..1]), (u.Level, u.ParentId)));
        Assert.Equal(["1", "2", "3"], leaves.GroupBy(u => u.ParentId).Where(g => g.Count() == 3).Select(g => g.Key));

        var plans = leaves.Where(u => u.ParentId == "3").ToList();
        Assert.All(plans, u => Assert.True(u.SharesLine));
        Assert.Equal(["全面提升组织力，推进党的高质量建设", "落实主体责任，营造风清气正的氛围", "加强探索创新，牢握意识形态主动权"], plans.Select(u => u.Title));
        Assert.StartsWith("突出责任抓党建", plans[0].Content, StringComparison.Ordinal);
        Assert.All(leaves.Where(u => u.ParentId != "3"), u => Assert.False(u.SharesLine));

        var causes = units.Single(u => u.Id == "2.3");
        Assert.Equal(("（三）", "落实意识形态工作责任制方面", 28), (causes.Number, causes.Title, causes.Line));
        var paragraphs = causes.Content.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var reasons = Array.IndexOf(paragraphs, "产生以上问题的原因主要有以下几个方面：");
        Assert.Equal(3, reasons);
        Assert.Equal(["一是", "二是", "三是"], paragraphs[(reasons + 1)..].Select(p => p[..2]));
        Assert.Equal(["一是", "二是", "三是", "一是", "二是", "三是"], causes.Items.Select(i => i.Marker));
        Assert.Equal([33, 34, 35], causes.Items.Skip(3).Select(i => i.Line));

        var first = units.Single(u => u.Id == "1.1");
        Assert.Equal(("（一）", "党的高质量建设效果凸显", 6), (first.Number, first.Title, first.Line));
        Assert.Equal(["一是", "二是", "三是", "四是", "五是"], first.Items.Select(i => i.Marker));
        Assert.StartsWith("深入组织动员，构建防控体系。全县建立“党员先锋岗”X个", first.Items[0].Text, StringComparison.Ordinal);
        Assert.Equal([7, 8, 9, 10, 11], first.Items.Select(i => i.Line));

        Assert.Equal(SampleReport.Text, Reassemble(doc, units));
        Assert.Equal(ContentHash.Normalize(SampleReport.Text), ContentHash.Normalize(Reassemble(doc, units)));
    }

    // ---- the default level --------------------------------------------------------------------------------------

    [Fact]
    public void The_default_level_is_the_deepest_level_under_a_part()
    {
        Assert.Equal(3, ReviewUnits.DefaultLevel(Parse("一、甲", "（一）乙", "1.丙", "（二）丁", "二、戊")));
        Assert.Equal(4, ReviewUnits.DefaultLevel(Parse("一、甲", "（一）乙", "1.丙", "（1）丁")));
        Assert.Equal(1, ReviewUnits.DefaultLevel(Parse("一、甲", "正文。", "二、乙")));
        Assert.Equal(2, ReviewUnits.DefaultLevel(Parse("（一）甲", "（二）乙")));
        Assert.Equal(1, ReviewUnits.DefaultLevel(Parse("没有提纲的正文。")));
    }

    // ---- selecting ----------------------------------------------------------------------------------------------

    [Fact]
    public void A_leaf_above_the_review_level_is_a_unit_itself()
    {
        var doc = Parse("一、甲", "（一）乙", "二、丙", "正文。");
        var units = ReviewUnits.Select(doc, 2);

        Assert.Equal(
            [("1", null, true, 1), ("1.1", "1", false, 2), ("2", null, false, 1)],
            units.Select(u => (u.Id, u.ParentId, u.IsGroup, u.Level)));
        Assert.Equal("\n正文。\n", units[2].Content);
    }

    [Fact]
    public void A_group_with_its_own_text_gets_an_overview_unit_first()
    {
        var doc = Parse("一、存在问题", "总的看，一是认识不足。", "", "（一）责任落实方面", "问责不够。");
        var units = ReviewUnits.Select(doc, 2);

        Assert.Equal(["1", "1.0", "1.1"], units.Select(u => u.Id));
        Assert.Equal(("", "1"), (units[0].Content, units[1].ParentId));
        var overview = units[1];
        Assert.Equal((false, 2, "", "概述", false), (overview.IsGroup, overview.Level, overview.Number, overview.Title, overview.SharesLine));
        Assert.Equal("\n总的看，一是认识不足。\n\n", overview.Content);
        Assert.Equal(2, overview.Line);
        Assert.Equal(["一是"], overview.Items.Select(i => i.Marker));
        Assert.Equal(string.Join('\n', "一、存在问题", "总的看，一是认识不足。", "", "（一）责任落实方面", "问责不够。") + "\n", Reassemble(doc, units));
    }

    [Fact]
    public void The_overview_of_a_heading_sharing_its_line_starts_on_the_heading_s_line()
    {
        var doc = Parse("一、存在问题。总的看，问题有三。", "（一）责任落实方面");
        var overview = ReviewUnits.Select(doc, 2)[1];

        Assert.Equal(("1.0", "总的看，问题有三。\n", 1), (overview.Id, overview.Content, overview.Line));
    }

    [Fact]
    public void A_unit_folds_in_its_descendants_headings_bodies_and_items()
    {
        var doc = Parse("一、甲", "（一）乙", "一是学习。", "1.丙", "二是落实。", "（1）丁", "三是检查。", "（二）戊");
        var units = ReviewUnits.Select(doc, 2);

        var unit = units[1];
        Assert.Equal("1.1", unit.Id);
        Assert.Equal("\n一是学习。\n1.丙\n二是落实。\n（1）丁\n三是检查。\n", unit.Content);
        Assert.Equal(["一是", "二是", "三是"], unit.Items.Select(i => i.Marker));
        Assert.Equal([3, 5, 7], unit.Items.Select(i => i.Line));
        Assert.Equal("1.2", units[2].Id);
    }

    [Fact]
    public void Under_a_skipped_level_the_deeper_headings_are_the_units()
    {
        var doc = Parse("一、甲", "1.乙", "2.丙", "二、丁", "（一）戊");
        var units = ReviewUnits.Select(doc, 2);

        Assert.Equal(
            [("1", true, 1), ("1.1", false, 3), ("1.2", false, 3), ("2", true, 1), ("2.1", false, 2)],
            units.Select(u => (u.Id, u.IsGroup, u.Level)));
    }

    [Fact]
    public void At_level_one_every_part_is_a_unit_holding_its_whole_subtree()
    {
        var doc = OutlineParser.Parse(SampleReport.Text);
        var units = ReviewUnits.Select(doc, 1);

        Assert.Equal(["1", "2", "3"], units.Select(u => u.Id));
        Assert.All(units, u => Assert.False(u.IsGroup));
        Assert.Equal(11, units[0].Items.Count);
        Assert.Equal(SampleReport.Text, Reassemble(doc, units));
    }

    [Fact]
    public void Without_an_outline_there_is_nothing_to_select_and_the_lead_holds_the_text()
    {
        var doc = Parse("没有提纲的正文。");

        Assert.Empty(ReviewUnits.Select(doc, ReviewUnits.DefaultLevel(doc)));
        Assert.Equal("没有提纲的正文。\n", Reassemble(doc, []));
    }

    [Fact]
    public void Generated_reports_lose_no_text_at_any_review_level()
    {
        var property = Prop.ForAll(Recipe.Arbitrary, recipe =>
        {
            var report = GeneratedReport.Build(recipe);
            var doc = OutlineParser.Parse(report.Text);
            foreach (var level in new[] { ReviewUnits.DefaultLevel(doc), 1, 2, 3, 4 })
            {
                var units = ReviewUnits.Select(doc, level);
                Assert.Equal(report.Canonical, Reassemble(doc, units));
                Assert.All(units, u => Assert.True(u.IsGroup ? u.Level < level : u.Level >= level || u.Id.EndsWith(".0", StringComparison.Ordinal) || !OutlineParserPropertyTests.AllSections(doc).Single(s => s.Id == u.Id).Children.Any()));
                Assert.Equal(units.Select(u => u.Id).Distinct().Count(), units.Count);
            }
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property);
    }
}
