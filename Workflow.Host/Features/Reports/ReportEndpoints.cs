using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Engine;
using Workflow.Activities.Routes;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Reports;

public static class ReportEndpoints
{
    public static void MapReports(this IEndpointRouteBuilder api)
    {
        api.MapGet("/reports", List);
        api.MapPost("/reports", Create).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        api.MapGet("/reports/{id:guid}", Get);
        api.MapPost("/reports/{id:guid}/sections", AddSection).RequireAuthorization(p => p.RequireRole(Roles.Admin));
    }

    private static async Task<Ok<List<ReportSummary>>> List(HttpContext http, WorkflowDbContext db, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        var reports = await SectionAccess.VisibleReports(db, user)
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

    private static async Task<IResult> Create(CreateReportRequest request, HttpContext http, CommandExecutor executor, WorkflowDbContext db, RouteCatalog routes, AuditTrail audit, TimeProvider clock)
    {
        var title = request.Title?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > WorkflowDbContext.MaxTitleLength)
        {
            return Problems.Invalid("title", $"A report needs a title of 1 to {WorkflowDbContext.MaxTitleLength} characters.");
        }

        if ((request.Lead?.Length ?? 0) > HostLimits.MaxSectionCharacters || (request.Closing?.Length ?? 0) > HostLimits.MaxSectionCharacters)
        {
            return Problems.Invalid("lead", $"Lead and closing are at most {HostLimits.MaxSectionCharacters:N0} characters each.");
        }

        if ((Problems.UnstorableText("title", "The title", title) ?? Problems.UnstorableText("lead", "The lead", request.Lead)
            ?? Problems.UnstorableText("closing", "The closing", request.Closing)) is { } unstorable)
        {
            return unstorable;
        }

        var user = CurrentUser.From(http.User);
        return await executor.ExecuteAsync(http, request, async ct =>
        {
            var (report, refusal) = await CreateAsync(request with { Title = title }, user, db, routes, audit, clock, ct);
            return report is null
                ? CommandOutcome.Refused(refusal!)
                : CommandOutcome.Done(new ReportDetail(report.Id, report.Title, report.Lead, report.Closing, new RouteRef(report.RouteDefinitionId, report.RouteVersion), report.CreatedAt, []), StatusCodes.Status201Created);
        });
    }

    /// <summary>
    /// Adds a report (title already checked) with its audit entry inside the caller's command, so the import page can
    /// create the report and import into it in one transaction, as POST /api/reports creates it alone.
    /// </summary>
    public static async Task<(Report? Report, IResult? Refusal)> CreateAsync(CreateReportRequest request, CurrentUser user, WorkflowDbContext db, RouteCatalog routes, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var title = request.Title!;
        var routeId = request.RouteId ?? DefaultRoutes.CountyReportId;
        var version = request.RouteVersion ?? (await routes.LatestAsync(db, routeId, ct))?.Version ?? 0;
        if (await routes.FindAsync(db, routeId, version, ct) is null)
        {
            return (null, Problems.Invalid("routeId", $"No published route '{routeId}' version {version}; see GET /api/routes."));
        }

        var report = new Report
        {
            Id = Guid.NewGuid(),
            Title = title,
            Lead = request.Lead ?? "",
            Closing = request.Closing ?? "",
            RouteDefinitionId = routeId,
            RouteVersion = version,
            CreatedAt = clock.GetUtcNow(),
            CreatedById = user.Id,
        };
        db.Reports.Add(report);
        await audit.AppendAsync(report.Id, null, user.Id, user.UserName, "report.create", new { title, route = routeId, routeVersion = version }, ct);
        return (report, null);
    }

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

    private static async Task<IResult> AddSection(Guid id, AddSectionRequest request, HttpContext http, CommandExecutor executor, WorkflowDbContext db, RouteCatalog routes, SectionCommands commands, SectionViews views, AuditTrail audit, TimeProvider clock)
    {
        var title = request.Title?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > WorkflowDbContext.MaxTitleLength)
        {
            return Problems.Invalid("title", $"A section needs a title of 1 to {WorkflowDbContext.MaxTitleLength} characters.");
        }

        if ((request.Number?.Length ?? 0) > 16)
        {
            return Problems.Invalid("number", "The outline number (such as （一）) is at most 16 characters.");
        }

        var isGroup = request.IsGroup ?? false;
        if (!isGroup && string.IsNullOrWhiteSpace(request.Content))
        {
            return Problems.Invalid("content", "A reviewable section needs its text (content); add a grouping heading with isGroup=true instead.");
        }

        if ((request.Content?.Length ?? 0) > HostLimits.MaxSectionCharacters)
        {
            return Problems.Invalid("content", $"Section text is at most {HostLimits.MaxSectionCharacters:N0} characters; this one has {request.Content!.Length:N0}.");
        }

        if ((request.Note?.Length ?? 0) > HostLimits.MaxNoteCharacters)
        {
            return Problems.Invalid("note", $"A version note is at most {HostLimits.MaxNoteCharacters} characters.");
        }

        if ((Problems.UnstorableText("title", "The title", title) ?? Problems.UnstorableText("number", "The number", request.Number)
            ?? Problems.UnstorableText("content", "The section text", request.Content) ?? Problems.UnstorableText("note", "The version note", request.Note)) is { } unstorable)
        {
            return unstorable;
        }

        var user = CurrentUser.From(http.User);
        return await executor.ExecuteAsync(http, request, async ct =>
        {
            var report = await db.Reports.FirstOrDefaultAsync(r => r.Id == id, ct);
            if (report is null)
            {
                return CommandOutcome.Refused(Problems.NotFound($"Report {id}"));
            }

            if (request.ParentId is { } parentId && !await db.Sections.AnyAsync(s => s.Id == parentId && s.ReportId == id && s.IsGroup, ct))
            {
                return CommandOutcome.Refused(Problems.Invalid("parentId", "The parent must be a grouping heading of the same report."));
            }

            var ordinal = await db.Sections.Where(s => s.ReportId == id).Select(s => (int?)s.Ordinal).MaxAsync(ct) ?? -1;
            var route = (await routes.FindAsync(db, report.RouteDefinitionId, report.RouteVersion, ct))!;
            var section = new Section
            {
                Id = Guid.NewGuid(),
                ReportId = id,
                ParentId = request.ParentId,
                Ordinal = ordinal + 1,
                Number = request.Number?.Trim() ?? "",
                Title = title,
                IsGroup = isGroup,
                RouteDefinitionId = report.RouteDefinitionId,
                RouteVersion = report.RouteVersion,
                UpdatedAt = clock.GetUtcNow(),
            };

            if (isGroup)
            {
                db.Sections.Add(section);
                await audit.AppendAsync(id, section.Id, user.Id, user.UserName, "section.create-group", new { section = title }, ct);
            }
            else
            {
                var assignment = await Assignment.ResolveAsync(db, request.Department, request.Author, ct);
                if (assignment.Problem is not null)
                {
                    return CommandOutcome.Refused(assignment.Problem);
                }

                section.DepartmentId = assignment.Department!.Id;
                section.AuthorId = assignment.Author!.Id;
                await commands.CreateAsync(report, route, section, request.Content!, request.Note, user, ct);
            }

            return CommandOutcome.Done(new { section.Id, section.ReportId, section.ParentId, section.Ordinal, section.Number, section.Title, section.IsGroup, Version = isGroup ? (int?)null : 1 }, StatusCodes.Status201Created);
        });
    }
}
