using Workflow.Activities.Documents;
using System.Data;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Activities.Engine;
using Workflow.Host.Features.Import;
using Workflow.Host.Features.Review;
using Workflow.Host.Features.Sections;
using Workflow.Host.Features.Tasks;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Tests.Integration;

using static PageClient;

/// <summary>
/// The one command pipeline, whoever sends the command: a page and the API leave the same trail, a refusal leaves
/// nothing, a repeated key answers the first answer also outside HTTP (the CLI's import, the deadline scanner), and bad
/// input is refused before the database is touched. Run on SQLite and on PostgreSQL.
/// </summary>
public abstract class CommandPipelineSpec(WorkflowApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Text = "一是深入组织动员，发展党员12名。";

    [Fact]
    public async Task An_approval_from_the_review_page_leaves_the_same_audit_entry_and_events_as_one_from_the_api()
    {
        var byApi = await SubmittedSection("页面与接口同一命令");
        var byPage = await SubmittedSection("页面与接口同一命令");

        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), byApi, "approve", 2, "同意。"), HttpStatusCode.OK);
        var head = app.Browser();
        await SignIn(head, "zuzhi.head");
        await Post(head, await Page(head, $"/sections/{byPage}/review"), $"/sections/{byPage}/review?handler=Approve", new() { ["version"] = "2", ["opinion"] = "同意。" });

        var (apiEntry, pageEntry) = (LastEntry(byApi), LastEntry(byPage));
        Assert.Equal("section.approve", apiEntry.Action);
        Assert.Equal((apiEntry.Action, apiEntry.ActorId, apiEntry.ActorName, apiEntry.Data), (pageEntry.Action, pageEntry.ActorId, pageEntry.ActorName, pageEntry.Data));
        Assert.Equal(Events(byApi), Events(byPage));
        Assert.Contains("SectionApproved", Events(byPage));
        Assert.Equal(Count("SignOffs", byApi), Count("SignOffs", byPage));
    }

    [Fact]
    public async Task A_refused_command_writes_nothing_even_what_its_handler_wrote_before_the_refusal()
    {
        // No head in the department: the edit goes through, then the submission finds no reviewer and is refused.
        var admin = await app.As("admin");
        var section = await Api.AddSection(admin, await Api.CreateReport(admin, "拒绝则不留痕"), content: "原文。");
        SetDisabled("zuzhi.head", true);
        try
        {
            var before = Counts();
            var refused = await Send(new SubmitText(Actor("zuzhi.author"), section, "新的正文。", 1, "改写"));

            Assert.False(refused.Succeeded);
            Assert.Equal((StatusCodes.Status422UnprocessableEntity, "no-eligible-reviewers"), (refused.Status, refused.Refusal!.Code));
            Assert.Equal(before, Counts());
            Assert.Equal(1, app.WithDb(db => db.Sections.Single(s => s.Id == section).CurrentVersion));

            // With a key only the answer is kept, so a retry gets the same refusal.
            var keyed = await Send(new SubmitText(Actor("zuzhi.author"), section, "新的正文。", 1, "改写") { IdempotencyKey = "refused-" + section });
            Assert.Equal(before with { Keys = before.Keys + 1 }, Counts());
            SetDisabled("zuzhi.head", false);
            var again = await Send(new SubmitText(Actor("zuzhi.author"), section, "新的正文。", 1, "改写") { IdempotencyKey = "refused-" + section });
            Assert.True(again.Replayed);
            Assert.Equal((keyed.Status, keyed.Refusal!.Code, keyed.Json), (again.Status, again.Refusal!.Code, again.Json));
            Assert.Equal(before with { Keys = before.Keys + 1 }, Counts());
        }
        finally
        {
            SetDisabled("zuzhi.head", false);
        }
    }

    [Fact]
    public async Task The_cli_import_repeated_with_its_key_returns_the_first_result_and_writes_one_report()
    {
        await app.As("admin");
        var plan = ReportImporter.PlanFromFile(await File.ReadAllBytesAsync(Fixture.SamplePath, Ct), "report.txt", false, null, false, "命令行重复导入");
        var report = Guid.NewGuid();
        var import = new ImportReport(Actor("admin"), report, "命令行重复导入", plan, "report.txt") { IdempotencyKey = "cli-import-" + report };

        var first = await Send(import);
        var trail = app.WithDb(db => db.AuditEntries.Count(e => e.ReportId == report));
        var second = await Send(import);

        Assert.Equal((StatusCodes.Status201Created, false), (first.Status, first.Replayed));
        Assert.Equal((StatusCodes.Status201Created, true), (second.Status, second.Replayed));
        Assert.Equal(first.Json, second.Json);
        Assert.Equal(first.Value.Sections, second.Value.Sections);
        Assert.Equal(trail, app.WithDb(db => db.AuditEntries.Count(e => e.ReportId == report)));
        Assert.Equal(1, app.WithDb(db => db.AuditEntries.Count(e => e.ReportId == report && e.Action == "report.import")));
        Assert.Equal(first.Value.Sections!.Count, app.WithDb(db => db.Sections.Count(s => s.ReportId == report && s.Kind == SectionKind.Body)));

        var other = await Send(import with { NewTitle = "另一个标题" });
        Assert.Equal((StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused"), (other.Status, other.Refusal!.Code));
    }

    [Fact]
    public async Task A_scanner_notice_repeated_with_its_key_returns_the_first_result_without_a_second_entry()
    {
        var section = await SubmittedSection("系统催办重复");
        var task = app.WithDb(db => db.Tasks.Single(t => t.SectionId == section && t.Status == WorkTaskStatus.Pending).Id);
        var notice = new SendDeadlineNotice(CurrentUser.System, task, DeadlineAction.Remind) { IdempotencyKey = "remind-" + task };

        var first = await Send(notice);
        var second = await Send(notice);
        var unkeyed = await Send(notice with { IdempotencyKey = null });

        Assert.True(first.Succeeded, first.Refusal?.Message);
        Assert.True(second.Replayed);
        Assert.Equal(first.Value, second.Value);
        Assert.Equal("notice-not-due", unkeyed.Refusal?.Code);
        var reminders = app.WithDb(db => db.AuditEntries.Where(e => e.SectionId == section && e.Action == "task.reminder").Select(e => new { e.ActorId, e.ActorName }).ToList());
        Assert.Equal(("system", "系统"), (Assert.Single(reminders).ActorId, reminders[0].ActorName));
        Assert.Equal(1, app.Count("Outbox", $"\"MessageType\" = 'TaskReminded' AND \"SectionId\" = '{section.ToString().ToUpperInvariant()}'"));
    }

    [Fact]
    public async Task Bad_input_is_refused_before_the_database_is_touched()
    {
        await app.As("admin");
        var author = Actor("zuzhi.author");
        Command<EditContentResponse>[] edits =
        [
            new EditSection(author, Guid.NewGuid(), null, 1, null) { IdempotencyKey = "bad-1" },
            new EditSection(author, Guid.NewGuid(), "  ", 1, null),
            new EditSection(author, Guid.NewGuid(), new string('字', HostLimits.MaxSectionCharacters + 1), 1, null),
            new EditSection(author, Guid.NewGuid(), "正文\u0001", 1, null),
        ];
        Command<SectionStateDto>[] decisions =
        [
            new DecideSection(author, Guid.NewGuid(), SectionDecision.Approve, null, null),
            new DecideSection(author, Guid.NewGuid(), SectionDecision.Return, 1, new string('改', HostLimits.MaxOpinionCharacters + 1)),
        ];

        await using var scope = app.Services.CreateAsyncScope();
        var pipeline = scope.ServiceProvider.GetRequiredService<CommandPipeline>();
        var opened = 0;
        scope.ServiceProvider.GetRequiredService<WorkflowDbContext>().Database.GetDbConnection().StateChange += (_, e) => opened += e.CurrentState == ConnectionState.Open ? 1 : 0;
        var codes = new List<string>();
        foreach (var edit in edits)
        {
            codes.Add((await pipeline.SendAsync(edit, Ct)).Refusal!.Code);
        }

        foreach (var decision in decisions)
        {
            codes.Add((await pipeline.SendAsync(decision, Ct)).Refusal!.Code);
        }

        Assert.Equal(["invalid", "empty-content", "content-too-long", "invalid-character", "invalid", "opinion-too-long"], codes);
        Assert.Equal(0, opened);
        Assert.Equal(0, app.Count("IdempotencyRecords", "\"Key\" = 'bad-1'"));
    }

    [Fact]
    public async Task An_input_error_with_a_limit_is_said_in_chinese_with_its_limit_when_asked()
    {
        var section = await Api.AddSection(await app.As("admin"), await Api.CreateReport(await app.As("admin"), "中文的上限"));
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/sections/{section}/content")
        {
            Content = JsonContent.Create(new { content = new string('字', HostLimits.MaxSectionCharacters + 1), baseVersion = 1 }),
        };
        request.Headers.AcceptLanguage.ParseAdd("zh-CN");

        var problem = await Api.ReadProblem(await (await app.As("zuzhi.author")).SendAsync(request, Ct), HttpStatusCode.BadRequest);

        Assert.Equal("content-too-long", problem.Code);
        Assert.Contains("100,000", problem.Detail);
    }

    [Fact]
    public async Task The_withdraw_button_is_offered_as_the_engine_allows_it()
    {
        var section = await SubmittedSection("撤回按钮");
        var author = app.Browser();
        await SignIn(author, "zuzhi.author");
        var head = app.Browser();
        await SignIn(head, "zuzhi.head");

        Assert.Contains("data-testid=\"withdraw\"", await Page(author, $"/sections/{section}"));
        Assert.DoesNotContain("data-testid=\"withdraw\"", await Page(head, $"/sections/{section}"));

        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "approve", 2, "同意。"), HttpStatusCode.OK);
        Assert.DoesNotContain("data-testid=\"withdraw\"", await Page(author, $"/sections/{section}"));
        Assert.Contains("data-testid=\"withdraw\"", await Page(head, $"/sections/{section}"));
    }

    private async Task<CommandResult<T>> Send<T>(Command<T> command)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CommandPipeline>().SendAsync(command, Ct);
    }

    /// <summary>A signed-in person as the pages and the API see them, read from the directory.</summary>
    private CurrentUser Actor(string userName) => app.WithDb(db =>
    {
        var user = db.Users.AsNoTracking().Single(u => u.UserName == userName);
        var roles = (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == user.Id select r.Name!).ToHashSet();
        return new CurrentUser(user.Id, user.UserName!, user.DisplayName, user.DepartmentId, roles);
    });

    private async Task<Guid> SubmittedSection(string title)
    {
        var admin = await app.As("admin");
        var section = await Api.AddSection(admin, await Api.CreateReport(admin, title));
        await Api.EditAndSubmit(await app.As("zuzhi.author"), section, Text);
        return section;
    }

    private (string Action, string ActorId, string ActorName, string Data) LastEntry(Guid section) => app.WithDb(db =>
        db.AuditEntries.Where(e => e.SectionId == section).OrderByDescending(e => e.Sequence).Select(e => new { e.Action, e.ActorId, e.ActorName, e.Data }).AsEnumerable()
            .Select(e => (e.Action, e.ActorId, e.ActorName, e.Data)).First());

    private List<string> Events(Guid section) => app.WithDb(db => db.Outbox.Where(o => o.SectionId == section).Select(o => o.MessageType).AsEnumerable().Order().ToList());

    private long Count(string table, Guid section) => app.Count(table, $"\"SectionId\" = '{section.ToString().ToUpperInvariant()}'");

    private sealed record RowCounts(long Versions, long Entries, long Outbox, long Tasks, long SignOffs, long Keys);

    private RowCounts Counts() => new(
        app.Count("SectionVersions"), app.Count("AuditEntries"), app.Count("Outbox"), app.Count("Tasks"), app.Count("SignOffs"), app.Count("IdempotencyRecords"));

    private void SetDisabled(string userName, bool disabled) => app.WithDb(db =>
    {
        db.Users.Single(u => u.UserName == userName).Disabled = disabled;
        return db.SaveChanges();
    });
}

public sealed class CommandPipelineTests(WorkflowApp app) : CommandPipelineSpec(app), IClassFixture<WorkflowApp>;

public sealed class PostgresCommandPipelineTests(PostgresWorkflowApp app) : CommandPipelineSpec(app), IClassFixture<PostgresWorkflowApp>;
