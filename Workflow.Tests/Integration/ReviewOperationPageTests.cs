using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Workflow.Tests.Integration;

using static PageClient;

/// <summary>
/// The OA operations on the pages over HTTP: the review page offers exactly what the engine allows the reader (approve
/// and return with a target, 加签, 减签, 转办, 委派, a delegate's advice, a proxy's 代 X 审批), the section page offers
/// 撤销 to an administrator; people who may not use an operation are not offered it and a forged post is refused in
/// their language, writing nothing.
/// </summary>
public sealed class ReviewOperationPageTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    private const string Text = "一是压实主体责任，全县开展廉政谈话36人次。";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_countersign_holder_is_offered_every_operation_and_someone_without_a_task_none()
    {
        var (section, _) = await AtCountersign("会签页面");
        var jiwei = await Person("jiwei.head");
        var page = await Page(jiwei, $"/sections/{section}/review");

        foreach (var offered in new[] { "approve", "return", "return-target", "add-signer", "transfer", "delegate" })
        {
            Assert.Contains($"data-testid=\"{offered}\"", page);
        }

        // Back to the department or to the author; the author is past the stage just before, so rerun or straight back.
        Assert.Contains("value=\"department\"", page);
        Assert.Contains("value=\"draft\"", page);
        Assert.Contains("data-testid=\"resubmit\"", page);
        Assert.DoesNotContain("data-testid=\"advise\"", page);
        Assert.DoesNotContain("data-testid=\"on-behalf-of\"", page);

        // The author and the department head (who already approved) have nothing to do there: sent to the section page.
        foreach (var reader in new[] { "xuanchuan.author", "auditor" })
        {
            var browser = await Person(reader);
            var response = await browser.GetAsync($"/sections/{section}/review", Ct);
            Assert.Equal($"/sections/{section}", response.RequestMessage!.RequestUri!.AbsolutePath);
            var html = await response.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotContain("data-testid=\"go-review\"", html);
            Assert.DoesNotContain("data-testid=\"cancel\"", html);
        }
    }

    [Fact]
    public async Task Forged_operations_by_someone_without_the_task_are_refused_in_chinese_and_write_nothing()
    {
        var (section, version) = await AtCountersign("伪造操作");
        var jiwei = await Person("jiwei.head");
        var form = await Page(jiwei, $"/sections/{section}/review");
        var auditor = await Person("auditor");
        var theirs = await Page(auditor, $"/sections/{section}");
        var before = await Tasks(section);

        foreach (var (handler, fields) in new (string, Dictionary<string, string>)[]
        {
            ("AddSigner", new() { ["version"] = $"{version}", ["signer"] = "zuzhi.author", ["position"] = "before" }),
            ("Transfer", new() { ["version"] = $"{version}", ["to"] = "zuzhi.author" }),
            ("Delegate", new() { ["version"] = $"{version}", ["to"] = "zuzhi.author" }),
            ("Approve", new() { ["version"] = $"{version}", ["opinion"] = "同意。" }),
        })
        {
            var refused = await PostRaw(auditor, theirs, $"/sections/{section}/review?handler={handler}", fields);
            Assert.True(refused.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.Forbidden, $"{handler}: {refused.StatusCode}");
            Assert.Contains("data-testid=\"error\"", await refused.Content.ReadAsStringAsync(Ct));
        }

        // Only an administrator cancels; the holder's forged cancel is refused as forbidden.
        var cancel = await PostRaw(jiwei, form, $"/sections/{section}?handler=Cancel", new() { ["reason"] = "不要了" });
        Assert.Equal(HttpStatusCode.Forbidden, cancel.StatusCode);
        Assert.Contains("您无权进行此操作", await cancel.Content.ReadAsStringAsync(Ct));

        // An unknown person named for 加签 is refused with its own text.
        var unknown = await PostRaw(jiwei, form, $"/sections/{section}/review?handler=AddSigner", new() { ["version"] = $"{version}", ["signer"] = "nobody", ["position"] = "before" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("没有这个在职用户", await unknown.Content.ReadAsStringAsync(Ct));
        Assert.Equal(before, await Tasks(section));
    }

    [Fact]
    public async Task A_signer_added_before_decides_first_and_one_added_alongside_can_be_removed_again()
    {
        var (section, _) = await AtCountersign("加签与减签");
        var jiwei = await Person("jiwei.head");
        var form = await Page(jiwei, $"/sections/{section}/review");

        var added = await Post(jiwei, form, $"/sections/{section}/review?handler=AddSigner", new() { ["version"] = Version(form), ["signer"] = "auditor", ["position"] = "parallel", ["note"] = "请一并审核。" });
        Assert.Contains("已加签", added);
        var again = await Page(jiwei, $"/sections/{section}/review");
        Assert.Contains("data-testid=\"remove-signer\"", again);
        Assert.DoesNotContain("data-testid=\"remove-signer\"", await Page(await Person("zuzhi.head"), $"/sections/{section}/review"));
        var removed = await Post(jiwei, again, $"/sections/{section}/review?handler=RemoveSigner", new() { ["version"] = Version(again), ["signerTask"] = SignerTask(again) });
        Assert.Contains("已减签", removed);

        // The sheet names the signer added and removed as they were that day, after a rename too.
        app.WithDb(db => db.Users.Where(u => u.UserName == "auditor").ExecuteUpdate(u => u.SetProperty(x => x.DisplayName, "审计员（新）")));
        try
        {
            var sheet = await Page(jiwei, $"/sections/{section}/signoff");
            Assert.Contains("纪委书记 加签 审计员（与其并列）", sheet);
            Assert.Contains("纪委书记 减签 审计员", sheet);
            Assert.DoesNotContain("审计员（新）", sheet);
        }
        finally
        {
            app.WithDb(db => db.Users.Where(u => u.UserName == "auditor").ExecuteUpdate(u => u.SetProperty(x => x.DisplayName, "审计员")));
        }

        var before = await Post(jiwei, await Page(jiwei, $"/sections/{section}/review"), $"/sections/{section}/review?handler=AddSigner", new() { ["version"] = Version(form), ["signer"] = "zuzhi.author", ["position"] = "before" });
        Assert.Contains("已加签", before);
        // My task waits for the signer added before me: no decision until they decide, only taking them off again.
        var waiting = await Page(jiwei, $"/sections/{section}/review");
        Assert.DoesNotContain("data-testid=\"approve\"", waiting);
        Assert.Contains("data-testid=\"remove-signer\"", waiting);
        var signer = await Person("zuzhi.author");
        var theirs = await Page(signer, $"/sections/{section}/review");
        Assert.Contains("data-testid=\"approve\"", theirs);
        Assert.Contains("已同意", await Post(signer, theirs, $"/sections/{section}/review?handler=Approve", new() { ["version"] = Version(theirs), ["opinion"] = "数字无误。" }));
        Assert.Contains("data-testid=\"approve\"", await Page(jiwei, $"/sections/{section}/review"));
    }

    [Fact]
    public async Task A_transfer_hands_the_task_on_and_a_delegate_advises_instead_of_deciding()
    {
        var (section, _) = await AtCountersign("转办与委派");
        var zuzhi = await Person("zuzhi.head");
        var form = await Page(zuzhi, $"/sections/{section}/review");
        Assert.Contains("已转办", await Post(zuzhi, form, $"/sections/{section}/review?handler=Transfer", new() { ["version"] = Version(form), ["to"] = "committee.deputy", ["note"] = "请代为会签。" }));
        Assert.Equal($"/sections/{section}", (await zuzhi.GetAsync($"/sections/{section}/review", Ct)).RequestMessage!.RequestUri!.AbsolutePath);

        var jiwei = await Person("jiwei.head");
        var mine = await Page(jiwei, $"/sections/{section}/review");
        Assert.Contains("已委派", await Post(jiwei, mine, $"/sections/{section}/review?handler=Delegate", new() { ["version"] = Version(mine), ["to"] = "zuzhi.author", ["note"] = "请提意见。" }));
        var adviser = await Person("zuzhi.author");
        var advice = await Page(adviser, $"/sections/{section}/review");
        Assert.Contains("data-testid=\"advise\"", advice);
        Assert.DoesNotContain("data-testid=\"approve\"", advice);
        Assert.DoesNotContain("data-testid=\"transfer\"", advice);
        // A forged approval by the delegate is refused with the engine's reason, in Chinese.
        var forged = await PostRaw(adviser, advice, $"/sections/{section}/review?handler=Approve", new() { ["version"] = Version(advice), ["opinion"] = "同意。" });
        Assert.Equal(HttpStatusCode.Conflict, forged.StatusCode);
        Assert.Contains("请提交意见", await forged.Content.ReadAsStringAsync(Ct));
        Assert.Contains("意见已提交", await Post(adviser, advice, $"/sections/{section}/review?handler=Advise", new() { ["version"] = Version(advice), ["opinion"] = "建议同意。" }));
        Assert.Contains("data-testid=\"approve\"", await Page(jiwei, $"/sections/{section}/review"));
    }

    [Fact]
    public async Task A_proxy_decides_on_behalf_of_the_away_holder_and_a_return_goes_to_the_stage_chosen()
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "委托页面");
        var section = await Api.AddSection(admin, report);
        var version = await Api.EditAndSubmit(await app.As("zuzhi.author"), section, Text);
        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "approve", version, "同意。"), HttpStatusCode.OK);
        var deputyApi = await app.As("committee.deputy");
        await Api.Expect(await deputyApi.PutAsJsonAsync("/api/me/proxy", new { proxy = "xuanchuan.head", from = DateTimeOffset.UtcNow.AddHours(-1), to = DateTimeOffset.UtcNow.AddDays(1) }, Ct), HttpStatusCode.Created);
        try
        {
            var proxy = await Person("xuanchuan.head");
            var page = await Page(proxy, $"/sections/{section}/review");
            Assert.Contains("data-testid=\"on-behalf-of\"", page);
            Assert.Contains("代县委副书记同意", page);
            Assert.DoesNotContain("data-testid=\"transfer\"", page);

            var back = await Post(proxy, page, $"/sections/{section}/review?handler=Return", new() { ["version"] = Version(page), ["opinion"] = "请部门再核。", ["toStage"] = "department", ["onBehalfOf"] = "committee.deputy" });
            Assert.Contains("已退回到所选环节", back);
            var sheet = await Api.Read<JsonElement[]>(await admin.GetAsync($"/api/sections/{section}/signoffs", Ct));
            var returned = sheet.Single(s => s.GetProperty("decision").GetString() == "returned");
            Assert.Equal(("xuanchuan.head", "committee.deputy"), (returned.GetProperty("actor").GetProperty("userName").GetString(), returned.GetProperty("onBehalfOf").GetProperty("userName").GetString()));
        }
        finally
        {
            await deputyApi.DeleteAsync("/api/me/proxy", Ct);
        }
    }

    [Fact]
    public async Task The_approver_takes_back_an_approval_from_the_review_page_while_the_next_stage_has_not_acted()
    {
        var (section, _) = await AtCountersign("拿回页面");
        var head = await Person("xuanchuan.head");
        var sectionPage = await Page(head, $"/sections/{section}");
        Assert.Contains("data-testid=\"go-review\"", sectionPage);
        var page = await Page(head, $"/sections/{section}/review");
        Assert.Contains("data-testid=\"reclaim\"", page);
        Assert.DoesNotContain("data-testid=\"approve\"", page);
        Assert.DoesNotContain("data-testid=\"reclaim\"", await Page(await Person("jiwei.head"), $"/sections/{section}/review"));

        var taken = await Post(head, page, $"/sections/{section}/review?handler=Reclaim", new() { ["version"] = Version(page), ["opinion"] = "再看一遍。" });
        Assert.Contains("已拿回", taken);
        Assert.Contains("data-chip=\"department\" data-testid=\"chip\">待部门审核<", taken);
        Assert.Contains("data-testid=\"approve\"", await Page(head, $"/sections/{section}/review"));
    }

    [Fact]
    public async Task An_administrator_cancels_a_review_with_a_reason_on_the_section_page()
    {
        var (section, _) = await AtCountersign("撤销页面");
        var admin = await Person("admin");
        var page = await Page(admin, $"/sections/{section}");
        Assert.Contains("data-testid=\"cancel\"", page);
        Assert.DoesNotContain("data-testid=\"cancel\"", await Page(await Person("jiwei.head"), $"/sections/{section}"));

        var done = await Post(admin, page, $"/sections/{section}?handler=Cancel", new() { ["reason"] = "改由宣传部重新起草。" });
        Assert.Contains("已撤销审核", done);
        Assert.DoesNotContain("data-testid=\"cancel\"", done);
        Assert.Equal("draft", (await Api.Read<JsonElement>(await (await app.As("admin")).GetAsync($"/api/sections/{section}", Ct))).GetProperty("section").GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_section_page_draws_the_route_with_branches_side_by_side_decisions_pending_and_where_a_return_went()
    {
        var (section, version) = await AtCountersign("流程图");
        await Api.Expect(await Api.Decide(await app.As("jiwei.head"), section, "approve", version, "同意。"), HttpStatusCode.OK);
        var reader = await Person("auditor");
        var page = await Page(reader, $"/sections/{section}");

        // The stages in the route's order, named as the route names them; the countersign's departments side by side.
        var stages = System.Text.RegularExpressions.Regex.Matches(page, "class=\"rstage-name\">([^<]+)<").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["起草", "部门审核", "纪委组织部会签", "县委审核"], stages);
        Assert.Contains("data-branch=\"jiwei\"", page);
        Assert.Contains("data-branch=\"zuzhi\"", page);
        Assert.Contains("rstage rstage-current\" data-stage=\"cosign\"", page);
        Assert.Contains("纪委书记", Between(page, "data-branch=\"jiwei\"", "data-branch=\"zuzhi\""));
        Assert.Contains("组织部部长</span>\n                                        <span class=\"decision\">待办", page);

        // 组织部 returns to the department: the diagram says where the return went.
        await Api.Expect(await (await app.As("zuzhi.head")).PostAsJsonAsync($"/api/sections/{section}/return", new { version, opinion = "请部门复核。", toStage = "department" }, Ct), HttpStatusCode.OK);
        var after = await Page(reader, $"/sections/{section}");
        Assert.Contains("data-testid=\"turns\"", after);
        Assert.Contains("纪委组织部会签 → 部门审核", after);
        Assert.Contains("rstage rstage-current\" data-stage=\"department\"", after);
    }

    [Fact]
    public async Task The_clerk_reminds_from_the_section_page_and_the_board_and_others_are_neither_offered_nor_allowed()
    {
        var (section, _) = await AtCountersign("催办");
        var clerk = await Person("admin");
        var page = await Page(clerk, $"/sections/{section}");
        Assert.Contains("data-testid=\"remind\"", page);
        var head = await Person("jiwei.head");
        var theirs = await Page(head, $"/sections/{section}");
        Assert.DoesNotContain("data-testid=\"remind\"", theirs);

        var task = System.Text.RegularExpressions.Regex.Match(page, "name=\"taskId\" value=\"([0-9a-f-]+)\"").Groups[1].Value;
        var forged = await PostRaw(head, theirs, $"/sections/{section}?handler=Remind", new() { ["taskId"] = task, ["note"] = "快点" });
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);

        Assert.Contains("已催办", await Post(clerk, page, $"/sections/{section}?handler=Remind", new() { ["taskId"] = task, ["note"] = "请今天处理。" }));
        var report = (await Api.Read<JsonElement>(await (await app.As("admin")).GetAsync($"/api/sections/{section}", Ct))).GetProperty("reportId").GetGuid();
        var board = await Page(clerk, $"/reports/{report}");
        Assert.Contains("data-testid=\"remind\"", board);
        var again = await PostRaw(clerk, board, $"/reports/{report}?handler=Remind", new() { ["taskId"] = task });
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.Contains("催办过", await again.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task The_sign_off_sheet_lists_branches_added_signers_transfers_advice_and_proxies_with_names_as_they_were()
    {
        var (section, version) = await AtCountersign("审批单");
        var jiwei = await app.As("jiwei.head");
        var jiweiTask = await TaskOn(jiwei, section);
        await Api.Expect(await jiwei.PostAsJsonAsync($"/api/tasks/{jiweiTask}/signers", new { user = "zuzhi.author", position = "before", note = "请先看数字。" }, Ct), HttpStatusCode.OK);
        await Api.Expect(await Api.Decide(await app.As("zuzhi.author"), section, "approve", version, "数字无误。"), HttpStatusCode.OK);
        await Api.Expect(await Api.Decide(jiwei, section, "approve", version, "同意。"), HttpStatusCode.OK);
        var zuzhi = await app.As("zuzhi.head");
        await Api.Expect(await zuzhi.PostAsJsonAsync($"/api/tasks/{await TaskOn(zuzhi, section)}/delegate", new { to = "jiwei.author", note = "请提意见。" }, Ct), HttpStatusCode.OK);
        await Api.Expect(await Api.Decide(await app.As("jiwei.author"), section, "advise", version, "建议同意。"), HttpStatusCode.OK);
        await Api.Expect(await zuzhi.PostAsJsonAsync($"/api/tasks/{await TaskOn(zuzhi, section)}/transfer", new { to = "committee.deputy", opinion = "请副书记代为会签。" }, Ct), HttpStatusCode.OK);
        await Api.Expect(await Api.Decide(await app.As("committee.deputy"), section, "approve", version, "同意。"), HttpStatusCode.OK);
        var secretary = await app.As("committee.secretary");
        await Api.Expect(await secretary.PutAsJsonAsync("/api/me/proxy", new { proxy = "auditor", from = DateTimeOffset.UtcNow.AddHours(-1), to = DateTimeOffset.UtcNow.AddDays(1) }, Ct), HttpStatusCode.Created);
        try
        {
            await Api.Expect(await Api.Decide(await app.As("auditor"), section, "approve", version, "代为同意。"), HttpStatusCode.OK);
        }
        finally
        {
            await secretary.DeleteAsync("/api/me/proxy", Ct);
        }

        var sheet = await Page(await Person("admin"), $"/sections/{section}/signoff");
        var cosign = Between(sheet, "data-stage=\"cosign\"", "data-stage=\"committee\"");
        Assert.Contains("纪委会签意见", cosign);
        Assert.Contains("组织部会签意见", cosign);
        Assert.Contains("纪委书记 加签 组织部起草人（在其之前）", Between(cosign, "data-branch=\"jiwei\"", "data-branch=\"zuzhi\""));
        Assert.Contains("前加签", cosign);
        Assert.Contains("组织部部长 委派 纪委起草人 提出意见", cosign);
        Assert.Contains("data-kind=\"advised\"", cosign);
        Assert.Contains("建议同意。", cosign);
        Assert.Contains("组织部部长 转办给 县委副书记", cosign);
        Assert.Contains("审计员 代 县委书记", Between(sheet, "data-stage=\"committee\"", "data-testid=\"anchor\""));
    }

    [Fact]
    public async Task Chips_and_the_inbox_name_the_stage_from_the_route_and_mark_proxied_and_added_tasks()
    {
        var (section, _) = await AtCountersign("会签状态");
        var admin = await Person("admin");
        var report = (await Api.Read<JsonElement>(await (await app.As("admin")).GetAsync($"/api/sections/{section}", Ct))).GetProperty("reportId").GetGuid();
        var board = await Page(admin, $"/reports/{report}");
        Assert.Contains("data-chip=\"cosign\" data-testid=\"chip\">待纪委组织部会签<", board);
        Assert.Contains("<option value=\"cosign\">待纪委组织部会签</option>", board);
        Assert.Contains("data-chip=\"cosign\" data-testid=\"chip\">待纪委组织部会签<", await Page(admin, $"/reports/{report}?state=cosign"));
        Assert.Contains("data-chip=\"cosign\" data-testid=\"chip\">待纪委组织部会签<", await Page(admin, $"/sections/{section}"));
        Assert.Contains("<td>待纪委组织部会签</td>", await Page(admin, $"/sections/{section}/signoff"));

        // The inbox: the stage as the route names it, 前加签 for an added signer, 代 X for a principal's task.
        var jiwei = await app.As("jiwei.head");
        await Api.Expect(await jiwei.PostAsJsonAsync($"/api/tasks/{await TaskOn(jiwei, section)}/signers", new { user = "zuzhi.author", position = "before" }, Ct), HttpStatusCode.OK);
        var added = await Page(await Person("zuzhi.author"), "/inbox");
        Assert.Contains("纪委组织部会签", added);
        Assert.Contains("data-testid=\"task-kind\">前加签<", added);
        var zuzhi = await app.As("zuzhi.head");
        await Api.Expect(await zuzhi.PutAsJsonAsync("/api/me/proxy", new { proxy = "auditor", from = DateTimeOffset.UtcNow.AddHours(-1), to = DateTimeOffset.UtcNow.AddDays(1) }, Ct), HttpStatusCode.Created);
        try
        {
            var proxied = await Page(await Person("auditor"), "/inbox");
            Assert.Contains("data-testid=\"on-behalf-of\">代组织部部长<", proxied);
            // The badge beside 我的工作 counts what the inbox lists, the principal's task included.
            var listed = System.Text.RegularExpressions.Regex.Matches(proxied, "data-testid=\"task-link\"").Count;
            Assert.True(listed > 0);
            Assert.Matches($"data-testid=\"nav-badge\"[^>]*>{listed}<", proxied);
        }
        finally
        {
            await zuzhi.DeleteAsync("/api/me/proxy", Ct);
        }
    }

    [Fact]
    public async Task The_proxy_page_names_a_proxy_in_beijing_time_shows_it_to_both_and_ends_it()
    {
        var away = await Person("jiwei.author");
        var page = await Page(away, "/me/proxy");
        Assert.Contains("data-testid=\"no-proxy\"", page);
        Assert.Contains("href=\"/me/proxy\"", page);
        Assert.DoesNotContain("<option value=\"jiwei.author\"", page);

        // Refused in Chinese, the form keeping what was sent: an end before the start, oneself, nobody.
        var backwards = await PostRaw(away, page, "/me/proxy?handler=Set", new() { ["proxy"] = "zuzhi.author", ["from"] = "2030-01-02T09:00", ["to"] = "2030-01-01T09:00", ["scope"] = "all" });
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        var html = await backwards.Content.ReadAsStringAsync(Ct);
        Assert.Contains("委托时间有误", html);
        Assert.Contains("value=\"2030-01-02T09:00\"", html);
        var self = await PostRaw(away, page, "/me/proxy?handler=Set", new() { ["proxy"] = "jiwei.author", ["from"] = "2030-01-01T09:00", ["to"] = "2030-01-02T09:00", ["scope"] = "all" });
        Assert.Contains("不能委托给自己", await self.Content.ReadAsStringAsync(Ct));
        var nobody = await PostRaw(away, page, "/me/proxy?handler=Set", new() { ["proxy"] = "nobody", ["from"] = "2030-01-01T09:00", ["to"] = "2030-01-02T09:00", ["scope"] = "all" });
        Assert.Contains("没有这个在职用户", await nobody.Content.ReadAsStringAsync(Ct));

        var set = await Post(away, page, "/me/proxy?handler=Set", new() { ["proxy"] = "zuzhi.author", ["from"] = "2030-01-01T09:00", ["to"] = "2030-01-02T18:30", ["scope"] = "chosen", ["routes"] = "county-report" });
        Assert.Contains("委托已保存", set);
        Assert.Contains("2030-01-01 09:00", set);
        Assert.Contains("2030-01-02 18:30", set);
        var windows = await Api.Read<JsonElement[]>(await (await app.As("jiwei.author")).GetAsync("/api/me/proxy", Ct));
        Assert.Equal(DateTimeOffset.Parse("2030-01-01T01:00:00Z", System.Globalization.CultureInfo.InvariantCulture), windows.Single().GetProperty("from").GetDateTimeOffset());
        Assert.Equal("county-report", windows.Single().GetProperty("routes")[0].GetString());

        // The proxy sees whom they stand in for; only the one away ends it.
        var proxy = await Page(await Person("zuzhi.author"), "/me/proxy");
        Assert.Contains("data-testid=\"standing-in\"", proxy);
        Assert.Contains("纪委起草人", proxy);
        Assert.DoesNotContain("data-testid=\"end-proxy\"", proxy);
        Assert.Contains("委托已结束", await Post(away, set, "/me/proxy?handler=End", []));
        Assert.Empty(await Api.Read<JsonElement[]>(await (await app.As("jiwei.author")).GetAsync("/api/me/proxy", Ct)));
    }

    private static async Task<Guid> TaskOn(HttpClient holder, Guid section)
    {
        var tasks = await Api.Read<JsonElement[]>(await holder.GetAsync("/api/tasks", Ct));
        return tasks.Single(t => t.GetProperty("sectionId").GetGuid() == section).GetProperty("id").GetGuid();
    }

    private static string Between(string text, string from, string to)
    {
        var a = text.IndexOf(from, StringComparison.Ordinal);
        var b = text.IndexOf(to, a + 1, StringComparison.Ordinal);
        return text[a..b];
    }

    private async Task<HttpClient> Person(string userName)
    {
        var browser = app.Browser();
        await SignIn(browser, userName);
        return browser;
    }

    private async Task<int> Tasks(Guid section)
    {
        var admin = await app.As("admin");
        var trail = await Api.Read<JsonElement>(await admin.GetAsync($"/api/audit?sectionId={section}", Ct));
        return trail.GetProperty("items").GetArrayLength();
    }

    private static string Version(string page) => System.Text.RegularExpressions.Regex.Match(page, "name=\"version\" value=\"(\\d+)\"").Groups[1].Value;

    private static string SignerTask(string page) => System.Text.RegularExpressions.Regex.Match(page, "name=\"signerTask\" value=\"([0-9a-f-]+)\"").Groups[1].Value;

    /// <summary>Draft → department head → 会签 of 纪委 and 组织部 → committee (OperationTests' route), at the countersign.</summary>
    internal const string CountersignRoute = """
        { "definitionId": "joint-review", "version": 1, "name": "会签审核",
          "stages": [
            { "key": "draft", "name": "起草", "kind": "draft" },
            { "key": "department", "name": "部门审核", "kind": "review", "assignee": { "type": "departmentHead" } },
            { "key": "cosign", "name": "纪委组织部会签", "kind": "countersign", "quorum": "all",
              "branches": [ { "type": "departmentHeads", "departments": ["jiwei", "zuzhi"] } ] },
            { "key": "committee", "name": "县委审核", "kind": "review", "assignee": { "type": "role", "role": "committee-member" } } ] }
        """;

    private async Task<(Guid Section, int Version)> AtCountersign(string title)
    {
        var admin = await app.As("admin");
        var id = $"pages-{Guid.NewGuid():N}"[..30];
        await Api.Expect(await admin.PostAsync("/api/routes", new StringContent(CountersignRoute.Replace("joint-review", id, StringComparison.Ordinal), Encoding.UTF8, "application/json"), Ct), HttpStatusCode.Created);
        var report = (await Api.Read<JsonElement>(await admin.PostAsJsonAsync("/api/reports", new { title, routeId = id }, Ct), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var section = await Api.AddSection(admin, report, "强化监督执纪", "xuanchuan", "xuanchuan.author");
        var version = await Api.EditAndSubmit(await app.As("xuanchuan.author"), section, Text);
        await Api.Expect(await Api.Decide(await app.As("xuanchuan.head"), section, "approve", version, "同意。"), HttpStatusCode.OK);
        return (section, version);
    }
}
