using System.Net;

namespace Workflow.Tests.Integration;

using static PageClient;

/// <summary>
/// The section, review and sign-off pages over HTTP: who may see and do what, refusals shown in the page with the
/// person's text kept, and nothing written by a refused or forged post. The whole path in a browser is in BrowserTests.
/// </summary>
public sealed class SectionPageTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Another_departments_author_sees_none_of_the_sections_pages()
    {
        var section = await NewSection();
        var stranger = app.Browser();
        await SignIn(stranger, "jiwei.author");

        foreach (var path in new[] { $"/sections/{section}", $"/sections/{section}/review", $"/sections/{section}/signoff" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(path, Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task Only_the_author_holding_the_draft_gets_the_editor_and_readers_get_the_text()
    {
        var section = await NewSection("发展党员X名，<b>加粗</b>。");
        var author = app.Browser();
        await SignIn(author, "zuzhi.author");
        var auditor = app.Browser();
        await SignIn(auditor, "auditor");

        var mine = await Page(author, $"/sections/{section}");
        var theirs = await Page(auditor, $"/sections/{section}");

        Assert.Contains("data-testid=\"editor\"", mine);
        Assert.DoesNotContain("data-testid=\"editor\"", theirs);
        Assert.Contains("<mark class=\"placeholder\">X</mark>", theirs);
        Assert.Contains("&lt;b&gt;加粗&lt;/b&gt;", theirs);
        Assert.DoesNotContain("<b>加粗", theirs);
    }

    [Fact]
    public async Task Saving_makes_a_new_version_with_its_note_and_an_old_base_is_refused_keeping_the_typed_text()
    {
        var section = await NewSection();
        var author = app.Browser();
        await SignIn(author, "zuzhi.author");
        var page = await Page(author, $"/sections/{section}");

        var saved = await Post(author, page, $"/sections/{section}?handler=Save", new() { ["content"] = "一是深入组织动员，发展党员12名。", ["note"] = "补齐人数", ["baseVersion"] = "1" });
        Assert.Contains("已保存为新版本", saved);
        Assert.Contains("当前第 2 版", saved);
        Assert.Contains("补齐人数", saved);

        // The same page again (still on version 1): refused as stale, the person's text kept in the editor.
        var stale = await PostRaw(author, page, $"/sections/{section}?handler=Save", new() { ["content"] = "另一种写法。", ["baseVersion"] = "1" });
        var html = await stale.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("您修改的是旧版本", html);
        Assert.Contains(">另一种写法。</textarea>", html);
        Assert.Equal(2, Versions(section));
    }

    [Fact]
    public async Task After_a_stale_refusal_saving_again_is_refused_until_the_author_confirms_merging_what_changed()
    {
        var section = await NewSection("一是深入组织动员，发展党员X名。");
        var author = app.Browser();
        await SignIn(author, "zuzhi.author");
        var tabA = await Page(author, $"/sections/{section}");
        var tabC = await Page(author, $"/sections/{section}");
        await Post(author, tabA, $"/sections/{section}?handler=Save", new() { ["content"] = "一是深入组织动员，发展党员12名。", ["baseVersion"] = BaseVersion(tabA) });

        var refused = await PostRaw(author, tabC, $"/sections/{section}?handler=Save", new() { ["content"] = "一是广泛组织动员，发展党员X名。", ["baseVersion"] = BaseVersion(tabC) });
        var refusedHtml = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        // What A changed meanwhile is shown, and the form still says the text is based on version 1.
        Assert.Contains("data-testid=\"meanwhile\"", refusedHtml);
        Assert.Contains("12", refusedHtml[refusedHtml.IndexOf("data-testid=\"meanwhile\"", StringComparison.Ordinal)..]);
        Assert.Equal("1", BaseVersion(refusedHtml));

        // A second click on the refused form, without confirming the merge, overwrites nothing.
        var again = await PostRaw(author, refusedHtml, $"/sections/{section}?handler=Save", new() { ["content"] = "一是广泛组织动员，发展党员X名。", ["baseVersion"] = BaseVersion(refusedHtml) });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(2, Versions(section));

        // Confirming the merge (the box names version 2) saves on top of A's version.
        var merged = await Post(author, refusedHtml, $"/sections/{section}?handler=Save", new() { ["content"] = "一是广泛组织动员，发展党员12名。", ["baseVersion"] = BaseVersion(refusedHtml), ["merged"] = "2" });
        Assert.Contains("当前第 3 版", merged);
    }

    private static string BaseVersion(string html) => System.Text.RegularExpressions.Regex.Match(html, "name=\"baseVersion\" value=\"(\\d+)\"").Groups[1].Value;

    [Fact]
    public async Task Submitting_text_with_missing_figures_asks_first_and_sends_nothing_until_confirmed()
    {
        var section = await NewSection();
        var author = app.Browser();
        await SignIn(author, "zuzhi.author");
        var page = await Page(author, $"/sections/{section}");

        var warned = await Post(author, page, $"/sections/{section}?handler=Submit", new() { ["content"] = "发展党员X名，转正XX名。", ["baseVersion"] = "1" });
        Assert.Contains("本节仍有 2 处待补数字", warned);
        Assert.Contains("data-testid=\"chip\">草稿<", warned);
        Assert.Equal(1, Versions(section));

        var sent = await Post(author, warned, $"/sections/{section}?handler=Submit", new() { ["content"] = "发展党员X名，转正XX名。", ["baseVersion"] = "1", ["confirmMissing"] = "true" });
        Assert.Contains("已提交审核", sent);
        Assert.Contains("data-testid=\"chip\">待部门审核<", sent);
    }

    [Fact]
    public async Task A_decision_from_someone_without_the_task_is_refused_in_the_page_and_changes_nothing()
    {
        var section = await NewSection();
        var admin = await app.As("admin");
        await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "一是深入组织动员，发展党员12名。");
        var other = app.Browser();
        await SignIn(other, "committee.secretary");
        // Without the task the review page sends the reader to the section's own page: no review form.
        var opened = await other.GetAsync($"/sections/{section}/review", Ct);
        var page = await opened.Content.ReadAsStringAsync(Ct);
        Assert.Equal($"/sections/{section}", opened.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.DoesNotContain("data-testid=\"approve\"", page);
        Assert.DoesNotContain("data-testid=\"opinion\"", page);

        var refused = await PostRaw(other, page, $"/sections/{section}/review?handler=Approve", new() { ["version"] = "2", ["opinion"] = "同意。" });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var state = await Api.Read<System.Text.Json.JsonElement>(await admin.GetAsync($"/api/sections/{section}", Ct));
        Assert.Equal("inReview", state.GetProperty("section").GetProperty("status").GetString(), ignoreCase: true);
        Assert.Equal(0, SignOffs(section));
    }

    [Fact]
    public async Task Only_the_task_holder_gets_the_review_page()
    {
        var section = await NewSection();
        await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "一是深入组织动员，发展党员12名。");
        var head = app.Browser();
        await SignIn(head, "zuzhi.head");
        var auditor = app.Browser();
        await SignIn(auditor, "auditor");

        Assert.Contains("data-testid=\"approve\"", await Page(head, $"/sections/{section}/review"));
        var read = await auditor.GetAsync($"/sections/{section}/review", Ct);
        Assert.Equal($"/sections/{section}", read.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.DoesNotContain("data-testid=\"opinion\"", await read.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task The_last_approval_says_the_section_is_final_instead_of_passed_on()
    {
        var section = await NewSection();
        await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "一是深入组织动员，发展党员12名。");
        var head = app.Browser();
        await SignIn(head, "zuzhi.head");
        var secretary = app.Browser();
        await SignIn(secretary, "committee.secretary");

        var first = await Post(head, await Page(head, $"/sections/{section}/review"), $"/sections/{section}/review?handler=Approve", new() { ["version"] = "2", ["opinion"] = "同意。" });
        Assert.Contains("已同意，已转下一环节。", first);

        var last = await Post(secretary, await Page(secretary, $"/sections/{section}/review"), $"/sections/{section}/review?handler=Approve", new() { ["version"] = "2", ["opinion"] = "同意上报。" });
        Assert.Contains("此节已全部审核通过", last);
        Assert.DoesNotContain("已转下一环节", last);
    }

    [Fact]
    public async Task Saving_the_phrases_redirects_so_back_never_posts_again_and_keeps_the_opinion()
    {
        var section = await NewSection();
        await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "一是深入组织动员，发展党员12名。");
        var zuzhiHead = app.Browser();
        await SignIn(zuzhiHead, "zuzhi.head");
        var page = await Page(zuzhiHead, $"/sections/{section}/review");

        var saved = await PostRaw(zuzhiHead, page, $"/sections/{section}/review?handler=Phrases", new() { ["version"] = "2", ["opinion"] = "写到一半的意见", ["phrases"] = "同意。" });

        Assert.Equal(HttpMethod.Get, saved.RequestMessage!.Method);
        Assert.Equal($"/sections/{section}/review", saved.RequestMessage.RequestUri!.AbsolutePath);
        var html = await saved.Content.ReadAsStringAsync(Ct);
        Assert.Contains("data-testid=\"phrases-saved\"", html);
        Assert.Contains(">写到一半的意见</textarea>", html);
    }

    [Fact]
    public async Task A_return_without_opinion_is_refused_by_the_server_too()
    {
        var section = await NewSection();
        await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "一是深入组织动员，发展党员12名。");
        var head = app.Browser();
        await SignIn(head, "zuzhi.head");
        var page = await Page(head, $"/sections/{section}/review");

        var refused = await PostRaw(head, page, $"/sections/{section}/review?handler=Return", new() { ["version"] = "2", ["opinion"] = "  " });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("退回须填写意见", await refused.Content.ReadAsStringAsync(Ct));
        Assert.Equal(0, SignOffs(section));
    }

    [Fact]
    public async Task An_over_long_opinion_is_counted_not_cut_and_refused_with_the_right_reason()
    {
        var section = await NewSection();
        await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "一是深入组织动员，发展党员12名。");
        var head = app.Browser();
        await SignIn(head, "zuzhi.head");
        var page = await Page(head, $"/sections/{section}/review");
        Assert.DoesNotContain("maxlength=\"2000\"", page);
        Assert.Contains("data-testid=\"opinion-count\"", page);

        var refused = await PostRaw(head, page, $"/sections/{section}/review?handler=Return", new() { ["version"] = "2", ["opinion"] = new string('改', 2_001) });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("意见不能超过 2,000 字", html);
        Assert.DoesNotContain("正文不能为空", html);
        Assert.Contains("2001 / 2000 字", html);
        Assert.Equal(0, SignOffs(section));
    }

    [Fact]
    public async Task A_post_without_the_anti_forgery_token_is_rejected()
    {
        var section = await NewSection();
        var author = app.Browser();
        await SignIn(author, "zuzhi.author");

        var forged = await author.PostAsync($"/sections/{section}?handler=Save", new FormUrlEncodedContent(new Dictionary<string, string> { ["content"] = "伪造。", ["baseVersion"] = "1" }), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(1, Versions(section));
    }

    [Fact]
    public async Task The_history_compares_two_chosen_versions_as_tracked_changes()
    {
        var section = await NewSection("全年发展党员X名。");
        var author = await app.As("zuzhi.author");
        await Api.Expect(await Api.Edit(author, section, "全年发展党员12名。", 1), HttpStatusCode.OK);
        await Api.Expect(await Api.Edit(author, section, "全年积极发展党员12名。", 2), HttpStatusCode.OK);
        var reader = app.Browser();
        await SignIn(reader, "auditor");

        var page = await Page(reader, $"/sections/{section}?from=1&to=3");

        Assert.Matches("<del class=\"a0\" title=\"[^\"]+\">X</del><ins class=\"a0\" title=\"[^\"]+\">12</ins>", page);
        Assert.Contains(">积极</ins>", page);
        Assert.Contains("第 1 版 → 第 3 版", page);
    }

    [Fact]
    public async Task Changes_by_two_people_are_shown_in_two_colours_each_credited_by_name()
    {
        var section = await NewSection("全年发展党员X名。");
        await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "全年发展党员12名。");
        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "approve", 2, "同意。"), HttpStatusCode.OK);
        // A committee member polishes the wording at the committee stage (the other member still decides).
        await Api.Expect(await Api.Edit(await app.As("committee.secretary"), section, "全年积极发展党员12名。", 2, "润色"), HttpStatusCode.OK);
        var reader = app.Browser();
        await SignIn(reader, "auditor");

        var page = await Page(reader, $"/sections/{section}?from=1&to=3");

        Assert.Contains("<del class=\"a1\" title=\"组织部起草人\">X</del><ins class=\"a1\" title=\"组织部起草人\">12</ins>", page);
        Assert.Contains("<ins class=\"a0\" title=\"县委书记\">积极</ins>", page);
        Assert.Contains("<span class=\"maker a0\"><ins>县委书记</ins></span>", page);
        Assert.Contains("<span class=\"maker a1\"><ins>组织部起草人</ins></span>", page);
    }

    [Fact]
    public async Task A_submission_the_engine_refuses_leaves_no_new_version_and_keeps_the_typed_text()
    {
        // A section of a department without a head: the submission finds no reviewer and is refused.
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "无人审核的报告");
        var section = await Api.AddSection(admin, report, content: "原文。");
        SetDisabled("zuzhi.head", true);
        try
        {
            var author = app.Browser();
            await SignIn(author, "zuzhi.author");
            var page = await Page(author, $"/sections/{section}");

            var refused = await PostRaw(author, page, $"/sections/{section}?handler=Submit", new() { ["content"] = "新的正文。", ["note"] = "改写", ["baseVersion"] = "1" });
            var html = await refused.Content.ReadAsStringAsync(Ct);

            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Contains("下一环节找不到可以审核的人", html);
            Assert.Contains(">新的正文。</textarea>", html);
            Assert.Equal(1, Versions(section));
        }
        finally
        {
            SetDisabled("zuzhi.head", false);
        }
    }

    [Fact]
    public async Task A_withdrawn_submission_is_marked_superseded_on_the_sheet()
    {
        var section = await NewSection();
        var author = await app.As("zuzhi.author");
        await Api.EditAndSubmit(author, section, "一是深入组织动员，发展党员12名。");
        await Api.Expect(await Api.Decide(author, section, "withdraw", 2), HttpStatusCode.OK);
        await Api.Expect(await Api.Decide(author, section, "submit", 2), HttpStatusCode.OK);
        var reader = app.Browser();
        await SignIn(reader, "auditor");

        var sheet = await Page(reader, $"/sections/{section}/signoff");

        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(sheet, "data-testid=\"entry\"").Count);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(sheet, "entry dismissed decision-submitted"));
        Assert.Contains("decision-withdrawn", sheet);
    }

    [Fact]
    public async Task A_reviewers_own_phrases_are_kept_with_the_account_and_saving_them_keeps_the_opinion_being_written()
    {
        var section = await NewSection();
        await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "一是深入组织动员，发展党员12名。");
        var head = app.Browser();
        await SignIn(head, "zuzhi.head");
        var page = await Page(head, $"/sections/{section}/review");
        Assert.Contains("data-phrase=\"同意。\"", page);

        var saved = await Post(head, page, $"/sections/{section}/review?handler=Phrases", new() { ["version"] = "2", ["opinion"] = "写到一半的意见", ["phrases"] = "同意，按程序报批。\r\n\r\n请补充数据来源。\r\n" });

        Assert.Contains("常用语已保存", saved);
        Assert.Contains(">写到一半的意见</textarea>", saved);
        Assert.Contains("data-phrase=\"同意，按程序报批。\"", saved);
        Assert.Contains("data-phrase=\"请补充数据来源。\"", saved);
        Assert.DoesNotContain("data-phrase=\"同意。\"", saved);

        // Another computer, another session: the same list.
        var elsewhere = app.Browser();
        await SignIn(elsewhere, "zuzhi.head");
        Assert.Contains("data-phrase=\"请补充数据来源。\"", await Page(elsewhere, $"/sections/{section}/review"));

        var tooMany = await PostRaw(head, saved, $"/sections/{section}/review?handler=Phrases", new() { ["version"] = "2", ["phrases"] = string.Join("\n", Enumerable.Range(1, 21).Select(i => $"第{i}条")) });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("常用语最多 20 条", await tooMany.Content.ReadAsStringAsync(Ct));

        var cleared = await Post(head, saved, $"/sections/{section}/review?handler=Phrases", new() { ["version"] = "2", ["phrases"] = "" });
        Assert.Contains("data-phrase=\"同意。\"", cleared);
        Assert.Contains("data-phrase=\"请修改后再报。\"", cleared);
    }

    private void SetDisabled(string userName, bool disabled) => app.WithDb(db =>
    {
        db.Users.Single(u => u.UserName == userName).Disabled = disabled;
        return db.SaveChanges();
    });

    private int Versions(Guid section) => app.WithDb(db => db.SectionVersions.Count(v => v.SectionId == section));

    private int SignOffs(Guid section) => app.WithDb(db => db.SignOffs.Count(o => o.SectionId == section));

    private async Task<Guid> NewSection(string content = "一是深入组织动员，发展党员X名。")
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "分节页面测试");
        return await Api.AddSection(admin, report, content: content);
    }
}
