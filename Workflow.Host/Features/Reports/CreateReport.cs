using Workflow.Activities.Routes;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Reports;

/// <summary>A new, empty report on a published route (the latest version of the county route unless named).</summary>
public sealed record CreateReport(CurrentUser Actor, string? Title, string? Lead, string? Closing, string? RouteId, int? RouteVersion) : Command<ReportDetail>(Actor)
{
    public override Refusal? Validate()
    {
        var title = Title?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > WorkflowDbContext.MaxTitleLength)
        {
            return Refusal.Invalid("title", $"A report needs a title of 1 to {WorkflowDbContext.MaxTitleLength} characters.");
        }

        if ((Lead?.Length ?? 0) > HostLimits.MaxSectionCharacters || (Closing?.Length ?? 0) > HostLimits.MaxSectionCharacters)
        {
            return Refusal.Invalid("lead", $"Lead and closing are at most {HostLimits.MaxSectionCharacters:N0} characters each.");
        }

        return Refusal.UnstorableText("title", "The title", title) ?? Refusal.UnstorableText("lead", "The lead", Lead)
            ?? Refusal.UnstorableText("closing", "The closing", Closing);
    }
}

public sealed class CreateReportHandler(WorkflowDbContext db, RouteCatalog routes, ReportParts parts, ReportDetails details, AuditTrail audit, TimeProvider clock) : ICommandHandler<CreateReport, ReportDetail>
{
    public async Task<CommandResult<ReportDetail>> HandleAsync(CreateReport command, CancellationToken ct)
    {
        var (report, refusal) = await AddAsync(Guid.NewGuid(), command, null, ct);
        if (report is null)
        {
            return refusal!;
        }

        await db.SaveChangesAsync(ct);
        return CommandResult<ReportDetail>.Done(await details.BuildAsync(report, command.Actor, ct), StatusCodes.Status201Created);
    }

    /// <summary>
    /// Adds the report (its input checked) with its audit entry, also for an import into a new report, so both create
    /// a report alike; <paramref name="source"/> names the file a report was imported from, for the trail.
    /// </summary>
    public async Task<(Report? Report, Refusal? Refusal)> AddAsync(Guid id, CreateReport command, string? source, CancellationToken ct)
    {
        var title = command.Title!.Trim();
        var routeId = command.RouteId ?? DefaultRoutes.CountyReportId;
        var version = command.RouteVersion ?? (await routes.LatestAsync(db, routeId, ct))?.Version ?? 0;
        if (await routes.FindAsync(db, routeId, version, ct) is null)
        {
            return (null, Refusal.Invalid("routeId", $"No published route '{routeId}' version {version}; see GET /api/routes."));
        }

        var report = new Report
        {
            Id = id,
            Title = title,
            RouteDefinitionId = routeId,
            RouteVersion = version,
            CreatedAt = clock.GetUtcNow(),
            CreatedById = command.Actor.Id,
        };
        db.Reports.Add(report);
        object data = source is null ? new { title, route = routeId, routeVersion = version } : new { title, route = routeId, routeVersion = version, source };
        await audit.AppendAsync(report.Id, null, command.Actor.Id, command.Actor.UserName, "report.create", data, ct);
        await parts.AddAsync(report, title, command.Lead, command.Closing, command.Actor, "新建报告", ct);
        return (report, null);
    }
}
