using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Host.Features.Tasks;

namespace Workflow.Tests.Integration;

/// <summary>
/// 催办 under a controlled clock: the department stage of county-report is due three days after submission;
/// its holder is reminded a day before and, once it is overdue, told again while the committee (the next
/// level up) hears of it. Each notice goes out once, also across a restart of the host.
/// </summary>
public sealed class DeadlineTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public async Task A_pending_review_is_reminded_before_its_due_time_and_escalated_after_it_once_each()
    {
        using var app = new ClockedWorkflowApp();
        var section = await SubmittedSection(app, "催办与督办");

        app.Advance(1.5 * Day);
        await Scan(app);
        Assert.Equal(0, Sent(app, section, "TaskReminded"));

        app.Advance(0.6 * Day);
        await Scan(app);
        var reminder = await app.WaitForNotice("zuzhi.head", n => Is(n, section, "task-reminder"));
        Assert.Contains("即将到期", reminder.GetProperty("text").GetString());

        // Scans keep running; nothing is repeated before the due time.
        await Scan(app);
        await Scan(app);
        app.Advance(TimeSpan.FromHours(12));
        await Scan(app);

        app.Advance(0.5 * Day);
        await Scan(app);
        var overdue = await app.WaitForNotice("zuzhi.head", n => Is(n, section, "task-overdue"));
        Assert.Contains("已超期", overdue.GetProperty("text").GetString());
        foreach (var member in new[] { "committee.secretary", "committee.deputy" })
        {
            var escalation = await app.WaitForNotice(member, n => Is(n, section, "task-escalated"));
            Assert.Contains("组织部部长", escalation.GetProperty("text").GetString());
        }

        app.Advance(2 * Day);
        await Scan(app);
        await Scan(app);
        Assert.Equal(1, Sent(app, section, "TaskReminded"));
        Assert.Equal(1, Sent(app, section, "TaskOverdue"));
        Assert.Single(await app.Notices("zuzhi.head", section, "task-reminder"));
        Assert.Single(await app.Notices("zuzhi.head", section, "task-overdue"));
        Assert.Single(await app.Notices("committee.secretary", section, "task-escalated"));
        Assert.Empty(await app.Notices("zuzhi.author", section, "task-escalated"));

        var tasks = await Api.Read<JsonElement[]>(await (await app.As("zuzhi.head")).GetAsync("/api/tasks"));
        Assert.True(tasks.Single(t => t.GetProperty("sectionId").GetGuid() == section).GetProperty("overdue").GetBoolean());

        // Both notices are in the report's audit trail as the system's doing, and the chain still verifies.
        var admin = await app.As("admin");
        var audit = await Audit(admin, section);
        Assert.Single(audit, e => e.GetProperty("action").GetString() == "task.reminder" && e.GetProperty("actorId").GetString() == "system");
        Assert.Single(audit, e => e.GetProperty("action").GetString() == "task.overdue");
        var report = (await Api.Read<JsonElement>(await admin.GetAsync($"/api/sections/{section}"))).GetProperty("reportId").GetGuid();
        Assert.True((await Api.Read<JsonElement>(await admin.GetAsync($"/api/reports/{report}/audit/verify"))).GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task A_decided_task_is_neither_reminded_nor_escalated()
    {
        using var app = new ClockedWorkflowApp();
        var section = await SubmittedSection(app, "按时办结");
        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "approve", 2, "同意"), HttpStatusCode.OK);

        // Past the department's due time, before the committee's reminder (its tasks are due in five days).
        app.Advance(3.5 * Day);
        await Scan(app);
        await app.WaitForNotice("committee.secretary", n => Is(n, section, "task-assigned"));

        // The committee's own tasks (due in five days) are not due yet either.
        Assert.Equal(0, Sent(app, section, "TaskReminded"));
        Assert.Equal(0, Sent(app, section, "TaskOverdue"));
        Assert.Empty(await app.Notices("zuzhi.head", section, "task-reminder"));
        Assert.Empty(await app.Notices("zuzhi.head", section, "task-overdue"));
        Assert.Empty(await app.Notices("committee.secretary", section, "task-escalated"));
    }

    [Fact]
    public async Task Reminders_and_escalations_survive_restarts_without_repeating()
    {
        var folder = WorkflowApp.NewFolder();
        try
        {
            Guid early, late;
            DateTimeOffset at;
            using (var first = new ClockedWorkflowApp(folder, DateTimeOffset.UtcNow))
            {
                early = await SubmittedSection(first, "重启前已催办");
                first.Advance(2.1 * Day);
                await Scan(first);
                Assert.Equal(1, Sent(first, early, "TaskReminded"));
                // Delivered before this host stops: the in-memory bus does not carry messages across a restart.
                await first.WaitForNotice("zuzhi.head", n => Is(n, early, "task-reminder"));

                // Submitted just before the host stops: its reminder and due time both pass while it is down.
                late = await SubmittedSection(first, "停机期间到期");
                at = first.Clock.GetUtcNow();
            }

            // Restart inside the first task's reminder window: its reminder is not sent again; then it falls due.
            using (var second = new ClockedWorkflowApp(folder, at + 0.2 * Day))
            {
                await Scan(second);
                await Scan(second);
                Assert.Equal(1, Sent(second, early, "TaskReminded"));
                Assert.Equal(0, Sent(second, early, "TaskOverdue"));

                second.Advance(Day);
                await Scan(second);
                Assert.Equal(1, Sent(second, early, "TaskOverdue"));
                await second.WaitForNotice("committee.deputy", n => Is(n, early, "task-escalated"));
                await second.WaitForNotice("zuzhi.head", n => Is(n, early, "task-overdue"));
                at = second.Clock.GetUtcNow();
            }

            // Restart after the escalation, with the second task long overdue.
            using var third = new ClockedWorkflowApp(folder, at + 2.5 * Day);
            await Scan(third);
            await Scan(third);
            Assert.Equal(1, Sent(third, early, "TaskReminded"));
            Assert.Equal(1, Sent(third, early, "TaskOverdue"));
            Assert.Equal(1, Sent(third, late, "TaskOverdue"));
            // Overdue on arrival: escalated, not told it is "due soon" after the fact.
            Assert.Equal(0, Sent(third, late, "TaskReminded"));
            await third.WaitForNotice("zuzhi.head", n => Is(n, late, "task-overdue"));
            Assert.Single(await third.Notices("zuzhi.head", early, "task-overdue"));
            Assert.Single(await third.Notices("zuzhi.head", early, "task-reminder"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_clerk_can_remind_by_hand_at_most_once_an_hour()
    {
        using var app = new ClockedWorkflowApp();
        var section = await SubmittedSection(app, "手动催办");
        var task = await PendingTask(app, "zuzhi.head", section);
        var admin = await app.As("admin");

        var first = await Api.Read<JsonElement>(await admin.PostAsJsonAsync($"/api/tasks/{task}/remind", new { note = "请今天下班前报送" }, TestContext.Current.CancellationToken));
        Assert.Equal(task, first.GetProperty("taskId").GetGuid());
        var notice = await app.WaitForNotice("zuzhi.head", n => Is(n, section, "task-reminder"));
        Assert.Contains("县委办公室管理员提醒您办理", notice.GetProperty("text").GetString());
        Assert.Contains("请今天下班前报送", notice.GetProperty("text").GetString());

        var again = await admin.PostAsJsonAsync($"/api/tasks/{task}/remind", new { note = "再催" }, TestContext.Current.CancellationToken);
        var problem = await Api.ReadProblem(again, HttpStatusCode.TooManyRequests);
        Assert.Equal("remind-too-soon", problem.Code);
        Assert.InRange(int.Parse(again.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 3500, 3600);
        // The time is the county's (Beijing), as everywhere in the UI, in English by default and in Chinese when asked.
        var beijing = first.GetProperty("remindedAt").GetDateTimeOffset().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"{beijing} (Beijing time)", problem.Detail);
        using var chinese = new HttpRequestMessage(HttpMethod.Post, $"/api/tasks/{task}/remind") { Content = JsonContent.Create(new { }) };
        chinese.Headers.AcceptLanguage.ParseAdd("zh-CN");
        var zh = await Api.ReadProblem(await admin.SendAsync(chinese, TestContext.Current.CancellationToken), HttpStatusCode.TooManyRequests);
        Assert.Contains($"{beijing}（北京时间）", zh.Detail);

        // Neither the holder's colleagues nor the holder may nudge; a stranger to the report does not see the task.
        await Api.ReadProblem(await (await app.As("zuzhi.author")).PostAsJsonAsync($"/api/tasks/{task}/remind", new { }, TestContext.Current.CancellationToken), HttpStatusCode.NotFound);
        await Api.ReadProblem(await (await app.As("committee.secretary")).PostAsJsonAsync($"/api/tasks/{task}/remind", new { }, TestContext.Current.CancellationToken), HttpStatusCode.Forbidden);
        await Api.ReadProblem(await admin.PostAsJsonAsync($"/api/tasks/{Guid.NewGuid()}/remind", new { }, TestContext.Current.CancellationToken), HttpStatusCode.NotFound);

        app.Advance(TimeSpan.FromMinutes(61));
        admin = await app.As("admin");
        await Api.Expect(await admin.PostAsJsonAsync($"/api/tasks/{task}/remind", new { }, TestContext.Current.CancellationToken), HttpStatusCode.OK);
        await WaitForCount(app, "zuzhi.head", section, "task-reminder", 2);

        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "approve", 2, "同意"), HttpStatusCode.OK);
        app.Advance(TimeSpan.FromHours(2));
        var closed = await (await app.As("admin")).PostAsJsonAsync($"/api/tasks/{task}/remind", new { }, TestContext.Current.CancellationToken);
        Assert.Equal("task-closed", (await Api.ReadProblem(closed, HttpStatusCode.Conflict)).Code);

        var audit = await Audit(await app.As("admin"), section);
        Assert.Equal(2, audit.Count(e => e.GetProperty("action").GetString() == "task.remind"));
    }

    private static async Task<JsonElement[]> Audit(HttpClient reader, Guid section) =>
        (await Api.Read<JsonElement>(await reader.GetAsync($"/api/audit?sectionId={section}"))).GetProperty("items").EnumerateArray().ToArray();

    /// <summary>Messages of one type the host committed about a section (the scan commits before it returns).</summary>
    private static long Sent(WorkflowApp app, Guid section, string type) =>
        app.Count("Outbox", $"\"MessageType\" = '{type}' AND \"SectionId\" = '{section.ToString().ToUpperInvariant()}'");

    private static bool Is(JsonElement notice, Guid section, string kind) =>
        notice.GetProperty("sectionId").GetString() == section.ToString() && notice.GetProperty("kind").GetString() == kind;

    private static async Task Scan(WorkflowApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TaskReminders>().ScanAsync(TestContext.Current.CancellationToken);
    }

    private static async Task WaitForCount(WorkflowApp app, string user, Guid section, string kind, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await app.Notices(user, section, kind)).Length < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{user} did not get {count} {kind} notices within 15 s");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    private static async Task<Guid> PendingTask(WorkflowApp app, string user, Guid section)
    {
        var tasks = await Api.Read<JsonElement[]>(await (await app.As(user)).GetAsync("/api/tasks"));
        return tasks.Single(t => t.GetProperty("sectionId").GetGuid() == section).GetProperty("id").GetGuid();
    }

    private static async Task<Guid> SubmittedSection(WorkflowApp app, string title)
    {
        var admin = await app.As("admin");
        var section = await Api.AddSection(admin, await Api.CreateReport(admin, title));
        // Version 1 is the imported draft; the author's edit is version 2, the one under review.
        Assert.Equal(2, await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "发展党员12名。"));
        return section;
    }
}
