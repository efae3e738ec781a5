using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Documents;

namespace Workflow.Tests.Integration;

/// <summary>The review path over HTTP; run against SQLite and PostgreSQL by the classes below.</summary>
public abstract class ReviewPathSpec(WorkflowApp app)
{
    protected WorkflowApp App => app;

    private const string Revised = "一是深入组织动员，构建防控体系。全县发展党员12名，捐款率达98%。";

    [Fact]
    public async Task A_section_goes_from_draft_to_committee_approval_with_two_signoffs_on_one_hash()
    {
        var admin = await app.As("admin");
        var author = await app.As("zuzhi.author");
        var head = await app.As("zuzhi.head");
        var committee = await app.As("committee.secretary");
        var report = await Api.CreateReport(admin, "全流程");
        var section = await Api.AddSection(admin, report);

        var version = await Api.EditAndSubmit(author, section, Revised);
        var afterHead = await Api.Read<SectionState>(await Api.Decide(head, section, "approve", version, "同意。"));
        Assert.Equal("committee", afterHead.Stage);
        var final = await Api.Read<SectionState>(await Api.Decide(committee, section, "approve", version, "同意上报。"));

        Assert.Equal("Approved", final.Status, ignoreCase: true);
        var signOffs = await Api.Read<JsonElement>(await committee.GetAsync($"/api/sections/{section}/signoffs"));
        Assert.Equal(2, signOffs.GetArrayLength());
        Assert.Equal(["department", "committee"], signOffs.EnumerateArray().Select(s => s.GetProperty("stage").GetString()));
        Assert.All(signOffs.EnumerateArray(), s =>
        {
            Assert.Equal("approved", s.GetProperty("decision").GetString());
            Assert.Equal(ContentHash.Of(Revised), s.GetProperty("hash").GetString());
        });
        var headTasks = await Api.Read<JsonElement[]>(await head.GetAsync("/api/tasks"));
        Assert.DoesNotContain(headTasks, t => t.GetProperty("sectionId").GetGuid() == section);
    }

    [Fact]
    public async Task A_return_without_opinion_is_refused_with_400_and_changes_nothing()
    {
        var (section, version, head) = await SubmittedSection("退回无意见");
        var audit = app.Count("AuditEntries");

        var problem = await Api.ReadProblem(await Api.Decide(head, section, "return", version, "  "), HttpStatusCode.BadRequest);

        Assert.Equal("opinion-required", problem.Code);
        Assert.Equal(audit, app.Count("AuditEntries"));
        var signOffs = await Api.Read<JsonElement>(await head.GetAsync($"/api/sections/{section}/signoffs"));
        Assert.Equal(0, signOffs.GetArrayLength());
    }

    [Fact]
    public async Task A_return_with_opinion_sends_the_section_back_to_its_author()
    {
        var (section, version, head) = await SubmittedSection("退回");
        var returned = await Api.Read<SectionState>(await Api.Decide(head, section, "return", version, "请补充具体数字后再报。"));

        Assert.Equal("draft", returned.Stage);
        Assert.Equal("Returned", returned.Status, ignoreCase: true);
        var author = await app.As("zuzhi.author");
        var tasks = await Api.Read<JsonElement[]>(await author.GetAsync("/api/tasks"));
        Assert.Contains(tasks, t => t.GetProperty("sectionId").GetGuid() == section && t.GetProperty("stage").GetString() == "draft");
    }

    [Fact]
    public async Task Approving_a_stale_version_is_rejected_with_409()
    {
        var (section, version, head) = await SubmittedSection("过期版本");

        var problem = await Api.ReadProblem(await Api.Decide(head, section, "approve", version - 1, "同意"), HttpStatusCode.Conflict);

        Assert.Equal("stale-version", problem.Code);
        Assert.Contains($"current version is {version}", problem.Detail);
    }

    [Fact]
    public async Task A_reviewer_cannot_approve_text_they_wrote_themselves()
    {
        var (section, version, head) = await SubmittedSection("自审");
        await Api.Expect(await Api.Decide(head, section, "approve", version, "同意"), HttpStatusCode.OK);
        var secretary = await app.As("committee.secretary");
        var edited = await Api.Read<JsonElement>(await Api.Edit(secretary, section, Revised + "（县委修改）", version, "县委书记修改"));
        var secretaryVersion = edited.GetProperty("version").GetInt32();

        var problem = await Api.ReadProblem(await Api.Decide(secretary, section, "approve", secretaryVersion), HttpStatusCode.Forbidden);

        Assert.Equal("self-approval-forbidden", problem.Code);
        var final = await Api.Read<SectionState>(await Api.Decide(await app.As("committee.deputy"), section, "approve", secretaryVersion, "同意"));
        Assert.Equal("Approved", final.Status, ignoreCase: true);
    }

    [Fact]
    public async Task A_sole_reviewer_cannot_edit_the_text_into_a_state_nobody_may_approve()
    {
        var (section, version, head) = await SubmittedSection("唯一审核人修改");

        var problem = await Api.ReadProblem(await Api.Edit(head, section, Revised + "（部门修改）", version), HttpStatusCode.UnprocessableEntity);

        Assert.Equal("no-eligible-reviewers", problem.Code);
        await Api.Expect(await Api.Decide(head, section, "approve", version, "同意"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_user_without_the_task_gets_403()
    {
        var (section, version, _) = await SubmittedSection("无待办");
        var deputy = await app.As("committee.deputy");

        var problem = await Api.ReadProblem(await Api.Decide(deputy, section, "approve", version, "同意"), HttpStatusCode.Forbidden);

        Assert.Equal("not-your-task", problem.Code);
    }

    [Fact]
    public async Task Users_of_other_departments_cannot_see_or_act_on_a_section()
    {
        var (section, version, _) = await SubmittedSection("跨部门");
        var otherHead = await app.As("jiwei.head");

        await Api.ReadProblem(await otherHead.GetAsync($"/api/sections/{section}"), HttpStatusCode.NotFound);
        await Api.ReadProblem(await Api.Decide(otherHead, section, "approve", version), HttpStatusCode.NotFound);
        var otherAuthor = await app.As("jiwei.author");
        await Api.ReadProblem(await Api.Edit(otherAuthor, section, "篡改", version), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Two_committee_members_racing_on_one_task_give_exactly_one_signoff_and_one_409()
    {
        var (section, version, head) = await SubmittedSection("并发");
        await Api.Expect(await Api.Decide(head, section, "approve", version, "同意"), HttpStatusCode.OK);
        var secretary = await app.As("committee.secretary");
        var deputy = await app.As("committee.deputy");

        var responses = await Task.WhenAll(
            Api.Decide(secretary, section, "approve", version, "同意"),
            Api.Decide(deputy, section, "approve", version, "同意"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        var signOffs = await Api.Read<JsonElement>(await secretary.GetAsync($"/api/sections/{section}/signoffs"));
        Assert.Single(signOffs.EnumerateArray(), s => s.GetProperty("stage").GetString() == "committee");
    }

    [Fact]
    public async Task The_same_reviewer_double_clicking_approve_gives_one_signoff()
    {
        var (section, version, head) = await SubmittedSection("双击");

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Api.Decide(head, section, "approve", version, "同意")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var signOffs = await Api.Read<JsonElement>(await head.GetAsync($"/api/sections/{section}/signoffs"));
        Assert.Equal(1, signOffs.GetArrayLength());
    }

    [Fact]
    public async Task Repeating_a_command_with_the_same_idempotency_key_returns_the_first_response_and_writes_nothing()
    {
        var (section, version, head) = await SubmittedSection("幂等");
        var key = Guid.NewGuid().ToString();

        var first = await Api.Decide(head, section, "approve", version, "同意", key);
        var counts = (app.Count("AuditEntries"), app.Count("SignOffs"), app.Count("Outbox"), app.Count("Tasks"));
        var second = await Api.Decide(head, section, "approve", version, "同意", key);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(counts, (app.Count("AuditEntries"), app.Count("SignOffs"), app.Count("Outbox"), app.Count("Tasks")));

        var reused = await Api.ReadProblem(await Api.Decide(head, section, "return", version, "请修改", key), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("idempotency-key-reused", reused.Code);
    }

    [Fact]
    public async Task Concurrent_commands_on_different_sections_of_one_report_all_succeed_and_keep_one_chain()
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "同一报告并发");
        var sections = new List<Guid>();
        foreach (var (dept, n) in new[] { ("zuzhi", 3), ("jiwei", 3), ("xuanchuan", 3) })
        {
            for (var i = 0; i < n; i++)
            {
                sections.Add(await Api.AddSection(admin, report, $"第{sections.Count + 1}节", dept, $"{dept}.author"));
            }
        }

        var authors = new Dictionary<string, HttpClient>();
        foreach (var dept in new[] { "zuzhi", "jiwei", "xuanchuan" })
        {
            authors[dept] = await app.As($"{dept}.author");
        }

        var responses = await Task.WhenAll(sections.Select((s, i) => Api.Decide(authors[new[] { "zuzhi", "jiwei", "xuanchuan" }[i / 3]], s, "submit", 1)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var verify = await Api.Read<JsonElement>(await (await app.As("auditor")).GetAsync($"/api/reports/{report}/audit/verify"));
        Assert.True(verify.GetProperty("intact").GetBoolean());
        // report.create, its title and lead parts, nine sections created and nine submitted.
        Assert.Equal(1 + 2 + 9 + 9, verify.GetProperty("entries").GetInt32());
    }

    [Fact]
    public async Task A_refused_command_is_replayed_for_its_idempotency_key_even_after_the_cause_is_gone()
    {
        var (section, version, head) = await SubmittedSection("幂等拒绝");
        var key = Guid.NewGuid().ToString();

        var first = await Api.ReadProblem(await Api.Decide(head, section, "return", version, null, key), HttpStatusCode.BadRequest);
        var again = await Api.Decide(head, section, "return", version, null, key);

        var replayed = await Api.ReadProblem(again, HttpStatusCode.BadRequest);
        Assert.Equal(first.Code, replayed.Code);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
    }

    [Fact]
    public async Task The_same_idempotency_key_sent_twice_at_once_writes_once()
    {
        var (section, version, head) = await SubmittedSection("幂等并发");
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Api.Decide(head, section, "approve", version, "同意", key)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(bodies.Distinct());
        var signOffs = await Api.Read<JsonElement>(await head.GetAsync($"/api/sections/{section}/signoffs"));
        Assert.Equal(1, signOffs.GetArrayLength());
    }

    [Fact]
    public async Task A_reviewer_named_by_the_route_outside_the_department_can_read_and_decide_the_section()
    {
        var admin = await app.As("admin");
        var route = """
            { "definitionId": "cross-check", "version": 1, "name": "纪委会审", "stages": [
                { "key": "draft", "kind": "draft" },
                { "key": "department", "kind": "review", "assignee": { "type": "departmentHead" } },
                { "key": "discipline", "kind": "review", "assignee": { "type": "users", "users": ["jiwei.head"] } } ] }
            """;
        var published = await admin.PostAsync("/api/routes", new StringContent(route, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(published.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict);
        var created = await admin.PostAsJsonAsync("/api/reports", new { title = "会审", routeId = "cross-check", routeVersion = 1 });
        var report = (await Api.Read<JsonElement>(created, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var section = await Api.AddSection(admin, report);
        var version = await Api.EditAndSubmit(await app.As("zuzhi.author"), section, Revised);
        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "approve", version, "同意"), HttpStatusCode.OK);

        var jiwei = await app.As("jiwei.head");
        var tasks = await Api.Read<JsonElement[]>(await jiwei.GetAsync("/api/tasks"));
        Assert.Contains(tasks, t => t.GetProperty("sectionId").GetGuid() == section);
        await Api.Expect(await jiwei.GetAsync($"/api/sections/{section}"), HttpStatusCode.OK);
        var final = await Api.Read<SectionState>(await Api.Decide(jiwei, section, "approve", version, "同意"));
        Assert.Equal("Approved", final.Status, ignoreCase: true);
        var reports = await Api.Read<JsonElement[]>(await jiwei.GetAsync("/api/reports"));
        Assert.Contains(reports, r => r.GetProperty("id").GetGuid() == report);
    }

    [Fact]
    public async Task After_a_reviewer_leaves_the_clerk_refreshes_the_stage_and_their_task_goes()
    {
        var (section, version, head) = await SubmittedSection("人员变动");
        await Api.Expect(await Api.Decide(head, section, "approve", version, "同意"), HttpStatusCode.OK);
        var admin = await app.As("admin");
        app.WithDb(db => db.Database.ExecuteSqlRaw("UPDATE \"AspNetUsers\" SET \"Disabled\" = TRUE WHERE \"UserName\" = 'committee.deputy'"));
        try
        {
            var refreshed = await Api.Read<SectionState>(await admin.PostAsync($"/api/sections/{section}/reviewers/refresh", null));

            Assert.Equal("committee", refreshed.Stage);
            var detail = await Api.Read<JsonElement>(await admin.GetAsync($"/api/sections/{section}"));
            var holders = detail.GetProperty("section").GetProperty("pendingWith").EnumerateArray().Select(h => h.GetProperty("userName").GetString());
            Assert.Equal(["committee.secretary"], holders);
            await Api.Expect(await Api.Decide(await app.As("committee.secretary"), section, "approve", version, "同意"), HttpStatusCode.OK);
        }
        finally
        {
            app.WithDb(db => db.Database.ExecuteSqlRaw("UPDATE \"AspNetUsers\" SET \"Disabled\" = FALSE WHERE \"UserName\" = 'committee.deputy'"));
        }
    }

    [Fact]
    public async Task The_submitter_can_withdraw_until_the_department_head_acts()
    {
        var (section, version, head) = await SubmittedSection("撤回");
        var author = await app.As("zuzhi.author");

        var withdrawn = await Api.Read<SectionState>(await Api.Decide(author, section, "withdraw", version, "还需修改"));
        Assert.Equal("draft", withdrawn.Stage);

        await Api.Expect(await Api.Decide(author, section, "submit", version), HttpStatusCode.OK);
        await Api.Expect(await Api.Decide(head, section, "approve", version, "同意"), HttpStatusCode.OK);
        var late = await Api.ReadProblem(await Api.Decide(author, section, "withdraw", version), HttpStatusCode.Conflict);
        Assert.Equal("nothing-to-withdraw", late.Code);
    }

    [Fact]
    public async Task Versions_and_character_diff_show_what_the_author_changed()
    {
        var admin = await app.As("admin");
        var author = await app.As("zuzhi.author");
        var report = await Api.CreateReport(admin, "差异");
        var section = await Api.AddSection(admin, report, content: "发展党员X名。");
        await Api.Expect(await Api.Edit(author, section, "发展党员12名。", 1, "补数"), HttpStatusCode.OK);

        var versions = await Api.Read<JsonElement>(await author.GetAsync($"/api/sections/{section}/versions"));
        Assert.Equal([1, 2], versions.EnumerateArray().Select(v => v.GetProperty("number").GetInt32()));
        var diff = await Api.Read<JsonElement>(await author.GetAsync($"/api/sections/{section}/diff?from=1&to=2"));
        var runs = diff.GetProperty("runs").EnumerateArray().Select(r => (r.GetProperty("op").GetString(), r.GetProperty("text").GetString())).ToList();
        Assert.Equal([("equal", "发展党员"), ("delete", "X"), ("insert", "12"), ("equal", "名。")], runs);
        Assert.Equal(2, diff.GetProperty("inserted").GetInt32());
        Assert.Equal(1, diff.GetProperty("deleted").GetInt32());
    }

    [Fact]
    public async Task Idempotency_keys_that_differ_only_in_case_are_different_keys_on_every_database()
    {
        var admin = await app.As("admin");
        var author = await app.As("zuzhi.author");
        var section = await Api.AddSection(admin, await Api.CreateReport(admin, "大小写不同的幂等键"));

        await Api.Expect(await EditWithKey(author, section, "第一稿。", 1, "Edit-Key"), HttpStatusCode.OK);
        var second = await Api.Read<JsonElement>(await EditWithKey(author, section, "第二稿。", 2, "edit-key"));

        // SQL Server's default collation would take "edit-key" for "Edit-Key" and refuse it as reused for another request.
        Assert.Equal(3, second.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task The_audit_filter_finds_a_person_and_an_action_whatever_their_case_on_every_database()
    {
        var (section, _, _) = await SubmittedSection("审计筛选大小写");
        var auditor = await app.As("auditor");

        var exact = await Api.Read<JsonElement>(await auditor.GetAsync($"/api/audit?sectionId={section}&actor=zuzhi.author&action=section.submit"));
        var shouted = await Api.Read<JsonElement>(await auditor.GetAsync($"/api/audit?sectionId={section}&actor=ZUZHI.Author&action=Section.Submit"));

        Assert.Equal(1, exact.GetProperty("items").GetArrayLength());
        Assert.Equal(exact.GetProperty("items").ToString(), shouted.GetProperty("items").ToString());
    }

    private static Task<HttpResponseMessage> EditWithKey(HttpClient c, Guid section, string content, int baseVersion, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/sections/{section}/content") { Content = JsonContent.Create(new { content, baseVersion, note = (string?)null }) };
        request.Headers.Add("Idempotency-Key", key);
        return c.SendAsync(request);
    }

    private async Task<(Guid Section, int Version, HttpClient Head)> SubmittedSection(string reportTitle)
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, reportTitle);
        var section = await Api.AddSection(admin, report);
        var version = await Api.EditAndSubmit(await app.As("zuzhi.author"), section, Revised);
        return (section, version, await app.As("zuzhi.head"));
    }
}

public sealed class SqliteReviewPathTests(WorkflowApp app) : ReviewPathSpec(app), IClassFixture<WorkflowApp>
{
    [Fact]
    public async Task The_database_is_a_real_sqlite_file_in_wal_mode()
    {
        await App.As("admin");
        using var db = App.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.True(File.Exists(App.DatabasePath));
        Assert.Equal("wal", (string)cmd.ExecuteScalar()!);
    }
}

public sealed class PostgresReviewPathTests(PostgresWorkflowApp app) : ReviewPathSpec(app), IClassFixture<PostgresWorkflowApp>;

/// <summary>Runs only when WORKFLOW_TEST_SQLSERVER names a server (none exists on these machines; see README).</summary>
public sealed class SqlServerReviewPathTests(SqlServerWorkflowApp app) : ReviewPathSpec(app), IClassFixture<SqlServerWorkflowApp>;
