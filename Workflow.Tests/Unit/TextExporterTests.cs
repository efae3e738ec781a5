using Workflow.Activities.Documents;

namespace Workflow.Tests.Unit;

public sealed class TextExporterTests
{
    private static readonly string InlineParagraph = "（一）" + DocxSampleReport.InlineTitle + "。" + DocxSampleReport.InlineBody;

    [Fact]
    public void Plain_text_is_one_paragraph_a_line_with_headings_on_their_own_lines_or_inline_as_written()
    {
        var text = TextExporter.ToPlainText(DocxSampleReport.Build());

        Assert.Equal(
            string.Join('\n',
                DocxSampleReport.Title,
                "",
                DocxSampleReport.Lead,
                "一、上半年主要工作",
                "（一）党的高质量建设效果凸显",
                DocxSampleReport.Para1,
                DocxSampleReport.Para2,
                "1.抓头雁",
                "选优配强带头人。",
                "（1）严格换届",
                "高质量完成农村“两委”换届工作。",
                "三、下半年工作打算",
                InlineParagraph,
                DocxSampleReport.InlineSecond,
                "特此报告。",
                "中共X县委员会",
                "2020年7月10日") + "\n",
            text);
    }

    [Fact]
    public void A_draft_in_plain_text_starts_with_the_mark()
    {
        var lines = TextExporter.ToPlainText(DocxSampleReport.Build(draft: true)).Split('\n');

        Assert.Equal(["【征求意见稿】", DocxSampleReport.Title, ""], lines.Take(3));
    }

    [Fact]
    public void Markdown_maps_outline_levels_to_heading_depths_and_bolds_inline_headings()
    {
        var md = TextExporter.ToMarkdown(DocxSampleReport.Build(draft: true));

        Assert.Equal(
            string.Join("\n\n",
                "> 【征求意见稿】",
                "# " + DocxSampleReport.Title,
                DocxSampleReport.Lead,
                "## 一、上半年主要工作",
                "### （一）党的高质量建设效果凸显",
                DocxSampleReport.Para1,
                DocxSampleReport.Para2,
                "#### 1.抓头雁",
                "选优配强带头人。",
                "##### （1）严格换届",
                "高质量完成农村“两委”换届工作。",
                "## 三、下半年工作打算",
                "**（一）" + DocxSampleReport.InlineTitle + "**。" + DocxSampleReport.InlineBody,
                DocxSampleReport.InlineSecond,
                "特此报告。",
                "中共X县委员会",
                "2020年7月10日") + "\n",
            md);
    }

    [Fact]
    public void A_final_in_markdown_has_no_draft_note()
    {
        var md = TextExporter.ToMarkdown(DocxSampleReport.Build(draft: false));

        Assert.StartsWith("# " + DocxSampleReport.Title + "\n\n", md, StringComparison.Ordinal);
        Assert.DoesNotContain("征求意见稿", md, StringComparison.Ordinal);
    }

    [Fact]
    public void An_inline_heading_that_ends_its_sentence_keeps_the_mark_outside_the_bold()
    {
        var doc = new ReportDocument("标题", "", [new DocumentBlock(1, "一、", "坚持党的领导。", true, "县委始终把党建摆在首位。")], "", false);

        Assert.Contains("\n\n**一、坚持党的领导**。县委始终把党建摆在首位。\n", TextExporter.ToMarkdown(doc), StringComparison.Ordinal);
        Assert.Contains("\n一、坚持党的领导。县委始终把党建摆在首位。\n", TextExporter.ToPlainText(doc), StringComparison.Ordinal);
    }

    [Fact]
    public void User_text_that_looks_like_markdown_is_escaped_and_never_becomes_markup()
    {
        var body = string.Join('\n',
            "# 不是标题",
            "- 不是列表",
            "+ 也不是列表",
            "1. 不是编号",
            "12) 也不是编号",
            "> 不是引用",
            "    不是代码块",
            "**不加粗** 和 _不倾斜_ 和 `不是代码` 和 [不是链接](http://x) 和 <b>不是HTML</b>",
            "===",
            "```",
            "2020年X月完成X%");
        var doc = new ReportDocument("标题 #", "", [new DocumentBlock(2, "（一）", "*重点*", false, body)], "", false);

        var md = TextExporter.ToMarkdown(doc);

        Assert.Equal(
            string.Join("\n\n",
                "# 标题 \\#",
                "### （一）\\*重点\\*",
                "\\# 不是标题",
                "\\- 不是列表",
                "\\+ 也不是列表",
                "1\\. 不是编号",
                "12\\) 也不是编号",
                "\\> 不是引用",
                "不是代码块",
                "\\*\\*不加粗\\*\\* 和 \\_不倾斜\\_ 和 \\`不是代码\\` 和 \\[不是链接\\](http://x) 和 \\<b\\>不是HTML\\</b\\>",
                "\\===",
                "\\`\\`\\`",
                "2020年X月完成X%") + "\n",
            md);
    }

    private static ReportDocument Final(bool draft = false) =>
        new("中共X县委关于2020年上半年\n加强党的建设工作情况的报告", "导语。", [new DocumentBlock(1, "一、", "主要工作", false, "正文。")], "特此报告。\n中共X县委员会\n2020年6月30日", draft)
        {
            Addressee = "市委组织部",
            Issuer = "中共X县委",
            SignedOn = new DateOnly(2020, 7, 1),
        };

    [Fact]
    public void A_final_in_plain_text_has_the_addressee_under_the_title_and_the_signoff_at_the_end_and_no_mark()
    {
        Assert.Equal(
            "中共X县委关于2020年上半年加强党的建设工作情况的报告\n\n市委组织部：\n导语。\n一、主要工作\n正文。\n特此报告。\n中共X县委\n2020年7月1日\n",
            TextExporter.ToPlainText(Final()));
        Assert.StartsWith("【征求意见稿】\n", TextExporter.ToPlainText(Final(draft: true)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_final_in_markdown_has_the_addressee_and_the_signoff_as_paragraphs_and_no_mark()
    {
        var md = TextExporter.ToMarkdown(Final());

        Assert.Equal(
            string.Join("\n\n", "# 中共X县委关于2020年上半年加强党的建设工作情况的报告", "市委组织部：", "导语。", "## 一、主要工作", "正文。", "特此报告。", "中共X县委", "2020年7月1日") + "\n",
            md);
        Assert.DoesNotContain("征求意见稿", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_text_keeps_user_text_as_it_is()
    {
        var doc = new ReportDocument("标题", "# 导语", [new DocumentBlock(1, "一、", "标题", false, "- 正文")], "", false);

        Assert.Equal("标题\n\n# 导语\n一、标题\n- 正文\n", TextExporter.ToPlainText(doc));
    }
}
