using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Engine;
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
    }

    private static async Task<Ok<List<ReportSummary>>> List(HttpContext http, WorkflowDbContext db, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        var reports = await SectionAccess.VisibleReports(db, user)
            .Where(r => r.ArchivedAt == null)
            .OrderByDescending(r => r.CreatedAt)
            .Select(r => new
            {
                r.Id,
                r.Title,
                r.CreatedAt,
                Sections = db.Sections.Count(s => s.ReportId == r.Id && !s.IsGroup),
                Approved = db.Sections.Count(s => s.ReportId == r.Id && !s.IsGroup && s.Status == SectionStatus.Approved),
            })
            .ToListAsync(ct);
        return TypedResults.Ok(reports.Select(r => new ReportSummary(r.Id, r.Title, r.CreatedAt, r.Sections, r.Approved, r.Sections > 0 && r.Sections == r.Approved)).ToList());
    }

    private static Task<IResult> Create(CreateReportRequest request, HttpContext http, CommandPipeline pipeline) =>
        pipeline.SendAsync(http, new CreateReport(CurrentUser.From(http.User), request.Title, request.Lead, request.Closing, request.RouteId, request.RouteVersion));

    private static async Task<Results<Ok<ReportDetail>, ProblemHttpResult>> Get(Guid id, HttpContext http, SectionViews views, WorkflowDbContext db, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        var report = await SectionAccess.VisibleReports(db, user).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (report is null)
        {
            return Problems.NotFound($"Report {id}");
        }

        var outline = await views.OutlineAsync(id, user, null, ct);
        return TypedResults.Ok(new ReportDetail(report.Id, report.Title, report.Lead, report.Closing, new RouteRef(report.RouteDefinitionId, report.RouteVersion), report.CreatedAt, outline));
    }

    private static Task<IResult> AddSection(Guid id, AddSectionRequest request, HttpContext http, CommandPipeline pipeline) =>
        pipeline.SendAsync(http, new AddSection(
            CurrentUser.From(http.User), id, request.Title, request.Number, request.Content, request.Department, request.Author, request.ParentId, request.IsGroup ?? false, request.Note));
}
