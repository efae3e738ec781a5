using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Workflow.Tests.Integration;

/// <summary>
/// The OA operations over HTTP as offices use them: a countersign route, 加签, 转办, return to an earlier stage, 委派,
/// 委托, 拿回 and 撤销 — each main path and its refusals, with the sheet and the audit trail checked afterwards.
/// </summary>
public abstract class OperationSpec(WorkflowApp app)
{
    private const string Text = "一是压实主体责任，全县开展廉政谈话36人次。";

    /// <summary>Draft → department head → 会签 of 纪委 and 组织部 → committee.</summary>
    private const string CountersignRoute = ReviewOperationPageTests.CountersignRoute;

    private static int routes;

    private async Task<(Guid Section, int Version)> AtCountersign(string title)
    {
        var admin = await app.As("admin");
        var id = $"joint-{Interlocked.Increment(ref routes)}-{Guid.NewGuid():N}"[..40];
        await Api.Expect(await admin.PostAsync("/api/routes", new StringContent(CountersignRoute.Replace("joint-review", id, StringComparison.Ordinal), Encoding.UTF8, "application/json")), HttpStatusCode.Created);
        var created = await admin.PostAsJsonAsync("/api/reports", new { title, routeId = id });
        var report = (await Api.Read<JsonElement>(created, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var section = await Api.AddSection(admin, report, "强化监督执纪", "xuanchuan", "xuanchuan.author");
        var version = await Api.EditAndSubmit(await app.As("xuanchuan.author"), section, Text);
        var state = await Api.Read<JsonElement>(await Api.Decide(await app.As("xuanchuan.head"), section, "approve", version, "同意。"));
        Assert.Equal("cosign", state.GetProperty("stage").GetString());
        return (section, version);
    }

    private static async Task<Guid> TaskOn(HttpClient holder, Guid section)
    {
        var tasks = await Api.Read<JsonElement[]>(await holder.GetAsync("/api/tasks"));
        return tasks.Single(t => t.GetProperty("sectionId").GetGuid() == section).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement[]> SignOffs(HttpClient reader, Guid section) =>
        await Api.Read<JsonElement[]>(await reader.GetAsync($"/api/sections/{section}/signoffs"));

    [Fact]
    public async Task A_countersign_with_a_signer_added_before_a_transfer_and_a_return_to_the_department()
    {
        var (section, version) = await AtCountersign("会签与加签");
        var jiwei = await app.As("jiwei.head");
        var zuzhi = await app.As("zuzhi.head");
        var added = await app.As("zuzhi.author");

        // 加签 before me: my approval waits for the added signer.
        var mine = await TaskOn(jiwei, section);
        await Api.Expect(await jiwei.PostAsJsonAsync($"/api/tasks/{mine}/signers", new { user = "zuzhi.author", position = "before", note = "请先看数字。" }), HttpStatusCode.OK);
        Assert.Equal("task-waiting", (await Api.ReadProblem(await Api.Decide(jiwei, section, "approve", version), HttpStatusCode.Conflict)).Code);
        await Api.Expect(await Api.Decide(added, section, "approve", version, "数字无误。"), HttpStatusCode.OK);
        await Api.Expect(await Api.Decide(jiwei, section, "approve", version, "同意。"), HttpStatusCode.OK);

        // 转办: not to the author, then to a committee deputy for good.
        var theirs = await TaskOn(zuzhi, section);
        Assert.Equal("not-eligible", (await Api.ReadProblem(await zuzhi.PostAsJsonAsync($"/api/tasks/{theirs}/transfer", new { to = "xuanchuan.author" }), HttpStatusCode.Conflict)).Code);
        Assert.Equal("forbidden", (await Api.ReadProblem(await jiwei.PostAsJsonAsync($"/api/tasks/{theirs}/transfer", new { to = "auditor" }), HttpStatusCode.Forbidden)).Code);
        await Api.Expect(await zuzhi.PostAsJsonAsync($"/api/tasks/{theirs}/transfer", new { to = "committee.deputy", opinion = "请副书记代为会签。" }), HttpStatusCode.OK);
        var deputy = await app.As("committee.deputy");
        var atCommittee = await Api.Read<JsonElement>(await Api.Decide(deputy, section, "approve", version, "同意。"));
        Assert.Equal("committee", atCommittee.GetProperty("stage").GetString());

        // The deputy countersigned, so only the secretary may hold the committee stage; a return goes to the department.
        var secretary = await app.As("committee.secretary");
        Assert.Equal("invalid-return-target", (await Api.ReadProblem(await secretary.PostAsJsonAsync($"/api/sections/{section}/return", new { version, opinion = "不行。", toStage = "committee" }), HttpStatusCode.Conflict)).Code);
        var back = await Api.Read<JsonElement>(await secretary.PostAsJsonAsync($"/api/sections/{section}/return", new { version, opinion = "请部门再核数字。", toStage = "department", resubmitTo = "returner" }));
        Assert.Equal(("department", "inReview"), (back.GetProperty("stage").GetString(), back.GetProperty("status").GetString()));
        var told = await app.WaitForNotice("xuanchuan.head", n => Is(n, section, "section-returned"));
        Assert.Contains("退回到部门审核，意见：请部门再核数字。", told.GetProperty("text").GetString());
        Assert.Contains("请您审核", (await app.WaitForNotice("zuzhi.author", n => Is(n, section, "task-addedbefore"))).GetProperty("text").GetString());

        // Straight back to the returner: the department's approval skips the countersign.
        var head = await app.As("xuanchuan.head");
        Assert.Equal("committee", (await Api.Read<JsonElement>(await Api.Decide(head, section, "approve", version, "已核。"))).GetProperty("stage").GetString());

        var sheet = await SignOffs(secretary, section);
        Assert.Contains(sheet, s => s.GetProperty("kind").GetString() == "addedBefore" && s.GetProperty("actor").GetProperty("userName").GetString() == "zuzhi.author" && s.GetProperty("branch").GetString() == "jiwei");
        Assert.Contains(sheet, s => s.GetProperty("branch").GetString() == "zuzhi" && s.GetProperty("actor").GetProperty("userName").GetString() == "committee.deputy");
        Assert.Equal(2, sheet.Count(s => s.GetProperty("stage").GetString() == "department" && s.GetProperty("decision").GetString() == "approved"));
        Assert.True((await Api.Read<JsonElement>(await (await app.As("auditor")).GetAsync($"/api/reports/{await ReportOf(secretary, section)}/audit/verify"))).GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task A_delegate_advises_and_a_proxy_decides_for_an_away_committee_member()
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "委派与委托");
        var section = await Api.AddSection(admin, report);
        var version = await Api.EditAndSubmit(await app.As("zuzhi.author"), section, Text);
        var head = await app.As("zuzhi.head");
        var adviser = await app.As("jiwei.head");

        var task = await TaskOn(head, section);
        await Api.Expect(await head.PostAsJsonAsync($"/api/tasks/{task}/delegate", new { to = "jiwei.head", note = "请提意见。" }), HttpStatusCode.OK);
        Assert.Equal("delegate-advises-only", (await Api.ReadProblem(await Api.Decide(adviser, section, "approve", version), HttpStatusCode.Conflict)).Code);
        await Api.Expect(await Api.Decide(adviser, section, "advise", version, "建议同意。"), HttpStatusCode.OK);
        await Api.Expect(await Api.Decide(head, section, "approve", version, "同意。"), HttpStatusCode.OK);

        // The secretary is away: the auditor's colleague jiwei.head decides on their behalf while the window lasts.
        var secretary = await app.As("committee.secretary");
        Assert.Equal("invalid-proxy", (await Api.ReadProblem(await secretary.PutAsJsonAsync("/api/me/proxy", new { proxy = "committee.secretary", from = DateTimeOffset.UtcNow.AddHours(-1), to = DateTimeOffset.UtcNow.AddDays(2) }), HttpStatusCode.BadRequest)).Code);
        Assert.Equal("unknown-route", (await Api.ReadProblem(await secretary.PutAsJsonAsync("/api/me/proxy", new { proxy = "jiwei.head", from = DateTimeOffset.UtcNow.AddHours(-1), to = DateTimeOffset.UtcNow.AddDays(2), routes = new[] { "county-report", "no-such-route" } }), HttpStatusCode.BadRequest)).Code);
        await Api.Expect(await secretary.PutAsJsonAsync("/api/me/proxy", new { proxy = "jiwei.head", from = DateTimeOffset.UtcNow.AddHours(-1), to = DateTimeOffset.UtcNow.AddDays(2), routes = new[] { "county-report" } }), HttpStatusCode.Created);
        var listed = await Api.Read<JsonElement[]>(await adviser.GetAsync("/api/tasks"));
        Assert.Contains(listed, t => t.GetProperty("sectionId").GetGuid() == section && t.GetProperty("onBehalfOf").GetProperty("userName").GetString() == "committee.secretary");

        var final = await Api.Read<JsonElement>(await Api.Decide(adviser, section, "approve", version, "代为同意。"));

        Assert.Equal("approved", final.GetProperty("status").GetString());
        var sheet = await SignOffs(secretary, section);
        var byProxy = sheet.Single(s => s.GetProperty("stage").GetString() == "committee");
        Assert.Equal(("jiwei.head", "县委书记"), (byProxy.GetProperty("actor").GetProperty("userName").GetString(), byProxy.GetProperty("onBehalfOf").GetProperty("displayName").GetString()));
        Assert.Contains(sheet, s => s.GetProperty("decision").GetString() == "advised" && s.GetProperty("opinion").GetString() == "建议同意。");

        await Api.Expect(await secretary.DeleteAsync("/api/me/proxy"), HttpStatusCode.OK);
        Assert.Empty(await Api.Read<JsonElement[]>(await secretary.GetAsync("/api/me/proxy")));
    }

    [Fact]
    public async Task An_approver_reclaims_and_an_admin_cancels_with_a_reason()
    {
        var (section, version) = await AtCountersign("拿回与撤销");
        var head = await app.As("xuanchuan.head");

        var reclaimed = await Api.Read<JsonElement>(await Api.Decide(head, section, "reclaim", version, "再看一遍。"));
        Assert.Equal("department", reclaimed.GetProperty("stage").GetString());
        await Api.Expect(await Api.Decide(head, section, "approve", version, "同意。"), HttpStatusCode.OK);
        await Api.Expect(await Api.Decide(await app.As("jiwei.head"), section, "approve", version, "同意。"), HttpStatusCode.OK);
        Assert.Equal("nothing-to-withdraw", (await Api.ReadProblem(await Api.Decide(head, section, "reclaim", version), HttpStatusCode.Conflict)).Code);

        Assert.Equal(HttpStatusCode.Forbidden, (await head.PostAsJsonAsync($"/api/sections/{section}/cancel", new { reason = "不要了" })).StatusCode);
        var admin = await app.As("admin");
        Assert.Equal("opinion-required", (await Api.ReadProblem(await admin.PostAsJsonAsync($"/api/sections/{section}/cancel", new { reason = " " }), HttpStatusCode.BadRequest)).Code);
        var cancelled = await Api.Read<JsonElement>(await admin.PostAsJsonAsync($"/api/sections/{section}/cancel", new { reason = "改由宣传部重新起草。" }));

        Assert.Equal(("draft", "draft"), (cancelled.GetProperty("stage").GetString(), cancelled.GetProperty("status").GetString()));
        Assert.Contains("改由宣传部重新起草", (await app.WaitForNotice("xuanchuan.author", n => Is(n, section, "section-cancelled"))).GetProperty("text").GetString());
        Assert.DoesNotContain(await Api.Read<JsonElement[]>(await (await app.As("zuzhi.head")).GetAsync("/api/tasks")), t => t.GetProperty("sectionId").GetGuid() == section);
        var trail = await Api.Read<JsonElement>(await (await app.As("auditor")).GetAsync($"/api/audit?sectionId={section}&action=section.cancel"));
        Assert.Single(trail.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Operations_refuse_unknown_people_bad_positions_and_tasks_of_others()
    {
        var (section, _) = await AtCountersign("拒绝");
        var jiwei = await app.As("jiwei.head");
        var task = await TaskOn(jiwei, section);

        Assert.Equal("unknown-user", (await Api.ReadProblem(await jiwei.PostAsJsonAsync($"/api/tasks/{task}/signers", new { user = "nobody", position = "before" }), HttpStatusCode.BadRequest)).Code);
        Assert.Equal("invalid", (await Api.ReadProblem(await jiwei.PostAsJsonAsync($"/api/tasks/{task}/signers", new { user = "auditor", position = "sideways" }), HttpStatusCode.BadRequest)).Code);
        Assert.Equal(HttpStatusCode.NotFound, (await jiwei.PostAsJsonAsync($"/api/tasks/{Guid.NewGuid()}/transfer", new { to = "auditor" })).StatusCode);

        await Api.Expect(await jiwei.PostAsJsonAsync($"/api/tasks/{task}/signers", new { user = "auditor", position = "parallel" }), HttpStatusCode.OK);
        var auditorTask = await TaskOn(await app.As("auditor"), section);
        // Someone else's added signer is not on my task.
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.As("zuzhi.head")).DeleteAsync($"/api/tasks/{await TaskOn(await app.As("zuzhi.head"), section)}/signers/{auditorTask}")).StatusCode);
        await Api.Expect(await jiwei.DeleteAsync($"/api/tasks/{task}/signers/{auditorTask}"), HttpStatusCode.OK);
        Assert.DoesNotContain(await Api.Read<JsonElement[]>(await (await app.As("auditor")).GetAsync("/api/tasks")), t => t.GetProperty("sectionId").GetGuid() == section);
    }

    private static bool Is(JsonElement notice, Guid section, string kind) =>
        notice.GetProperty("sectionId").GetString() == section.ToString() && notice.GetProperty("kind").GetString() == kind;

    private static async Task<Guid> ReportOf(HttpClient reader, Guid section) =>
        (await Api.Read<JsonElement>(await reader.GetAsync($"/api/sections/{section}"))).GetProperty("reportId").GetGuid();
}

public sealed class SqliteOperationTests(WorkflowApp app) : OperationSpec(app), IClassFixture<WorkflowApp>;

public sealed class PostgresOperationTests(PostgresWorkflowApp app) : OperationSpec(app), IClassFixture<PostgresWorkflowApp>;

/// <summary>Runs only when WORKFLOW_TEST_SQLSERVER names a server (none exists on these machines; see docs/operations.md).</summary>
public sealed class SqlServerOperationTests(SqlServerWorkflowApp app) : OperationSpec(app), IClassFixture<SqlServerWorkflowApp>;
