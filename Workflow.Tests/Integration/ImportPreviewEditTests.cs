using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Workflow.Tests.Integration;

using static PageClient;

/// <summary>
/// The import preview page as the clerk uses it before confirming: each unit's text, the lead and the closing shown;
/// a unit split at a paragraph, merged with its neighbour, paragraphs moved to and from the lead and the closing, a
/// unit's level changed — each a form post that must still add up to the file, a refused one said in Chinese with the
/// preview kept — and the confirmation importing exactly the edited cut.
/// </summary>
public sealed partial class ImportPreviewEditTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    /// <summary>
    /// （一） lists its results, then their causes with a second 一是 series (line 9); （二）, the last section, is
    /// followed by the look ahead to the next half-year, which is the closing with 特此报告.
    /// </summary>
    private const string Document =
        "县关于调整分节测试工作情况的报告\n" +
        "今年以来，全县党建工作取得新成效。\n" +
        "一、主要工作\n" +
        "（一）强化学习\n" +
        "一是集中学习X次。\n" +
        "二是个人自学。\n" +
        "三是专题研讨。\n" +
        "产生以上成效的原因主要有：\n" +
        "一是领导重视。\n" +
        "二是措施得力。\n" +
        "（二）抓好落实\n" +
        "全县建立党员先锋岗X个。\n" +
        "各支部认真落实“三会一课”制度。\n" +
        "下半年，县委将重点抓好以下工作：\n" +
        "一是强化政治引领。\n" +
        "二是夯实基层基础。\n" +
        "\n" +
        "特此报告。\n";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_preview_shows_each_unit_s_text_the_lead_and_the_closing_found_after_the_last_section()
    {
        var (_, page) = await Preview("预览正文");

        Assert.Equal(["今年以来，全县党建工作取得新成效。"], Paragraphs(page, "import-lead"));
        Assert.Equal(["下半年，县委将重点抓好以下工作：", "一是强化政治引领。", "二是夯实基层基础。", "特此报告。"], Paragraphs(page, "import-closing"));
        Assert.Equal(["一是集中学习X次。", "二是个人自学。", "三是专题研讨。", "产生以上成效的原因主要有：", "一是领导重视。", "二是措施得力。"], Paragraphs(page, "1.1"));
        Assert.Equal(["全县建立党员先锋岗X个。", "各支部认真落实“三会一课”制度。"], Paragraphs(page, "1.2"));
        Assert.Equal(["第 9 行： 段内序号在第 9 行从 一是 重新开始，而从第 5 行开始的一组已排到 三是（第 7 行）；是否应从这里另起一节，或这里已是结尾？"], Warnings(page));

        // What can be done with each unit is offered as buttons of the one form: (一) splits after its first paragraph.
        Assert.Contains("value=\"split|4|1.1\"", page);
        Assert.DoesNotContain("value=\"split|0|1.1\"", page);
        Assert.Contains("value=\"merge-next|1.1\"", page);
        Assert.Contains("value=\"merge-previous|1.2\"", page);
        Assert.Contains("value=\"to-closing|1.2\"", page);
        Assert.DoesNotContain("value=\"to-closing|1.1\"", page);
        Assert.Contains("value=\"from-closing\"", page);
        Assert.DoesNotContain("value=\"to-lead|", page); // a heading stands between the lead and every unit

        var english = await Admin();
        await Post(english, await Page(english, "/admin/import"), "/culture", new() { ["culture"] = "en", ["returnUrl"] = "/admin/import" });
        var englishPage = await (await Upload(english, "预览正文")).Content.ReadAsStringAsync(Ct);
        Assert.Contains("Split from here", englishPage);
        Assert.Equal(["Line 9: Inline items start again at 一是 (line 9) after 三是 (line 7) of the series that began on line 5; does a new section or the closing start there?"], Warnings(englishPage));
    }

    [Fact]
    public async Task A_long_text_is_folded_with_its_first_words_and_markup_in_it_is_shown_as_text()
    {
        var long1 = "<script>alert(1)</script>" + string.Concat(Enumerable.Repeat("全县各级党组织认真落实党建工作责任制。", 20));
        var (_, page) = await Preview("折叠正文", $"县关于折叠测试工作情况的报告\n一、主要工作\n{long1}\n二、存在问题\n问题不多。\n");

        var first = UnitItem(page, "1");
        Assert.Matches("<details class=\"admin-text\">", first);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", first);
        Assert.DoesNotContain("<script>alert(1)", page);
        Assert.Matches("<details class=\"admin-text\" open=\"open\">", UnitItem(page, "2"));
    }

    [Fact]
    public async Task Splitting_a_unit_at_a_paragraph_makes_a_new_unit_after_it_and_the_restart_warning_goes()
    {
        var (admin, page) = await Preview("拆分单元");

        var split = await Edit(admin, page, "split|3|1.1", new() { ["split-title-1.1"] = "成效原因" });

        var units = Units(split);
        Assert.Equal(["1", "1.1", "1.1.s1", "1.2"], units.Select(u => u.Id));
        var added = units[2];
        Assert.Equal(("", "成效原因", 2, "1", ""), (added.Number, added.Title, added.Level, added.ParentId, added.HeadingText));
        Assert.Equal("产生以上成效的原因主要有：\n一是领导重视。\n二是措施得力。\n", added.Content);
        Assert.Equal("\n一是集中学习X次。\n二是个人自学。\n三是专题研讨。\n", units[1].Content);
        Assert.Equal(["产生以上成效的原因主要有：", "一是领导重视。", "二是措施得力。"], Paragraphs(split, "1.1.s1"));
        Assert.Empty(Warnings(split));
        Assert.Contains("（标题不在原文中）", UnitItem(split, "1.1.s1"));

        // Without a title typed, the new unit is named by its paragraph's first words.
        var untitled = Units(await Edit(admin, page, "split|1|1.2"));
        Assert.Equal("各支部认真落实“三会一课”制度", untitled.Single(u => u.Id == "1.2.s1").Title);
    }

    [Fact]
    public async Task Merging_a_unit_with_its_neighbour_keeps_the_later_heading_as_text_of_the_earlier()
    {
        var (admin, page) = await Preview("合并单元");

        var merged = await Edit(admin, page, "merge-next|1.1");

        var units = Units(merged);
        Assert.Equal(["1", "1.1"], units.Select(u => u.Id));
        Assert.EndsWith("二是措施得力。\n（二）抓好落实\n全县建立党员先锋岗X个。\n各支部认真落实“三会一课”制度。\n", units[1].Content, StringComparison.Ordinal);
        Assert.Equal(units, Units(await Edit(admin, page, "merge-previous|1.2")));
        Assert.DoesNotContain("value=\"merge-next|", merged);
    }

    [Fact]
    public async Task Paragraphs_move_between_the_last_unit_and_the_closing_both_ways()
    {
        var (admin, page) = await Preview("移入结尾");

        var moved = await Edit(admin, page, "to-closing|1.2");
        Assert.Equal("\n全县建立党员先锋岗X个。\n", Units(moved)[^1].Content);
        Assert.StartsWith("各支部认真落实“三会一课”制度。\n下半年，", Plan(moved).GetProperty("closing").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"to-closing|1.2\"", moved); // its heading keeps its last paragraph

        var back = await Edit(admin, moved, "from-closing");
        Assert.Equal(Plan(page).GetProperty("closing").GetString(), Plan(back).GetProperty("closing").GetString());
        var further = await Edit(admin, back, "from-closing");
        Assert.EndsWith("各支部认真落实“三会一课”制度。\n下半年，县委将重点抓好以下工作：\n", Units(further)[^1].Content, StringComparison.Ordinal);
        Assert.Equal(["一是强化政治引领。", "二是夯实基层基础。", "特此报告。"], Paragraphs(further, "import-closing"));
    }

    [Fact]
    public async Task Text_without_a_heading_before_it_moves_to_and_from_the_lead()
    {
        const string text = "县关于导语调整测试工作情况的报告\n今年以来，全县党建工作取得新成效。\n现将有关情况报告如下：\n一、主要工作\n全县开展培训X次。\n二、存在问题\n问题不多。\n";
        var (admin, page) = await Preview("移入导语", text);
        Assert.DoesNotContain("value=\"to-lead|", page); // 一、 stands between the lead and every unit
        Assert.DoesNotContain("value=\"from-lead\"", page);

        // A cut sent back edited, as the API takes it: its first unit is the lead's last paragraph, without a heading.
        var plan = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Plan(page).GetRawText())!;
        var units = JsonSerializer.Deserialize<List<Dictionary<string, JsonElement>>>(plan["units"].GetRawText())!;
        Assert.Equal("\n今年以来，全县党建工作取得新成效。\n现将有关情况报告如下：\n", plan["lead"].GetString());
        plan["lead"] = JsonSerializer.SerializeToElement("\n今年以来，全县党建工作取得新成效。\n");
        units.Insert(0, new()
        {
            ["id"] = JsonSerializer.SerializeToElement("0"), ["isGroup"] = JsonSerializer.SerializeToElement(false), ["level"] = JsonSerializer.SerializeToElement(1),
            ["number"] = JsonSerializer.SerializeToElement(""), ["title"] = JsonSerializer.SerializeToElement("说明"), ["headingText"] = JsonSerializer.SerializeToElement(""),
            ["content"] = JsonSerializer.SerializeToElement("现将有关情况报告如下：\n"), ["line"] = JsonSerializer.SerializeToElement(3),
        });
        plan["units"] = JsonSerializer.SerializeToElement(units);
        var edited = await Edit(admin, page, "level|0", new() { ["plan"] = JsonSerializer.Serialize(plan), ["level-0"] = "1" });
        Assert.Contains("value=\"to-lead|0\"", edited);
        Assert.Contains("value=\"from-lead\"", edited);

        var fromLead = await Edit(admin, edited, "from-lead");
        Assert.Equal("\n", Plan(fromLead).GetProperty("lead").GetString());
        Assert.Equal("今年以来，全县党建工作取得新成效。\n现将有关情况报告如下：\n", Units(fromLead)[0].Content);

        var toLead = await Edit(admin, edited, "to-lead|0");
        Assert.Equal("\n今年以来，全县党建工作取得新成效。\n现将有关情况报告如下：\n", Plan(toLead).GetProperty("lead").GetString());
        Assert.DoesNotContain(Units(toLead), u => u.Id == "0"); // its only paragraph went, and it had no heading
        Assert.Equal(Units(page), Units(toLead));
    }

    [Fact]
    public async Task Changing_a_unit_s_level_changes_what_it_stands_under()
    {
        var (admin, page) = await Preview("更改层级");

        var raised = Units(await Edit(admin, page, "level|1.1", new() { ["level-1.1"] = "1" }));
        Assert.Equal([("1", null, 1), ("1.1", null, 1), ("1.2", null, 2)], raised.Select(u => (u.Id, u.ParentId, u.Level)));

        var lowered = Units(await Edit(admin, page, "level|1.2", new() { ["level-1.2"] = "3" }));
        Assert.Equal([("1", null, 1), ("1.1", "1", 2), ("1.2", "1", 3)], lowered.Select(u => (u.Id, u.ParentId, u.Level)));
    }

    [Fact]
    public async Task A_refused_change_is_said_in_chinese_and_keeps_the_preview_the_title_and_the_choices()
    {
        var (admin, page) = await Preview("拒绝调整");
        var before = Units(page);

        var tooLong = await EditRaw(admin, page, "split|3|1.1", new() { ["split-title-1.1"] = new string('长', 201), ["title"] = "改过的标题" }, ("1.2", "jiwei", "jiwei.author"));
        var html = await tooLong.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        Assert.Contains("拆分出的新单元标题不能超过 200 字", html);
        Assert.Equal(before, Units(html));
        Assert.Contains("value=\"改过的标题\"", html);
        Assert.Single(Regex.Matches(html, "<option value=\"jiwei\" selected=\"selected\""));

        var gone = await EditRaw(admin, page, "merge-next|9.9");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, gone.StatusCode);
        var goneHtml = await gone.Content.ReadAsStringAsync(Ct);
        Assert.Contains("这项调整无法执行", goneHtml);
        Assert.Equal(before, Units(goneHtml));

        // A plan that no longer adds up to its file is refused as the API refuses it, whatever change it asks for.
        var plan = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Plan(page).GetRawText())!;
        var units = JsonSerializer.Deserialize<List<Dictionary<string, JsonElement>>>(plan["units"].GetRawText())!;
        units[1]["content"] = JsonSerializer.SerializeToElement(units[1]["content"].GetString()!.Replace("措施得力", "措施有力", StringComparison.Ordinal));
        plan["units"] = JsonSerializer.SerializeToElement(units);
        var lossy = await EditRaw(admin, page, "merge-next|1.1", new() { ["plan"] = JsonSerializer.Serialize(plan) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, lossy.StatusCode);
        Assert.Contains("预览内容与原文不一致", await lossy.Content.ReadAsStringAsync(Ct));
        Assert.Equal(0, app.Count("Reports", "\"Title\" = '拒绝调整'"));
    }

    [Fact]
    public async Task Confirming_imports_the_edited_cut_with_each_unit_s_author()
    {
        var (admin, page) = await Preview("调整后导入");
        page = await Edit(admin, page, "split|3|1.1", new() { ["split-title-1.1"] = "成效原因" });
        page = await Edit(admin, page, "level|1.1.s1", new() { ["level-1.1.s1"] = "1" });
        page = await Edit(admin, page, "to-closing|1.2");

        var fields = Fields(page, ("1.1", "zuzhi", "zuzhi.author"), ("1.1.s1", "jiwei", "jiwei.author"), ("1.2", "xuanchuan", "xuanchuan.author"));
        var confirmed = await admin.PostAsync("/admin/import?handler=confirm", new FormUrlEncodedContent(fields), Ct);
        Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync(Ct));

        var report = app.WithDb(db => db.Reports.Single(r => r.Title == "调整后导入").Id);
        var sections = app.WithDb(db => db.Sections.Where(s => s.ReportId == report).OrderBy(s => s.Ordinal)
            .Select(s => new
            {
                s.Id, s.ParentId, s.Number, s.Title, s.Level, s.IsGroup,
                Department = db.Departments.Where(d => d.Id == s.DepartmentId).Select(d => d.Code).FirstOrDefault(),
                Content = db.SectionVersions.Where(v => v.SectionId == s.Id && v.Number == s.CurrentVersion).Select(v => v.Content).FirstOrDefault(),
            }).ToList());
        var part = sections.Single(s => s.Title == "主要工作");
        var study = sections.Single(s => s.Title == "强化学习");
        var causes = sections.Single(s => s.Title == "成效原因");
        var practice = sections.Single(s => s.Title == "抓好落实");
        Assert.True(part.IsGroup);
        Assert.Equal((part.Id, 2, "zuzhi", "一是集中学习X次。\n二是个人自学。\n三是专题研讨。"), (study.ParentId!.Value, study.Level, study.Department, study.Content));
        Assert.Equal((null, 1, "jiwei", "产生以上成效的原因主要有：\n一是领导重视。\n二是措施得力。"), (causes.ParentId, causes.Level, causes.Department, causes.Content));
        Assert.Equal((null, 2, "xuanchuan", "全县建立党员先锋岗X个。"), (practice.ParentId, practice.Level, practice.Department, practice.Content));
        Assert.True(sections.IndexOf(study) < sections.IndexOf(causes) && sections.IndexOf(causes) < sections.IndexOf(practice));
    }

    private sealed record Unit(string Id, string? ParentId, bool IsGroup, int Level, string Number, string Title, string? HeadingText, string Content);

    private async Task<HttpClient> Admin()
    {
        var browser = app.Browser();
        await SignIn(browser, "admin");
        return browser;
    }

    private async Task<(HttpClient Admin, string Page)> Preview(string title, string text = Document)
    {
        var admin = await Admin();
        var response = await Upload(admin, title, text);
        var page = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, page);
        return (admin, page);
    }

    private async Task<HttpResponseMessage> Upload(HttpClient admin, string title, string text = Document)
    {
        var form = await Page(admin, "/admin/import");
        var content = new MultipartFormDataContent
        {
            { new StringContent("new"), "target" },
            { new StringContent(title), "title" },
            { new StringContent(PageClient.AntiforgeryToken(form)), "__RequestVerificationToken" },
        };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        content.Add(file, "file", "report.txt");
        return await admin.PostAsync("/admin/import?handler=preview", content, Ct);
    }

    /// <summary>Presses the button for <paramref name="edit"/> on the preview page; expects the changed preview.</summary>
    private async Task<string> Edit(HttpClient admin, string page, string edit, Dictionary<string, string>? fields = null)
    {
        var response = await EditRaw(admin, page, edit, fields);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{edit}: {(int)response.StatusCode}\n{html}");
        Assert.Contains("data-testid=\"import-preview\"", html);
        return html;
    }

    /// <summary>The preview's form as the browser posts it with the button pressed: every field, the clerk's choices and extra fields.</summary>
    private Task<HttpResponseMessage> EditRaw(HttpClient admin, string page, string edit, Dictionary<string, string>? fields = null, params (string Unit, string Department, string Author)[] chosen)
    {
        var all = Fields(page, chosen).Where(f => fields is null || !fields.ContainsKey(f.Key)).ToList();
        all.Add(new("edit", edit));
        all.AddRange(fields ?? []);
        return admin.PostAsync("/admin/import?handler=edit", new FormUrlEncodedContent(all), Ct);
    }

    /// <summary>The preview form's fields: target, title, plan and token, and each unit with the department and author chosen for it (none otherwise).</summary>
    private static List<KeyValuePair<string, string>> Fields(string page, params (string Unit, string Department, string Author)[] chosen)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("target", "new"),
            new("title", WebUtility.HtmlDecode(TitleField().Match(page).Groups[1].Value)),
            new("plan", PageClient.ImportPlan(page)),
            new("__RequestVerificationToken", PageClient.AntiforgeryToken(page)),
        };
        foreach (var unit in PageClient.ImportUnits(page))
        {
            var choice = chosen.FirstOrDefault(c => c.Unit == unit);
            fields.AddRange([new("unit", unit), new("department", choice.Department ?? ""), new("author", choice.Author ?? "")]);
        }

        return fields;
    }

    private static JsonElement Plan(string page) => JsonDocument.Parse(PageClient.ImportPlan(page)).RootElement;

    private static List<Unit> Units(string page) =>
        JsonSerializer.Deserialize<List<Unit>>(Plan(page).GetProperty("units").GetRawText(), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    /// <summary>The list item of unit <paramref name="id"/> in the preview.</summary>
    private static string UnitItem(string page, string id) =>
        Regex.Match(page, $"<li class=\"admin-unit[^\"]*\" data-unit=\"{Regex.Escape(id)}\">(.*?)</li>\\s*(?=<li class=\"admin-unit|</ol>\\s*<section)", RegexOptions.Singleline).Groups[1].Value;

    /// <summary>The paragraphs shown for a unit (by id) or for the lead or closing (by test id), as they read.</summary>
    private static List<string> Paragraphs(string page, string of)
    {
        var part = of.StartsWith("import-", StringComparison.Ordinal)
            ? Regex.Match(page, $"data-testid=\"{of}\">(.*?)</section>", RegexOptions.Singleline).Groups[1].Value
            : UnitItem(page, of);
        var list = Regex.Match(part, "data-testid=\"text\">(.*?)</ol>", RegexOptions.Singleline).Groups[1].Value;
        return Regex.Matches(list, "<span>(.*?)</span>", RegexOptions.Singleline).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
    }

    private static List<string> Warnings(string page) =>
        Regex.Matches(Regex.Match(page, "data-testid=\"import-warnings\">(.*?)</ul>", RegexOptions.Singleline).Groups[1].Value, "<li>(.*?)</li>", RegexOptions.Singleline)
            .Select(m => Regex.Replace(WebUtility.HtmlDecode(m.Groups[1].Value), @"\s+", " ").Trim())
            .ToList();




    [GeneratedRegex("id=\"confirm-title\" name=\"title\" value=\"([^\"]*)\"")]
    private static partial Regex TitleField();
}
