using Workflow.Activities.Documents;

namespace Workflow.Tests.Unit;

public sealed class OutlineParserTests
{
    private static ParsedOutline Parse(params string[] lines) => OutlineParser.Parse(string.Join('\n', lines) + "\n");

    private static OutlineSection Single(ParsedOutline doc) => Assert.Single(doc.Parts);

    // ---- levels -------------------------------------------------------------------------------------------------

    [Fact]
    public void Four_levels_nest_一_then_bracketed_一_then_arabic_then_bracketed_arabic()
    {
        var doc = Parse("一、总体情况", "（一）主要做法", "1.强化学习", "（1）集中学习", "（2）个人自学", "2．抓好落实", "3、建章立制", "（二）存在问题", "二、下步打算");

        Assert.Equal(["一、", "二、"], doc.Parts.Select(p => p.Number));
        var first = doc.Parts[0];
        Assert.Equal((1, "总体情况"), (first.Level, first.Title));
        Assert.Equal(["（一）", "（二）"], first.Children.Select(c => c.Number));
        var practice = first.Children[0];
        Assert.Equal((2, "主要做法"), (practice.Level, practice.Title));
        Assert.Equal(["1.", "2．", "3、"], practice.Children.Select(c => c.Number));
        Assert.All(practice.Children, c => Assert.Equal(3, c.Level));
        Assert.Equal(["（1）", "（2）"], practice.Children[0].Children.Select(c => c.Number));
        Assert.All(practice.Children[0].Children, c => Assert.Equal(4, c.Level));
        Assert.Equal(["集中学习", "个人自学"], practice.Children[0].Children.Select(c => c.Title));
        Assert.Empty(doc.Warnings);
    }

    [Fact]
    public void Numbers_may_be_indented_with_full_width_or_ascii_spaces_and_the_indent_stays_in_the_heading_text()
    {
        var doc = Parse("\u3000\u3000一、总体情况", "  （一）主要做法", "\t1. 强化学习");

        var part = Single(doc);
        Assert.Equal(("一、", "总体情况", "\u3000\u3000一、总体情况"), (part.Number, part.Title, part.HeadingText));
        Assert.Equal("  （一）主要做法", part.Children[0].HeadingText);
        Assert.Equal(("1.", "强化学习"), (part.Children[0].Children[0].Number, part.Children[0].Children[0].Title));
    }

    [Theory]
    [InlineData("十、党的建设", "十、")]
    [InlineData("十一、党的建设", "十一、")]
    [InlineData("二十、党的建设", "二十、")]
    [InlineData("九十九、党的建设", "九十九、")]
    public void Level_one_numbers_run_from_一_to_九十九(string line, string number)
    {
        var part = Single(OutlineParser.Parse(line));

        Assert.Equal((1, number, "党的建设"), (part.Level, part.Number, part.Title));
    }

    [Theory]
    [InlineData("一十、党的建设")]
    [InlineData("十十、党的建设")]
    [InlineData("一百、党的建设")]
    [InlineData("一二、党的建设")]
    [InlineData("一、")]
    [InlineData("（一）")]
    [InlineData("（一党的建设")]
    [InlineData("(a)党的建设")]
    [InlineData("0.党的建设")]
    [InlineData("1234.党的建设")]
    public void Malformed_numbers_are_not_headings(string line)
    {
        var doc = OutlineParser.Parse(line);

        Assert.Empty(doc.Parts);
        Assert.Equal(line, doc.Lead);
    }

    [Fact]
    public void Half_width_brackets_are_the_same_levels_as_full_width_ones()
    {
        var doc = Parse("一、总体情况", "(一)主要做法", "1.强化学习", "(1)集中学习", "(二)存在问题");

        var part = Single(doc);
        Assert.Equal(["(一)", "(二)"], part.Children.Select(c => c.Number));
        Assert.All(part.Children, c => Assert.Equal(2, c.Level));
        var sub = part.Children[0].Children[0].Children[0];
        Assert.Equal((4, "(1)", "集中学习"), (sub.Level, sub.Number, sub.Title));
        Assert.Empty(doc.Warnings);
    }

    // ---- a heading and its body on one line ---------------------------------------------------------------------

    [Fact]
    public void A_heading_that_is_the_first_sentence_of_a_paragraph_shares_its_line_with_the_body()
    {
        var doc = OutlineParser.Parse("一、坚持党要管党、全面从严治党，切实发挥领导核心作用。县委始终把党建工作摆在首位。\n二、存在问题");

        var part = doc.Parts[0];
        Assert.True(part.SharesLine);
        Assert.Equal("一、坚持党要管党、全面从严治党，切实发挥领导核心作用。", part.HeadingText);
        Assert.Equal("坚持党要管党、全面从严治党，切实发挥领导核心作用", part.Title);
        Assert.Equal("县委始终把党建工作摆在首位。\n", part.Body);
        Assert.False(doc.Parts[1].SharesLine);
    }

    [Theory]
    [InlineData("（一）主要做法：全县建立党员先锋岗X个。", "（一）主要做法：", "全县建立党员先锋岗X个。")]
    [InlineData("（一）主要做法:全县建立党员先锋岗X个。", "（一）主要做法:", "全县建立党员先锋岗X个。")]
    [InlineData("1.强化学习。 全县开展培训X次。", "1.强化学习。", " 全县开展培训X次。")]
    public void A_shared_heading_ends_at_the_first_full_stop_or_colon(string line, string heading, string body)
    {
        var part = Single(OutlineParser.Parse(line));

        Assert.True(part.SharesLine);
        Assert.Equal((heading, body), (part.HeadingText, part.Body));
    }

    [Fact]
    public void A_heading_alone_on_its_line_may_end_with_a_terminator_and_spaces_without_sharing_its_line()
    {
        var part = Single(OutlineParser.Parse("（一）主要做法：\u3000 \n全县建立党员先锋岗X个。\n"));

        Assert.False(part.SharesLine);
        Assert.Equal(("（一）主要做法：\u3000 ", "主要做法"), (part.HeadingText, part.Title));
        Assert.Equal("\n全县建立党员先锋岗X个。\n", part.Body);
    }

    // ---- false headings -----------------------------------------------------------------------------------------

    [Theory]
    [InlineData("1.5万元用于阵地建设。")]
    [InlineData("2020年以来，全县发展党员X名。")]
    [InlineData("3、4月份开展集中培训X次。")]
    [InlineData("2020.7.1召开会议。")]
    [InlineData(GeneratedReport.LongEnumeratedParagraph)]
    public void Text_that_only_starts_like_a_number_stays_body_text(string paragraph)
    {
        var doc = OutlineParser.Parse($"一、总体情况\n{paragraph}\n");

        var part = Single(doc);
        Assert.Empty(part.Children);
        Assert.Equal($"\n{paragraph}\n", part.Body);
    }

    [Fact]
    public void A_heading_may_run_sixty_characters_to_its_terminator_but_not_more()
    {
        var sixty = new string('建', 60);
        Assert.True(GeneratedReport.LongEnumeratedParagraph.IndexOf('。', StringComparison.Ordinal) > 62);

        Assert.Equal(sixty, Single(OutlineParser.Parse($"1.{sixty}。正文。")).Title);
        Assert.Equal(sixty, Single(OutlineParser.Parse($"1.{sixty}")).Title);
        Assert.Empty(OutlineParser.Parse($"1.{sixty}建。正文。").Parts);
        Assert.Empty(OutlineParser.Parse($"1.{sixty}建").Parts);
    }

    // ---- title, lead, sections ----------------------------------------------------------------------------------

    [Fact]
    public void The_first_line_is_the_title_and_the_text_up_to_the_first_level_one_heading_is_the_lead()
    {
        var doc = Parse("县上半年党建工作情况报告", "", "上半年，X县党建工作取得新成效。", "（一）这一行在一、之前，是导语的一部分", "一、主要工作", "（一）强化学习");

        Assert.Equal("县上半年党建工作情况报告", doc.Title);
        Assert.Equal("\n\n上半年，X县党建工作取得新成效。\n（一）这一行在一、之前，是导语的一部分\n", doc.Lead);
        var part = Single(doc);
        Assert.Equal("一、", part.Number);
        Assert.Equal("（一）", Assert.Single(part.Children).Number);
    }

    [Fact]
    public void Without_a_level_one_heading_the_first_heading_of_any_level_ends_the_lead()
    {
        var doc = Parse("关于X项工作的报告", "县委：", "（一）强化学习", "1.集中学习", "（二）抓好落实");

        Assert.Equal("\n县委：\n", doc.Lead);
        Assert.Equal(["（一）", "（二）"], doc.Parts.Select(p => p.Number));
        Assert.Equal("1.", Assert.Single(doc.Parts[0].Children).Number);
    }

    [Theory]
    [InlineData("2020年上半年，X县党建工作取得新成效。")]
    [InlineData("县委：")]
    [InlineData("现将有关情况报告如下:")]
    public void A_first_line_that_reads_as_a_sentence_is_lead_not_title(string first)
    {
        var doc = Parse(first, "一、主要工作");

        Assert.Equal("", doc.Title);
        Assert.Equal(first + "\n", doc.Lead);
    }

    [Fact]
    public void A_first_line_is_not_a_title_when_it_is_a_heading_or_the_only_text()
    {
        Assert.Equal("", Parse("一、主要工作", "正文。").Title);
        Assert.Equal(("", "县上半年党建工作情况报告\n\n"), (Parse("县上半年党建工作情况报告", "").Title, Parse("县上半年党建工作情况报告", "").Lead));
        Assert.Equal(("", new string('长', 61) + "\n"), (Parse(new string('长', 61), "一、主要工作").Title, Parse(new string('长', 61), "一、主要工作").Lead));
    }

    [Fact]
    public void Unnumbered_paragraphs_after_a_heading_belong_to_the_innermost_open_section()
    {
        var doc = Parse("一、存在问题", "总的看，问题有三个方面。", "（一）责任落实方面", "一是问责不够。", "产生以上问题的原因主要有：", "一是执行力不强。", "二、下步打算");

        var part = doc.Parts[0];
        Assert.Equal("\n总的看，问题有三个方面。\n", part.Body);
        Assert.Equal("\n一是问责不够。\n产生以上问题的原因主要有：\n一是执行力不强。\n", part.Children[0].Body);
    }

    [Fact]
    public void Ids_follow_the_position_in_the_tree_and_do_not_change_when_the_same_text_is_parsed_again()
    {
        var text = "一、甲\n（一）乙\n1.丙\n2.丁\n（二）戊\n二、己\n";
        var doc = OutlineParser.Parse(text);

        Assert.Equal(["1", "1.1", "1.1.1", "1.1.2", "1.2", "2"], OutlineParserPropertyTests.AllSections(doc).Select(s => s.Id));
        Assert.Equal(
            OutlineParserPropertyTests.AllSections(doc).Select(s => (s.Id, s.Number)),
            OutlineParserPropertyTests.AllSections(OutlineParser.Parse(text)).Select(s => (s.Id, s.Number)));
    }

    [Fact]
    public void Lines_are_one_based_and_count_blank_lines()
    {
        var doc = Parse("标题", "", "一、甲", "", "（一）乙");

        Assert.Equal((3, 5), (doc.Parts[0].Line, doc.Parts[0].Children[0].Line));
    }

    // ---- closing ------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("特此报告。\n")]
    [InlineData("特此汇报。\n")]
    [InlineData("专此报告。\n")]
    [InlineData("以上报告，请审阅。\n")]
    [InlineData("妥否，请批示。\n")]
    [InlineData("特此报告。\n\n中共X县委员会\n2020年7月1日\n")]
    [InlineData("中共X县委员会\nX县委办公室\n二〇二〇年七月一日\n")]
    [InlineData("2020年7月1日\n")]
    [InlineData("妥否，请批示。\n\n中共X县委员会\n２０２０年１２月３１日\n（此件公开发布）\n")]
    public void Closing_formulae_dates_and_signatures_at_the_end_are_the_closing(string closing)
    {
        var doc = OutlineParser.Parse("一、主要工作\n全县开展培训X次。\n\n" + closing);

        Assert.Equal(closing, doc.Closing);
        Assert.Equal("\n全县开展培训X次。\n\n", Single(doc).Body);
    }

    [Theory]
    [InlineData("中共X县委员会\n")] // a signature needs a date next to it
    [InlineData("特此报告。\n全县将继续抓好落实。\n")] // the formula is not at the end
    [InlineData("全县开展培训X次，取得良好效果，各项工作有序推进，下一步将继续抓好落实。\n2020年7月1日\n")] // the line before the date is a paragraph
    public void Other_trailing_text_stays_in_the_last_section(string tail)
    {
        var doc = OutlineParser.Parse("一、主要工作\n" + tail);

        var expectedClosing = tail.EndsWith("2020年7月1日\n", StringComparison.Ordinal) ? "2020年7月1日\n" : "";
        Assert.Equal(expectedClosing, doc.Closing);
        Assert.Equal("\n" + tail[..^expectedClosing.Length], Single(doc).Body);
    }

    // ---- closing that opens a new subject -----------------------------------------------------------------------

    /// <summary>The last section (（二）) with its own text, then <paramref name="tail"/>.</summary>
    private static string Report(string tail) =>
        "县上半年党建工作情况报告\n一、主要工作\n（一）强化学习\n全县开展培训X次。\n（二）抓好落实\n全县建立党员先锋岗X个。\n" + tail;

    [Theory]
    [InlineData("下半年，县委将继续抓好党建工作。\n")]
    [InlineData("下一步，县委将重点抓好以下工作：一是强化学习。二是抓好落实。\n")]
    [InlineData("下步，县委将继续抓好落实。\n")]
    [InlineData("今后，县委将继续抓好党建工作。\n")]
    [InlineData("今后一个时期，县委将继续抓好党建工作。\n")]
    [InlineData("总之，上半年全县党建工作取得了新成效。\n")]
    [InlineData("综上所述，全县党建工作取得了新成效。\n")]
    [InlineData("在下半年的工作中，县委将继续抓好落实。\n")]
    [InlineData("展望下半年，县委将继续抓好落实。\n")]
    [InlineData("明年，县委将继续抓好落实。\n")]
    public void Unnumbered_text_after_the_last_section_that_opens_a_new_subject_is_the_closing(string closing)
    {
        var text = Report(closing);
        var doc = OutlineParser.Parse(text);

        Assert.Equal(closing, doc.Closing);
        Assert.Equal("\n全县建立党员先锋岗X个。\n", doc.Parts[0].Children[1].Body);
        Assert.Empty(doc.Warnings);
        Assert.Equal(text, OutlineParser.Join(doc));
    }

    [Fact]
    public void A_closing_that_opens_a_new_subject_takes_its_own_enumeration_and_the_formula_date_and_signature_after_it()
    {
        const string closing = "下半年，县委将重点抓好以下工作：\n一是强化政治引领。\n二是夯实基层基础。\n三是从严正风肃纪。\n四是牢握意识形态主动权。\n\n特此报告。\n\n中共X县委员会\n2020年7月1日\n";
        var text = Report("\n" + closing);
        var doc = OutlineParser.Parse(text);

        Assert.Equal(closing, doc.Closing);
        var last = doc.Parts[0].Children[1];
        Assert.Equal("\n全县建立党员先锋岗X个。\n\n", last.Body);
        Assert.Empty(last.Items);
        Assert.Empty(doc.Warnings);
        Assert.Equal(text, OutlineParser.Join(doc));
    }

    [Fact]
    public void An_enumeration_that_starts_again_after_the_last_section_s_own_is_the_closing_with_the_line_introducing_it()
    {
        const string closing = "县委将重点抓好以下工作：\n一是强化政治引领。\n二是夯实基层基础。\n";
        var text = "一、主要工作\n（一）强化学习\n一是集中学习。\n二是个人自学。\n" + closing;
        var doc = OutlineParser.Parse(text);

        Assert.Equal(closing, doc.Closing);
        var last = doc.Parts[0].Children[0];
        Assert.Equal("\n一是集中学习。\n二是个人自学。\n", last.Body);
        Assert.Equal(["一是", "二是"], last.Items.Select(i => i.Marker));
        Assert.Empty(doc.Warnings);
        Assert.Equal(text, OutlineParser.Join(doc));
    }

    [Theory]
    [InlineData("（二）落实责任。一是压实责任。二是强化考核。\n", "第一，强化政治引领；第二，夯实基层基础。\n")] // another kind: not a restart
    [InlineData("（二）落实责任。一是压实责任。二是强化考核。\n", "一是强化政治引领。二是夯实基层基础。\n")]
    [InlineData("（二）落实责任\n第一，压实责任；第二，强化考核。\n", "第一，强化政治引领；第二，夯实基层基础。\n")]
    public void An_enumeration_of_its_own_starts_the_closing_only_when_the_last_section_had_one_of_that_kind(string lastSection, string tail)
    {
        var text = "一、主要工作\n（一）强化学习\n全县开展培训X次。\n" + lastSection + tail;
        var doc = OutlineParser.Parse(text);

        var restarts = tail.StartsWith(lastSection.Contains("第一", StringComparison.Ordinal) ? "第一" : "一是", StringComparison.Ordinal);
        Assert.Equal(restarts ? tail : "", doc.Closing);
        Assert.Equal(text, OutlineParser.Join(doc));
    }

    [Theory]
    [InlineData("（二）抓好落实\n县委将重点抓好以下工作：\n一是强化政治引领。\n二是夯实基层基础。\n")] // the section's first enumeration
    [InlineData("（二）抓好落实\n全县建立党员先锋岗X个。\n各支部认真落实“三会一课”制度。\n")] // text that continues the section
    [InlineData("（二）下步打算\n全县建立党员先锋岗X个。\n下一步，县委将继续抓好落实。\n")] // the section is about what comes next
    [InlineData("（二）抓好落实\n下一步，县委将继续抓好落实。\n")] // the section's only paragraph
    [InlineData("（二）抓好落实。下半年，县委将继续抓好落实。\n")] // the rest of the heading's line
    [InlineData("（二）抓好落实\n全县建立党员先锋岗X个，下一步将继续抓好落实。\n")] // not at the start of a paragraph
    public void Text_that_continues_the_last_section_stays_in_it(string lastSection)
    {
        var text = "一、主要工作\n（一）强化学习\n全县开展培训X次。\n" + lastSection;
        var doc = OutlineParser.Parse(text);

        Assert.Equal("", doc.Closing);
        Assert.Equal(text, OutlineParser.Join(doc));
    }

    [Fact]
    public void A_part_about_the_next_half_year_keeps_its_paragraphs_about_it_but_not_a_summing_up()
    {
        var text = "一、上半年主要工作\n全县开展培训X次。\n二、下半年工作打算\n县委将继续抓好党建工作。\n下半年，重点抓好以下工作：一是强化学习。\n总之，全县党建工作取得了新成效。\n";
        var doc = OutlineParser.Parse(text);

        Assert.Equal("总之，全县党建工作取得了新成效。\n", doc.Closing);
        Assert.Equal("\n县委将继续抓好党建工作。\n下半年，重点抓好以下工作：一是强化学习。\n", doc.Parts[1].Body);
        Assert.Equal(text, OutlineParser.Join(doc));
    }

    [Fact]
    public void The_sample_report_with_a_look_ahead_of_its_own_after_it_keeps_its_last_section_and_gains_that_closing()
    {
        const string closing = "下半年，县委将重点抓好以下工作：一是强化政治引领。二是夯实基层基础。三是从严正风肃纪。四是牢握意识形态主动权。\n\n特此报告。\n\n中共X县委\n2020年7月1日\n";
        var sample = OutlineParser.Parse(SampleReport.Text);
        var text = SampleReport.Text + closing;

        var doc = OutlineParser.Parse(text);

        Assert.Equal(closing, doc.Closing);
        var last = doc.Parts[2].Children[2];
        Assert.Equal(sample.Parts[2].Children[2].Body, last.Body);
        Assert.Equal(sample.Parts[2].Children[2].Items, last.Items);
        Assert.Equal(sample.Warnings, doc.Warnings);
        Assert.Equal(text, OutlineParser.Join(doc));
    }

    [Fact]
    public void A_paragraph_starting_with_下一步_inside_a_section_that_is_not_last_stays_in_it()
    {
        var text = "一、主要工作\n（一）强化学习\n全县开展培训X次。\n下一步，县委将继续抓好学习。\n（二）抓好落实\n全县建立党员先锋岗X个。\n";
        var doc = OutlineParser.Parse(text);

        Assert.Equal("", doc.Closing);
        Assert.Equal("\n全县开展培训X次。\n下一步，县委将继续抓好学习。\n", doc.Parts[0].Children[0].Body);
        Assert.Equal("\n全县建立党员先锋岗X个。\n", doc.Parts[0].Children[1].Body);
        Assert.Empty(doc.Warnings);
        Assert.Equal(text, OutlineParser.Join(doc));
    }

    // ---- lossless -----------------------------------------------------------------------------------------------

    [Fact]
    public void Join_gives_back_newline_text_exactly_and_normalises_other_line_breaks()
    {
        const string text = "标题  \n\n导语。\n\u3000\u3000一、甲。正文。  \n\n（一）乙\n正文\n\n\n特此报告。\n\n";
        Assert.Equal(text, OutlineParser.Join(OutlineParser.Parse(text)));
        Assert.Equal(text, OutlineParser.Join(OutlineParser.Parse(text.Replace("\n", "\r\n", StringComparison.Ordinal))));
        Assert.Equal(text, OutlineParser.Join(OutlineParser.Parse(text.Replace('\n', '\r'))));
        Assert.Equal(text, OutlineParser.Join(OutlineParser.Parse("\uFEFF" + text)));
    }

    [Fact]
    public void Whitespace_before_a_title_is_the_only_text_join_drops()
    {
        const string text = "\n\n\u3000\u3000县上半年党建工作情况报告\n一、甲\n";
        var doc = OutlineParser.Parse(text);

        Assert.Equal("县上半年党建工作情况报告", doc.Title);
        Assert.Equal(text.TrimStart(), OutlineParser.Canonical(text));
        Assert.Equal(text.TrimStart(), OutlineParser.Join(doc));
        Assert.Equal(4, doc.Parts[0].Line);

        const string untitled = "\n\n\u3000\u3000导语。\n一、甲\n";
        Assert.Equal(untitled, OutlineParser.Join(OutlineParser.Parse(untitled)));
    }

    [Fact]
    public void Empty_and_blank_texts_parse()
    {
        Assert.Equal("", OutlineParser.Join(OutlineParser.Parse("")));
        Assert.Equal(" \n\u3000\n", OutlineParser.Join(OutlineParser.Parse(" \n\u3000\n")));
        Assert.Equal("no-outline", Assert.Single(OutlineParser.Parse("").Warnings).Code);
    }

    // ---- inline items -------------------------------------------------------------------------------------------

    [Fact]
    public void Inline_items_are_listed_with_their_text_up_to_the_next_marker_or_the_end_of_the_paragraph()
    {
        var doc = Parse("（一）落实主体责任。一是从严落实“两个责任”。认真履行职责。二是严格坚持法纪法规。", "三是加强宣传教育。  ", "全年发展党员X名。");

        var items = Single(doc).Items;
        Assert.Equal(
            [
                new InlineItem("一是", "从严落实“两个责任”。认真履行职责。", 1),
                new InlineItem("二是", "严格坚持法纪法规。", 1),
                new InlineItem("三是", "加强宣传教育。", 2),
            ],
            items);
    }

    [Fact]
    public void 第一_and_其一_enumerations_are_items_too()
    {
        var doc = Parse("一、主要做法", "第一，强化学习；第二，抓好落实。", "\u3000\u3000其一，思想认识不到位；其二,督导不严。");

        Assert.Equal(
            [("第一", "强化学习；"), ("第二", "抓好落实。"), ("其一", "思想认识不到位；"), ("其二", "督导不严。")],
            Single(doc).Items.Select(i => (i.Marker, i.Text)));
        Assert.Equal([2, 2, 3, 3], Single(doc).Items.Select(i => i.Line));
    }

    [Fact]
    public void Markers_inside_words_are_not_items()
    {
        var doc = Parse("一、主要做法", "县委统一是非标准，作为第一职责、第一要务，在评比中排名第一，分获第一、第二。", "唯一是指导，一是否到位要看效果。");

        Assert.Empty(Single(doc).Items);
        Assert.Empty(doc.Warnings);
    }

    [Fact]
    public void Items_belong_to_the_section_whose_own_body_holds_them()
    {
        var doc = Parse("一、主要工作", "一是总体要求。", "（一）强化学习", "一是集中学习。二是个人自学。");

        Assert.Equal(["一是"], doc.Parts[0].Items.Select(i => i.Marker));
        Assert.Equal(["一是", "二是"], doc.Parts[0].Children[0].Items.Select(i => i.Marker));
    }

    // ---- warnings -----------------------------------------------------------------------------------------------

    [Fact]
    public void A_skipped_number_is_a_numbering_gap_naming_both_numbers()
    {
        var doc = Parse("标题", "一、甲", "三、丙");

        var w = Assert.Single(doc.Warnings);
        Assert.Equal((3, "numbering-gap"), (w.Line, w.Code));
        Assert.Equal("numbering jumps from 一、 to 三、 (line 3); is 二、 missing?", w.Message);
    }

    [Fact]
    public void Gaps_are_found_at_every_level_and_in_the_author_s_own_style()
    {
        var doc = Parse("一、甲", "(一)乙", "(三)丙", "1．丁", "4．戊", "（1）己", "（2）庚");

        Assert.Equal(
            [
                (3, "numbering-gap", "numbering jumps from (一) to (三) (line 3); is (二) missing?"),
                (5, "numbering-gap", "numbering jumps from 1． to 4． (line 5); are 2． to 3． missing?"),
            ],
            doc.Warnings.Select(w => (w.Line, w.Code, w.Message)));
    }

    [Fact]
    public void An_outline_that_starts_past_one_is_a_gap()
    {
        var w = Assert.Single(Parse("二、甲", "三、乙").Warnings);

        Assert.Equal((1, "numbering-gap", "numbering starts at 二、 (line 1); is 一、 missing?"), (w.Line, w.Code, w.Message));
    }

    [Fact]
    public void A_number_used_twice_is_a_numbering_repeat()
    {
        var doc = Parse("一、甲", "二、乙", "二、丙", "三、丁");

        var w = Assert.Single(doc.Warnings);
        Assert.Equal((3, "numbering-repeat"), (w.Line, w.Code));
        Assert.Equal("二、 appears twice (lines 2 and 3); should the second be 三、?", w.Message);
    }

    [Fact]
    public void Numbering_restarts_under_each_parent()
    {
        Assert.Empty(Parse("一、甲", "（一）乙", "（二）丙", "二、丁", "（一）戊", "（二）己").Warnings);
    }

    [Fact]
    public void An_arabic_number_directly_under_一_skips_a_level()
    {
        var doc = Parse("一、甲", "1.乙", "2.丙", "二、丁", "（一）戊", "（1）己");

        Assert.Equal(
            [
                (2, "level-skipped", "1. (line 2) comes directly under 一、 (line 1); is a level-2 heading such as （一） missing?"),
                (6, "level-skipped", "（1） (line 6) comes directly under （一） (line 5); is a level-3 heading such as 1. missing?"),
            ],
            doc.Warnings.Select(w => (w.Line, w.Code, w.Message)));
        Assert.Equal(["1.", "2."], doc.Parts[0].Children.Select(c => c.Number));
    }

    [Fact]
    public void Mixed_brackets_are_reported_once_at_the_first_heading_in_the_less_used_style()
    {
        var doc = Parse("一、甲", "（一）乙", "(二)丙", "（三）丁", "(四)戊", "（五）己");

        var w = Assert.Single(doc.Warnings);
        Assert.Equal((3, "mixed-brackets"), (w.Line, w.Code));
        Assert.Equal("(二) (line 3) uses half-width ( ) brackets while 3 other level-2 heading(s) use full-width （ ）; use one style", w.Message);
    }

    [Fact]
    public void On_a_tie_the_bracket_style_that_came_second_is_reported()
    {
        var w = Assert.Single(Parse("一、甲", "(一)乙", "（二）丙").Warnings);

        Assert.Equal((3, "mixed-brackets"), (w.Line, w.Code));
        Assert.StartsWith("（二） (line 3) uses full-width", w.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Items_out_of_order_in_one_section_are_reported_and_so_is_starting_again_at_一是()
    {
        var doc = Parse("（一）甲", "一是学习。三是落实。", "一是执行力不强。二是方法不新。", "（二）乙", "二是督导。");

        Assert.Equal(
            [
                (2, "item-order", "inline items jump from 一是 (line 2) to 三是 (line 2); is 二是 missing?"),
                (3, "items-restart", "inline items start again at 一是 (line 3) after 三是 (line 2) of the series that began on line 2; does a new section or the closing start there?"),
                (5, "item-order", "inline items start at 二是 (line 5); is 一是 missing?"),
            ],
            doc.Warnings.Select(w => (w.Line, w.Code, w.Message)));
    }

    [Fact]
    public void An_enumeration_starting_again_inside_one_section_names_its_line_and_where_the_series_before_began()
    {
        var doc = Parse("一、存在问题", "（一）责任落实方面", "一是问责不够。", "二是督导不严。", "三是方法不新。", "产生以上问题的原因主要有：", "一是执行力不强。", "二是创新不够。", "第一，学习；第二，落实。", "第一，检查。", "（二）作风建设方面", "一是作风不实。", "二是纪律松弛。");

        Assert.Equal([(7, "items-restart"), (10, "items-restart")], doc.Warnings.Select(w => (w.Line, w.Code)));
        Assert.Equal(["一是", "7", "三是", "5", "3"], doc.Warnings[0].Args);
        Assert.Equal(["第一", "10", "第二", "9", "9"], doc.Warnings[1].Args);
        Assert.Equal("", doc.Closing);
        Assert.Equal(["一是", "二是", "三是", "一是", "二是", "第一", "第二", "第一"], doc.Parts[0].Children[0].Items.Select(i => i.Marker));
    }

    [Fact]
    public void An_item_repeated_is_out_of_order()
    {
        var w = Assert.Single(Parse("（一）甲", "第一，学习；第二，落实；第二，检查。").Warnings);

        Assert.Equal((2, "item-order", "inline item 第二 (line 2) follows 第二 (line 2); should it be 第三?"), (w.Line, w.Code, w.Message));
    }

    [Fact]
    public void A_text_without_any_heading_is_all_lead_with_a_no_outline_warning()
    {
        var doc = Parse("关于X项工作的报告", "今年以来，全县发展党员X名。", "特此报告。");

        Assert.Empty(doc.Parts);
        Assert.Equal("关于X项工作的报告", doc.Title);
        Assert.Equal("\n今年以来，全县发展党员X名。\n", doc.Lead);
        Assert.Equal("特此报告。\n", doc.Closing);
        var w = Assert.Single(doc.Warnings);
        Assert.Equal((1, "no-outline"), (w.Line, w.Code));
    }

    // ---- the sample report --------------------------------------------------------------------------------------

    [Fact]
    public void The_sample_report_parses_into_three_parts_of_three_sections_without_a_closing_and_warns_of_its_one_restarted_enumeration()
    {
        var text = SampleReport.Text;
        var doc = OutlineParser.Parse(text);

        Assert.Equal("县上半年关于加强党的建设工作情况报告", doc.Title);
        Assert.StartsWith("2020年上半年", doc.Lead.TrimStart(), StringComparison.Ordinal);
        Assert.EndsWith("现将年初以来党建工作情况报告如下:\n", doc.Lead, StringComparison.Ordinal);
        Assert.Equal(["上半年主要工作", "存在问题及原因", "下半年工作打算"], doc.Parts.Select(p => p.Title));
        Assert.All(doc.Parts, p => Assert.Equal(["（一）", "（二）", "（三）"], p.Children.Select(c => c.Number)));
        Assert.All(doc.Parts.SelectMany(p => p.Children), c => Assert.Empty(c.Children));
        Assert.Equal([5, 20, 36], doc.Parts.Select(p => p.Line));
        Assert.All(doc.Parts[2].Children, c => Assert.True(c.SharesLine));
        Assert.All(doc.Parts[0].Children.Concat(doc.Parts[1].Children), c => Assert.False(c.SharesLine));
        Assert.Equal("", doc.Closing);
        Assert.Equal(["\n", "\n", "\n"], doc.Parts.Select(p => p.Body));
        Assert.EndsWith("X个村申报省级文明村。\n\n", doc.Parts[2].Children[2].Body, StringComparison.Ordinal);
        Assert.Equal(text, OutlineParser.Join(doc));

        // （三） of 二、 lists the causes of every problem of 二、 after its own three: a second series in one section.
        var w = Assert.Single(doc.Warnings);
        Assert.Equal((33, "items-restart"), (w.Line, w.Code));
        Assert.Equal(["一是", "33", "三是", "31", "29"], w.Args);
    }
}

/// <summary>The half-year party-building report shipped with the demo (Workflow.Host/Demo), read from the repository.</summary>
internal static class SampleReport
{
    private const string RelativePath = "Workflow.Host/Demo/party-building-report-2020h1.txt";

    private static readonly Lazy<string> Lazy = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, RelativePath);
            if (File.Exists(path))
            {
                return File.ReadAllText(path);
            }
        }

        throw new FileNotFoundException($"{RelativePath} not found above {AppContext.BaseDirectory}");
    });

    public static string Text => Lazy.Value;
}
