using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Workflow.Activities.Documents;

namespace Workflow.Tests.Unit;

/// <summary>
/// Generated reports, built piece by piece so that the generator knows the exact title, lead, heading texts, bodies,
/// inline items and closing it wrote: the parser must find exactly those pieces, and joining them must give back
/// the text (after <see cref="OutlineParser.Canonical"/>: "\n" line breaks, nothing before the title). Arbitrary
/// strings of outline-like tokens must also survive Parse → Join.
/// </summary>
public sealed class OutlineParserPropertyTests
{
    [Fact]
    public void Generated_reports_parse_into_exactly_the_pieces_they_were_built_from()
    {
        var property = Prop.ForAll(Recipe.Arbitrary, recipe =>
        {
            var report = GeneratedReport.Build(recipe);
            var doc = OutlineParser.Parse(report.Text);

            Assert.Equal(report.Canonical, OutlineParser.Canonical(report.Text));
            Assert.Equal(report.Canonical, OutlineParser.Join(doc));
            Assert.Equal(report.Title, doc.Title);
            Assert.Equal(report.Lead, doc.Lead);
            Assert.Equal(report.Closing, doc.Closing);
            Assert.Equal(report.Warnings, doc.Warnings.Select(w => (w.Line, w.Code)));
            Assert.Equal(report.Parts.Count, doc.Parts.Count);
            for (var i = 0; i < report.Parts.Count; i++)
            {
                AssertSection(report.Parts[i], doc.Parts[i], (i + 1).ToString(CultureInfo.InvariantCulture));
            }
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(400), property);
    }

    [Fact]
    public void Join_gives_back_the_exact_text_when_it_has_newline_breaks_and_starts_with_its_title()
    {
        var property = Prop.ForAll(Recipe.Arbitrary, recipe =>
        {
            var report = GeneratedReport.Build(recipe with { Plain = true });
            Assert.Equal(report.Text, OutlineParser.Join(OutlineParser.Parse(report.Text)));
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    private static readonly string[] Tokens =
    [
        "一", "二", "三", "十", "、", "（", "）", "(", ")", "1", "2", "5", ".", "．", "。", "：", ":", "，", "；",
        "\n", "\n", "\n", "\r", "\r\n", " ", "\u3000", "\uFEFF", "是", "第", "其", "X", "x", "Ｘ",
        "标题", "加强党的建设", "特此报告。", "2020年7月1日", "中共X县委", "年", "月", "日", "万元", "一是", "第一，",
        "一、", "（一）", "(二)", "1.", "（1）",
    ];

    private static readonly Gen<string> NoiseGen =
        from n in Gen.Choose(0, 80)
        from tokens in Gen.Elements(Tokens).ArrayOf(n)
        select string.Concat(tokens);

    [Fact]
    public void Any_text_survives_parse_and_join_and_every_review_level_keeps_all_of_it()
    {
        var property = Prop.ForAll(Arb.From(NoiseGen), text =>
        {
            var doc = OutlineParser.Parse(text);
            var canonical = OutlineParser.Canonical(text);
            Assert.Equal(canonical, OutlineParser.Join(doc));

            var ids = AllSections(doc).Select(s => s.Id).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            var normalized = (text.StartsWith('\uFEFF') ? text[1..] : text).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
            Assert.All(doc.Warnings, w => Assert.InRange(w.Line, 1, normalized.Count(c => c == '\n') + 1));
            if (canonical == normalized && !canonical.StartsWith('\uFEFF'))
            {
                Assert.Equal(doc, OutlineParser.Parse(canonical), OutlineEquality.Instance);
            }

            for (var level = 1; level <= 4; level++)
            {
                Assert.Equal(canonical, ReviewUnitsTests.Reassemble(doc, ReviewUnits.Select(doc, level)));
            }
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), property);
    }

    internal static IEnumerable<OutlineSection> AllSections(ParsedOutline doc)
    {
        var stack = new Stack<OutlineSection>(doc.Parts.Reverse());
        while (stack.Count > 0)
        {
            var s = stack.Pop();
            yield return s;
            foreach (var c in s.Children.Reverse())
            {
                stack.Push(c);
            }
        }
    }

    private static void AssertSection(GeneratedReport.Section expected, OutlineSection actual, string id)
    {
        Assert.Equal(id, actual.Id);
        Assert.Equal(expected.Level, actual.Level);
        Assert.Equal(expected.Number, actual.Number);
        Assert.Equal(expected.Title, actual.Title);
        Assert.Equal(expected.HeadingText, actual.HeadingText);
        Assert.Equal(expected.SharesLine, actual.SharesLine);
        Assert.Equal(expected.Body.ToString(), actual.Body);
        Assert.Equal(expected.Line, actual.Line);
        Assert.Equal(expected.Items, actual.Items);
        Assert.Equal(expected.Children.Count, actual.Children.Count);
        for (var i = 0; i < expected.Children.Count; i++)
        {
            AssertSection(expected.Children[i], actual.Children[i], $"{id}.{i + 1}");
        }
    }

    /// <summary>Records compare their lists by reference; this compares parses by content, warnings included.</summary>
    private sealed class OutlineEquality : IEqualityComparer<ParsedOutline>
    {
        public static readonly OutlineEquality Instance = new();

        public bool Equals(ParsedOutline? x, ParsedOutline? y) =>
            x is not null && y is not null
            && x.Title == y.Title && x.Lead == y.Lead && x.Closing == y.Closing
            && x.Warnings.SequenceEqual(y.Warnings)
            && AllSections(x).Select(Flat).SequenceEqual(AllSections(y).Select(Flat));

        public int GetHashCode(ParsedOutline obj) => obj.Title.GetHashCode(StringComparison.Ordinal);

        private static string Flat(OutlineSection s) =>
            $"{s.Id}|{s.Level}|{s.Number}|{s.Title}|{s.HeadingText}|{s.SharesLine}|{s.Body}|{s.Line}|{s.Children.Count}|{string.Join(";", s.Items)}";
    }
}

/// <summary>
/// The choices a generated report is built from. Each choice is read modulo the number of options, and a recipe that
/// runs out reads 0, the plainest option, so shrinking (shorter arrays, smaller numbers) gives simpler reports.
/// </summary>
public sealed record Recipe(int[] Choices, bool Plain = false)
{
    private static readonly Gen<Recipe> Generator =
        from n in Gen.Choose(20, 400)
        from choices in Gen.Choose(0, 999).ArrayOf(n)
        select new Recipe(choices);

    public static Arbitrary<Recipe> Arbitrary { get; } = Arb.From(Generator, Shrink);

    private static IEnumerable<Recipe> Shrink(Recipe r)
    {
        var c = r.Choices;
        if (c.Length > 1)
        {
            yield return r with { Choices = c[..(c.Length / 2)] };
        }

        for (var i = c.Length - 1; i >= 0; i--)
        {
            yield return r with { Choices = [.. c[..i], .. c[(i + 1)..]] };
        }

        for (var i = 0; i < c.Length; i++)
        {
            if (c[i] != 0)
            {
                var copy = (int[])c.Clone();
                copy[i] = 0;
                yield return r with { Choices = copy };
            }
        }
    }

    public override string ToString() => "[" + string.Join(",", Choices) + "]\n" + GeneratedReport.Build(this).Text.Replace("\r", "\\r", StringComparison.Ordinal);
}

/// <summary>A report written by the generator, with every piece the parser is expected to find.</summary>
public sealed class GeneratedReport
{
    private static readonly string[] Titles = ["县上半年关于加强党的建设工作情况报告", "关于XX县2020年党建工作的报告", "X县委办公室工作总结"];

    private static readonly string[] LeadParagraphs =
    [
        "2020年上半年，X县在市委的正确领导下，坚决落实党建工作责任制。现将有关情况报告如下:",
        "今年以来，我县认真贯彻落实上级部署，各项工作取得新进展。",
        "县委：",
    ];

    private static readonly string[] HeadingTitles =
    [
        "上半年主要工作", "存在问题及原因", "全面提升组织力，推进党的高质量建设", "落实主体责任", "X县基层治理情况",
        "加强“X”工程建设", "抓好XX村示范点建设（试点）", "意识形态工作有力有为",
    ];

    private static readonly string[] Sentences =
    [
        "全县建立“党员先锋岗”X个，招募党员志愿者X人。",
        "县委时刻牢记把抓好基层党建作为第一职责、第一要务。",
        "先后组织召开专题党委会X次、民主生活会X次。完成X%村的创建工作。",
        "在第二季度评比中分获第一、第二的好成绩。",
        "网格长（员）X人，在辖区设置X个检测点。",
        "统一思想，一体推进，XX县委统一部署，投入X万元。",
        "1.5万元用于阵地建设，已全部到位。",
        "2020年以来，全县发展党员X名。",
        "3、4月份开展集中培训X次。",
        LongEnumeratedParagraph,
    ];

    /// <summary>Starts like a level-3 heading but runs past the 60-character limit before its first 。.</summary>
    public const string LongEnumeratedParagraph =
        "1.全县共有基层党组织X个，其中农村党支部X个，社区党支部X个，机关党支部X个，非公企业党组织X个，社会组织党组织X个，两新组织覆盖率达到X%，比去年同期提高X个百分点。";

    private static readonly string[] Ahead =
    [
        "", "",
        "下半年，县委将继续抓好党建工作，确保各项任务落到实处。\n",
        "总之，全县党建工作取得了新成效。\n\n",
        "在下一步工作中，县委将重点抓好以下工作：\n一是深入组织动员。\n二是投入X万元。\n",
    ];

    private static readonly string[] ItemTexts = ["深入组织动员，构建防控体系", "坚持抓主业，提升责任担当", "注重抓基础，发展党员X名", "突出抓创新，投入X万元", "自觉履行主体责任"];

    private static readonly string[] Indents = ["", "", "\u3000\u3000", "  "];
    private static readonly string[] TrailingSpaces = ["", "", "", " ", "\u3000", "\t"];

    private readonly int[] choices;
    private readonly bool plain;
    private readonly StringBuilder text = new();
    private int next;
    private int prefixLines;
    private bool halfWidth2;
    private bool halfWidth4;

    private GeneratedReport(Recipe recipe)
    {
        choices = recipe.Choices;
        plain = recipe.Plain;
    }

    public string Text { get; private set; } = "";

    public string Canonical { get; private set; } = "";

    public string Title { get; private set; } = "";

    public string Lead { get; private set; } = "";

    public string Closing { get; private set; } = "";

    /// <summary>The warnings the parser must give: an enumeration that starts again inside one section.</summary>
    public List<(int Line, string Code)> Warnings { get; } = [];

    public List<Section> Parts { get; } = [];

    public sealed class Section(int level, string number, string title, string headingText, bool sharesLine, int line)
    {
        public int Level { get; } = level;

        public string Number { get; } = number;

        public string Title { get; } = title;

        public string HeadingText { get; } = headingText;

        public bool SharesLine { get; } = sharesLine;

        public int Line { get; } = line;

        public StringBuilder Body { get; } = new();

        public List<InlineItem> Items { get; } = [];

        public List<Section> Children { get; } = [];

        public bool ShiSeen { get; set; }

        public bool DiSeen { get; set; }

        /// <summary>Where an enumeration starts again (with the line introducing it): in the last section, the closing starts there.</summary>
        public List<(int Line, int Offset)> Restarts { get; } = [];

        public bool HasText => Body.ToString().Any(c => !char.IsWhiteSpace(c));
    }

    public static GeneratedReport Build(Recipe recipe)
    {
        var r = new GeneratedReport(recipe);
        r.Write();
        return r;
    }

    private int Next(int options) => next < choices.Length ? choices[next++] % options : 0;

    private bool Chance(int oneIn) => Next(oneIn) == oneIn - 1;

    private T Pick<T>(T[] options) => options[Next(options.Length)];

    private int Line => 1 + prefixLines + text.ToString().Count(c => c == '\n');

    private void Write()
    {
        var lead = new StringBuilder();
        var prefix = "";
        if (!Chance(4))
        {
            // Whitespace before a title is the one thing Join does not give back; line numbers still count it.
            prefix = !plain && Chance(6) ? "\n\u3000 \n  " : "";
            prefixLines = prefix.Count(c => c == '\n');
            Title = Pick(Titles);
            text.Append(Title);
            lead.Append(Pick(TrailingSpaces)).Append('\n');
        }

        for (var i = Next(3); i > 0; i--)
        {
            lead.Append(Pick(TrailingSpaces)).Append('\n');
        }

        for (var i = Next(3); i > 0; i--)
        {
            lead.Append(Pick(Indents)).Append(Pick(LeadParagraphs)).Append(Pick(TrailingSpaces)).Append('\n');
            if (Chance(3))
            {
                lead.Append('\n');
            }
        }

        Lead = lead.ToString();
        text.Append(Lead);

        var rootLevel = Chance(5) ? 2 : 1;
        halfWidth2 = Chance(4);
        halfWidth4 = Chance(3);
        Section? last = null;
        var parts = Next(4) + 1;
        for (var v = 1; v <= parts; v++)
        {
            var part = WriteSection(rootLevel, v, ref last);
            Parts.Add(part);
        }

        var closing = (Next(4), Next(2), Next(2)) switch
        {
            (0, _, _) => "",
            (1, _, _) => "特此报告。\n",
            (2, var sig, var date) => $"特此报告。\n\n{(sig == 0 ? "中共X县委员会" : "X县委办公室")}\n{(date == 0 ? "2020年7月1日" : "二〇二〇年七月一日")}\n",
            (_, var sig, _) => $"{(sig == 0 ? "中共X县委员会" : "X县委办公室")}\n2020年7月1日\n",
        };

        // A look ahead after the last section's text opens the closing; as that section's only text it stays in it.
        if (last!.HasText || last.SharesLine)
        {
            closing = Pick(Ahead) + closing;
        }
        if (closing.Length > 0)
        {
            if (Chance(2))
            {
                last!.Body.Append('\n');
            }

            Closing = closing;
        }

        if (Chance(4))
        {
            if (Closing.Length > 0)
            {
                Closing = Closing[..^1];
            }
            else if (last!.Body.Length > 0 && last.Body[^1] == '\n')
            {
                last.Body.Length--;
            }
        }

        if (last!.Restarts.Count > 0)
        {
            // The last section's text from a restarted enumeration on is the closing.
            var (line, offset) = last.Restarts[0];
            Closing = last.Body.ToString(offset, last.Body.Length - offset) + Closing;
            last.Body.Length = offset;
            last.Items.RemoveAll(i => i.Line >= line);
            Warnings.RemoveAll(w => w.Line >= line);
        }

        var canonical = new StringBuilder().Append(Title).Append(Lead);
        foreach (var part in Parts)
        {
            Append(canonical, part);
        }

        Canonical = canonical.Append(Closing).ToString();
        var raw = prefix + Canonical;
        Text = !plain && Chance(5) ? raw.Replace("\n", "\r\n", StringComparison.Ordinal) : raw;

        static void Append(StringBuilder sb, Section s)
        {
            sb.Append(s.HeadingText).Append(s.Body);
            foreach (var c in s.Children)
            {
                Append(sb, c);
            }
        }
    }

    private Section WriteSection(int level, int value, ref Section? last)
    {
        var number = level switch
        {
            1 => OutlineNumber(value) + "、",
            2 => halfWidth2 ? $"({OutlineNumber(value)})" : $"（{OutlineNumber(value)}）",
            3 => value.ToString(CultureInfo.InvariantCulture) + Pick([".", "．", "、"]),
            _ => halfWidth4 ? $"({value})" : $"（{value}）",
        };
        var title = Pick(HeadingTitles);
        var indent = Pick(Indents);
        var line = Line;
        Section section;
        string rest;
        switch (Next(4))
        {
            case 0:
            case 1:
                section = new Section(level, number, title, indent + number + title + Pick(TrailingSpaces), false, line);
                rest = "\n";
                break;
            case 2:
                section = new Section(level, number, title, indent + number + title + Pick(["：", "。", ":"]) + Pick(TrailingSpaces), false, line);
                rest = "\n";
                break;
            default:
                section = new Section(level, number, title, indent + number + title + Pick(["。", "："]), true, line);
                rest = "";
                break;
        }

        text.Append(section.HeadingText);
        var body = section.Body;
        var counters = (Shi: 0, Di: 0);

        void Emit(string s)
        {
            body.Append(s);
            text.Append(s);
        }

        if (section.SharesLine)
        {
            // The rest of the heading's line: a sentence or inline items.
            WriteParagraph(section, ref counters, Emit, sameLine: true);
        }
        else
        {
            Emit(rest);
        }

        for (var p = Next(level == 1 ? 2 : 4); p > 0; p--)
        {
            if (Chance(4))
            {
                Emit(Pick(TrailingSpaces) + "\n");
            }

            WriteParagraph(section, ref counters, Emit, sameLine: false);
        }

        last = section;
        if (level < 4)
        {
            var children = Next(level == 1 ? 4 : 3);
            for (var v = 1; v <= children; v++)
            {
                section.Children.Add(WriteSection(level + 1, v, ref last));
            }
        }

        return section;
    }

    private void WriteParagraph(Section section, ref (int Shi, int Di) counters, Action<string> emit, bool sameLine)
    {
        var line = Line;
        var offset = section.Body.Length;
        var indent = sameLine ? "" : Pick(Indents);
        var kind = Next(5);
        var introduced = false;
        if (kind == 4 && !sameLine)
        {
            emit(indent + "产生以上问题的原因主要有以下几个方面：\n");
            line++;
            kind = 1;
            counters.Shi = 0;
            introduced = true;
        }

        var sb = new StringBuilder(indent);
        if (kind is 1 or 2)
        {
            // 一是…十是 or 第一，…第十，, continuing the section's enumeration or starting again at 一.
            var shi = kind == 1;
            var counter = shi ? counters.Shi : counters.Di;
            if (counter >= 10 || Chance(3))
            {
                counter = 0;
            }

            if (counter == 0 && (shi ? section.ShiSeen : section.DiSeen))
            {
                Warnings.Add((line, "items-restart"));
                section.Restarts.Add((introduced ? line - 1 : line, introduced ? offset : section.Body.Length));
            }

            section.ShiSeen |= shi;
            section.DiSeen |= !shi;

            var n = Math.Min(Next(3) + 1, 10 - counter);
            for (var k = 0; k < n; k++)
            {
                counter++;
                var marker = shi ? $"{OutlineNumber(counter)}是" : $"第{OutlineNumber(counter)}";
                // A paragraph ends with 。 (a line of 第一，…； alone would read like a signature line).
                var itemText = Pick(ItemTexts) + (shi || k == n - 1 ? "。" : "；");
                sb.Append(marker).Append(shi ? "" : "，").Append(itemText);
                section.Items.Add(new InlineItem(marker, itemText, line));
            }

            if (shi)
            {
                counters.Shi = counter;
            }
            else
            {
                counters.Di = counter;
            }
        }
        else
        {
            sb.Append(Pick(Sentences));
        }

        emit(sb.Append(Pick(TrailingSpaces)).Append('\n').ToString());
    }

    private static string OutlineNumber(int n) => n switch
    {
        <= 10 => "一二三四五六七八九十"[n - 1].ToString(),
        < 20 => "十" + "一二三四五六七八九"[n - 11],
        _ => throw new ArgumentOutOfRangeException(nameof(n)),
    };
}
