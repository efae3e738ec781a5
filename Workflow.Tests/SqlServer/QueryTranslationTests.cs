using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflow.Activities.Engine;
using Workflow.Host.Features.Audit;
using Workflow.Host.Features.Notifications;
using Workflow.Host.Features.Reports;
using Workflow.Host.Features.Review;
using Workflow.Host.Features.Sections;
using Workflow.Host.Features.Tasks;
using Workflow.Host.Infrastructure;
using Workflow.Host.Messaging;
using Workflow.Host.Pages;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using C = Workflow.Activities.Contracts;

namespace Workflow.Tests.SqlServer;

/// <summary>
/// No SQL Server runs on these machines, so the product's own query code is run on a SQL Server context whose
/// commands are recorded instead of sent: every LINQ query must translate (an untranslatable one throws here) and
/// every statement, generated or raw, must parse as T-SQL.
/// </summary>
public sealed class QueryTranslationTests(ITestOutputHelper output)
{
    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Task_lists_translate_to_TSql()
    {
        await using var product = new ProductOnSqlServer();
        await product.RunAsync("task lists", async (services, db) =>
        {
            var routes = services.GetRequiredService<RouteCatalog>();
            var pending = await TaskList.LoadAsync(db, routes, product.Clock, Seed.AuthorId, WorkTaskStatus.Pending, None);
            await TaskList.LoadAsync(db, routes, product.Clock, Seed.AuthorId, WorkTaskStatus.Completed, None);
            Assert.Single(pending);

            var inbox = ProductOnSqlServer.Page<InboxModel>(services, Seed.Author);
            await ProductOnSqlServer.SignedInAsync(inbox);
            await inbox.OnGetAsync("done", None);
        });

        product.AssertTranslatedAndParsed(output, "task lists");
        Assert.Contains(product.StatementsOf("task lists"), s => s.Sql.Contains("INNER JOIN [Reports]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Audit_filters_and_paging_translate_to_TSql()
    {
        await using var product = new ProductOnSqlServer();
        var filter = new AuditFilter(Seed.ReportId, Seed.SectionId, " Zuzhi.Author ", "Section.Submit", Seed.Now.AddDays(-7), Seed.Now);
        await product.RunAsync("audit queries", (_, db) =>
        {
            var filtered = filter.Apply(db.AuditEntries.AsNoTracking());
            foreach (var query in new[] { filtered.ToQueryString(), AuditFilter.Page(filtered, 200, 100).ToQueryString(), AuditModel.PageRows(db, filtered, 3).ToQueryString() })
            {
                product.Recorder.Check(query, []);
            }

            return Task.CompletedTask;
        });
        await product.RunAsync("audit API", (_, db) =>
            AuditEndpoints.Query(filter.ReportId, filter.SectionId, filter.Actor, filter.Action, filter.From, filter.To, 100, 50, db, None));
        await product.RunAsync("audit page", async (services, _) =>
        {
            var page = ProductOnSqlServer.Page<AuditModel>(services, Seed.Admin);
            (page.SectionId, page.PersonName, page.ActionCode, page.From, page.To, page.PageNumber) =
                (Seed.SectionId, "zuzhi.author", "section.submit", new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 30), 2);
            await page.OnGetAsync(None);
            await page.OnGetCsvAsync(None);

            var overview = ProductOnSqlServer.Page<AuditModel>(services, Seed.Admin);
            overview.CheckAllChains = true;
            await overview.OnGetAsync(None);
        });
        await product.RunAsync("audit chain", async (services, _) =>
        {
            var audit = services.GetRequiredService<AuditTrail>();
            await audit.VerifyAsync(Seed.ReportId, None);
            // The county-wide administration chain reads its last entry instead of locking a report.
            await audit.AppendAsync(Guid.Empty, null, Seed.AdminId, "admin", "user.create", new { user = "x" }, None);
        });

        product.AssertTranslatedAndParsed(output, "audit queries", "audit API", "audit page", "audit chain");
        var page = Assert.Single(product.StatementsOf("audit queries"), s => s.Sql.Contains("OFFSET", StringComparison.Ordinal) && !s.Sql.Contains("JOIN", StringComparison.Ordinal));
        Assert.Contains("UPPER(", page.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Section_commands_translate_to_TSql()
    {
        await using var product = new ProductOnSqlServer();
        await product.RunAsync("submit", async (services, _) =>
        {
            var result = await services.GetRequiredService<CommandPipeline>().SendAsync(
                new DecideSection(CurrentUser.From(Seed.Author), Seed.SectionId, SectionDecision.Submit, 1, null) { IdempotencyKey = "submit-1" }, None);
            Assert.True(result.Succeeded, result.Refusal?.Message);
        });
        await product.RunAsync("edit", (services, _) =>
            services.GetRequiredService<CommandPipeline>().SendAsync(new EditSection(CurrentUser.From(Seed.Author), Seed.SectionId, "今年发展党员12名。", 1, "补齐数字"), None));
        await product.RunAsync("assign", (services, _) =>
            services.GetRequiredService<CommandPipeline>().SendAsync(new AssignSection(CurrentUser.From(Seed.Admin), Seed.SectionId, "zuzhi", Seed.AuthorName), None));
        await product.RunAsync("remind", (services, _) =>
            services.GetRequiredService<CommandPipeline>().SendAsync(new RemindTask(CurrentUser.From(Seed.Admin), Seed.TaskId, "请尽快"), None));
        await product.RunAsync("deadline scan", (services, _) => services.GetRequiredService<TaskReminders>().ScanAsync(None));
        await product.RunAsync("section reads", async (services, db) =>
        {
            var http = ProductOnSqlServer.Request(services, Seed.Author);
            var directory = services.GetRequiredService<UserDirectory>();
            await SectionEndpoints.Get(Seed.SectionId, http, db, services.GetRequiredService<SectionViews>(), TimeProvider.System, None);
            await SectionEndpoints.Versions(Seed.SectionId, http, db, directory, None);
            await SectionEndpoints.Diff(Seed.SectionId, 1, 1, http, db, None);
            await SectionEndpoints.SignOffs(Seed.SectionId, http, db, directory, services.GetRequiredService<RouteCatalog>(), None);
        });

        await product.RunAsync("proxy reads", async (services, db) =>
        {
            // A proxy's 待办 and read access go through their principals' windows.
            await TaskList.LoadAsync(db, services.GetRequiredService<RouteCatalog>(), TimeProvider.System, Seed.HeadId, Activities.Engine.WorkTaskStatus.Pending, None);
            var section = new Persistence.Entities.Section { Id = Seed.SectionId, ReportId = Seed.ReportId, Title = "t", Number = "1", RouteDefinitionId = "county-report" };
            await SectionAccess.CanReadAsync(db, CurrentUser.From(Seed.Author), section, None, Seed.Now);
            await services.GetRequiredService<UserDirectory>().ProxiesAsync("county-report", None);
        });

        product.AssertTranslatedAndParsed(output, "submit", "edit", "assign", "remind", "deadline scan", "section reads", "proxy reads");
        // The submit went all the way: the report's chain head locked, the new rows and the idempotency record saved.
        var submit = product.StatementsOf("submit");
        Assert.Contains(submit, s => s.Sql.Contains("[IdempotencyRecords]", StringComparison.Ordinal) && s.Sql.StartsWith("SELECT", StringComparison.Ordinal));
        Assert.Contains(submit, s => s.Sql.Contains("UPDLOCK", StringComparison.Ordinal));
        Assert.Contains(submit, s => s.Sql.Contains("INSERT INTO [AuditEntries]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_report_lock_is_an_update_lock_in_TSql()
    {
        await using var product = new ProductOnSqlServer();
        await product.RunAsync("report lock", (services, _) => services.GetRequiredService<AuditTrail>().LockReportAsync(Seed.ReportId, None));

        product.AssertTranslatedAndParsed(output, "report lock");
        var lockStatement = product.StatementsOf("report lock")[0];
        Assert.Contains("WITH (UPDLOCK, HOLDLOCK, ROWLOCK)", lockStatement.Sql, StringComparison.Ordinal);
        Assert.Single(lockStatement.Parameters);
    }

    [Fact]
    public async Task Outbox_notifications_and_inbox_translate_to_TSql()
    {
        await using var product = new ProductOnSqlServer();
        await product.RunAsync("outbox dispatch", async (services, _) =>
        {
            var dispatcher = services.GetServices<IHostedService>().OfType<OutboxDispatcher>().Single();
            Assert.Equal(1, await dispatcher.DispatchBatchAsync(None));
            // A failed publish releases the row and keeps the error.
            product.Publisher = NoBus.Publisher(new TimeoutException("broker away"));
            Assert.Equal(0, await dispatcher.DispatchBatchAsync(None));
        });
        await product.RunAsync("outbox list", async (_, db) =>
        {
            await OutboxEndpoints.List("pending", db, None);
            await OutboxEndpoints.List("parked", db, None);
        });
        await product.RunAsync("notifications", async (services, db) =>
        {
            var http = ProductOnSqlServer.Request(services, Seed.Author);
            await NotificationEndpoints.Mine(true, http, db, None);
            await NotificationEndpoints.MarkRead(Seed.NotificationId, http, db, product.Clock, None);
            var consumer = ActivatorUtilities.CreateInstance<NotificationConsumer>(services);
            await consumer.Consume(Delivered<C.TaskAssigned>.Of(new C.TaskAssigned(Seed.ReportId, Seed.SectionId, "department", Seed.AuthorId, Seed.AuthorId, "hash", Seed.Now.AddDays(3), Seed.Now)));
            await consumer.Consume(Delivered<C.TaskOverdue>.Of(new C.TaskOverdue(Seed.ReportId, Seed.SectionId, "draft", "system", Seed.TaskId, Seed.AuthorId, [Seed.AdminId], "hash", Seed.Now, Seed.Now)));
        });
        await product.RunAsync("delivery ledger", async (services, _) =>
        {
            var ledger = services.GetRequiredService<DeliveryLedger>();
            await ledger.ServedAsync(Guid.NewGuid(), ["email:a@example.org", "email:b@example.org"], None);
            await ledger.RecordAsync("email:a@example.org", Guid.NewGuid(), None);
        });

        product.AssertTranslatedAndParsed(output, "outbox dispatch", "outbox list", "notifications", "delivery ledger");
        Assert.Contains(product.StatementsOf("outbox dispatch"), s => s.Sql.StartsWith("UPDATE", StringComparison.Ordinal) && s.Sql.Contains("[LockedBy]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Report_board_translates_to_TSql()
    {
        await using var product = new ProductOnSqlServer();
        await product.RunAsync("report board", async (services, _) =>
        {
            // A department user sees reports through their sections and tasks: the subqueries of VisibleReports.
            var board = ProductOnSqlServer.Page<BoardModel>(services, Seed.Author);
            await ProductOnSqlServer.SignedInAsync(board);
            await board.OnGetAsync(Seed.ReportId, "zuzhi", "draft", null, None);
            Assert.Single(board.Sections);

            var outline = await services.GetRequiredService<SectionViews>().OutlineAsync(Seed.ReportId, Seed.AsUser(Seed.Admin), Seed.SectionId, None);
            Assert.Single(outline);
        });

        product.AssertTranslatedAndParsed(output, "report board");
    }

    [Fact]
    public async Task Report_state_finals_and_the_signers_list_translate_to_TSql()
    {
        await using var product = new ProductOnSqlServer();
        await product.RunAsync("report end", async (services, db) =>
        {
            await ReportProgress.OfAsync(db, db.Reports.Where(r => r.Id == Seed.ReportId), None);
            var admin = Seed.AsUser(Seed.Admin);
            await SignOffTasks.LoadAsync(db, admin with { Roles = new HashSet<string> { Roles.Admin, Roles.Signer } }, None);
            var report = await db.Reports.AsNoTracking().SingleAsync(r => r.Id == Seed.ReportId, None);
            await services.GetRequiredService<ReportDetails>().BuildAsync(report, admin, None);
            var assembler = services.GetRequiredService<Workflow.Host.Features.Export.ReportAssembler>();
            await assembler.BuildAsync(Seed.ReportId, None);
            await assembler.FinalAsync(Seed.ReportId, 1, None);
        });

        product.AssertTranslatedAndParsed(output, "report end");
    }

    [Fact]
    public async Task Report_end_pages_translate_to_TSql()
    {
        await using var product = new ProductOnSqlServer();
        await product.RunAsync("report end pages", async (services, _) =>
        {
            // The board offers the forms of the report's end by role. (The signer's top bar is left out: its count of
            // reports waiting for 签发 matches two answers by id, which canned rows do not keep.)
            foreach (var user in new[] { Seed.Signer, Seed.Admin })
            {
                await ProductOnSqlServer.Page<BoardModel>(services, user).OnGetAsync(Seed.ReportId, null, null, null, None);
            }

            await ProductOnSqlServer.Page<ReportsModel>(services, Seed.Admin).OnGetAsync(None);

            var sheet = ProductOnSqlServer.Page<ReportSheetModel>(services, Seed.Admin);
            await sheet.OnGetAsync(Seed.ReportId, null, None);
            await ProductOnSqlServer.Page<FinalCompareModel>(services, Seed.Admin).OnGetAsync(Seed.ReportId, 1, 2, None);
        });

        product.AssertTranslatedAndParsed(output, "report end pages");
        Assert.Contains(product.StatementsOf("report end pages"), s => s.Sql.Contains("[SignOffs]", StringComparison.Ordinal));
    }
}
