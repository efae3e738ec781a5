using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Workflow.Host.Features.Export;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Features.Reports;

public static class ReportEndpoints
{
    public static void MapReports(this IEndpointRouteBuilder api)
    {
        api.MapGet("/reports", List);
        api.MapPost("/reports", Create).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        api.MapGet("/reports/{id:guid}", Get);
        api.MapPost("/reports/{id:guid}/sections", AddSection).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        api.MapDelete("/reports/{id:guid}", (Guid id, HttpContext http, CommandPipeline pipeline) =>
            pipeline.SendAsync(http, new DeleteReport(CurrentUser.From(http.User), id))).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        api.MapPost("/reports/{id:guid}/archive", (Guid id, HttpContext http, CommandPipeline pipeline) =>
            pipeline.SendAsync(http, new ArchiveReport(CurrentUser.From(http.User), id))).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        api.MapPut("/reports/{id:guid}/issuer", (Guid id, IssuerRequest body, HttpContext http, CommandPipeline pipeline) =>
            pipeline.SendAsync(http, new SetIssuer(CurrentUser.From(http.User), id, body.Issuer, body.Addressee))).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        api.MapPost("/reports/{id:guid}/signoff", (Guid id, SignOffRequest body, HttpContext http, CommandPipeline pipeline) =>
            pipeline.SendAsync(http, new SignOffReport(CurrentUser.From(http.User), id, body.Opinion, body.Password, body.Hash)));
        api.MapPost("/reports/{id:guid}/reopen", (Guid id, ReopenRequest body, HttpContext http, CommandPipeline pipeline) =>
            pipeline.SendAsync(http, new ReopenReport(CurrentUser.From(http.User), id, body.Reason, body.Sections))).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        api.MapFinals();
    }

    private static async Task<Ok<List<ReportSummary>>> List(HttpContext http, WorkflowDbContext db, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        var visible = SectionAccess.VisibleReports(db, user).Where(r => r.ArchivedAt == null);
        var reports = await visible.OrderByDescending(r => r.CreatedAt).Select(r => new { r.Id, r.Title, r.CreatedAt }).ToListAsync(ct);
        var progress = await ReportProgress.OfAsync(db, visible, ct);
        // A report deleted between the two reads is left out.
        return TypedResults.Ok(reports.Where(r => progress.ContainsKey(r.Id))
            .Select(r => (Report: r, Progress: progress[r.Id]))
            .Select(x => new ReportSummary(x.Report.Id, x.Report.Title, x.Report.CreatedAt, x.Progress.Parts, x.Progress.Approved, x.Progress.Parts > 0 && x.Progress.Parts == x.Progress.Approved, x.Progress.State, x.Progress.FinalNumber))
            .ToList());
    }

    private static Task<IResult> Create(CreateReportRequest request, HttpContext http, CommandPipeline pipeline) =>
        pipeline.SendAsync(http, new CreateReport(CurrentUser.From(http.User), request.Title, request.Lead, request.Closing, request.RouteId, request.RouteVersion));

    private static async Task<Results<Ok<ReportDetail>, ProblemHttpResult>> Get(Guid id, HttpContext http, ReportDetails details, WorkflowDbContext db, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        var report = await SectionAccess.VisibleReports(db, user).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (report is null)
        {
            return Problems.NotFound($"Report {id}");
        }

        return TypedResults.Ok(await details.BuildAsync(report, user, ct));
    }

    private static Task<IResult> AddSection(Guid id, AddSectionRequest request, HttpContext http, CommandPipeline pipeline) =>
        pipeline.SendAsync(http, new AddSection(
            CurrentUser.From(http.User), id, request.Title, request.Number, request.Content, request.Department, request.Author, request.ParentId, request.IsGroup ?? false, request.Note));
}
