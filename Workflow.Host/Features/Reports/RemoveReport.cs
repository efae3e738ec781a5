using Microsoft.EntityFrameworkCore;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Features.Reports;

/// <summary>
/// An administrator deletes a report nobody has decided on yet (no approval, return or advice on any part). Its
/// sections, versions and tasks go; its audit trail stays, and the county-wide trail records the deletion with the
/// report chain's last entry, so nothing decided can be made to disappear this way.
/// </summary>
public sealed record DeleteReport(CurrentUser Actor, Guid ReportId) : Command<RemovedReport>(Actor);

/// <summary>An administrator archives a report: hidden from lists, kept read-only with its trail.</summary>
public sealed record ArchiveReport(CurrentUser Actor, Guid ReportId) : Command<RemovedReport>(Actor);

public sealed record RemovedReport(Guid Id, string Title, bool Deleted, DateTimeOffset? ArchivedAt);

public sealed class DeleteReportHandler(WorkflowDbContext db, AuditTrail audit) : ICommandHandler<DeleteReport, RemovedReport>
{
    public async Task<CommandResult<RemovedReport>> HandleAsync(DeleteReport command, CancellationToken ct)
    {
        if (!command.Actor.IsInRole(Roles.Admin))
        {
            return Refusal.Forbidden("Only an administrator may delete a report.");
        }

        var id = command.ReportId;
        var report = await db.Reports.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (report is null)
        {
            return Refusal.NotFound($"Report {id}");
        }

        // Locked first, so a decision cannot slip in between the check and the deletion.
        await audit.LockReportAsync(id, ct);
        if (await db.SignOffs.AnyAsync(o => o.ReportId == id, ct))
        {
            return Refusal.Conflict("Someone has already decided on a part of this report; it can only be archived, so its decisions stay on record.", "report-decided");
        }

        var sections = db.Sections.Where(s => s.ReportId == id).Select(s => s.Id);
        var counts = new
        {
            sections = await sections.CountAsync(ct),
            versions = await db.SectionVersions.CountAsync(v => sections.Contains(v.SectionId), ct),
        };
        await db.Moves.Where(m => m.ReportId == id).ExecuteDeleteAsync(ct);
        await db.Tasks.Where(t => t.ReportId == id).ExecuteDeleteAsync(ct);
        await db.SectionVersions.Where(v => sections.Contains(v.SectionId)).ExecuteDeleteAsync(ct);
        // Children before parents: a heading's subsections point at it.
        while (await db.Sections.Where(s => s.ReportId == id && !db.Sections.Any(c => c.ParentId == s.Id)).ExecuteDeleteAsync(ct) > 0)
        {
        }

        await db.Notifications.Where(n => n.ReportId == id).ExecuteDeleteAsync(ct);
        db.Reports.Remove(report);
        await audit.AppendAsync(Guid.Empty, null, command.Actor.Id, command.Actor.UserName, "report.delete", new
        {
            report = id,
            title = report.Title,
            counts.sections,
            counts.versions,
            // The report's own trail is kept; its last entry ties this deletion to it.
            chainSequence = report.AuditSequence,
            chainHead = report.AuditHead,
        }, ct);
        return CommandResult<RemovedReport>.Done(new RemovedReport(id, report.Title, true, null));
    }
}

public sealed class ArchiveReportHandler(WorkflowDbContext db, AuditTrail audit, TimeProvider clock) : ICommandHandler<ArchiveReport, RemovedReport>
{
    public async Task<CommandResult<RemovedReport>> HandleAsync(ArchiveReport command, CancellationToken ct)
    {
        if (!command.Actor.IsInRole(Roles.Admin))
        {
            return Refusal.Forbidden("Only an administrator may archive a report.");
        }

        var report = await db.Reports.FirstOrDefaultAsync(r => r.Id == command.ReportId, ct);
        if (report is null)
        {
            return Refusal.NotFound($"Report {command.ReportId}");
        }

        if (report.ArchivedAt is null)
        {
            report.ArchivedAt = clock.GetUtcNow();
            await audit.AppendAsync(report.Id, null, command.Actor.Id, command.Actor.UserName, "report.archive", new { title = report.Title }, ct);
        }

        return CommandResult<RemovedReport>.Done(new RemovedReport(report.Id, report.Title, false, report.ArchivedAt));
    }
}
