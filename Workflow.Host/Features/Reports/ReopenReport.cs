using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Engine;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Features.Reports;

/// <summary>One part a 复审 sends back: to its author (ToStage null or "draft") or to a stage of its route.</summary>
public sealed record ReopenPart(Guid Id, string? ToStage);

public sealed record ReopenRequest(string? Reason, IReadOnlyList<ReopenPart>? Sections);

public sealed record ReopenResult(Guid ReportId, int Final, DateTimeOffset ReopenedAt, IReadOnlyList<SectionStateDto> Sections);

/// <summary>
/// 复审: an administrator reopens a signed report with a reason, choosing which parts go back and where. The other
/// parts keep their approvals; the final stays on record as it was signed, marked reopened; the report needs a new
/// 签发, which makes the next final.
/// </summary>
public sealed record ReopenReport(CurrentUser Actor, Guid ReportId, string? Reason, IReadOnlyList<ReopenPart>? Sections) : Command<ReopenResult>(Actor)
{
    public const int MaxParts = 500;

    public override Refusal? Validate()
    {
        if (string.IsNullOrWhiteSpace(Reason))
        {
            return Refusal.Invalid("reason", "Reopening a signed report needs a reason.", "reason-required");
        }

        if (Reason.Length > HostLimits.MaxOpinionCharacters)
        {
            return Refusal.TooLong("reason", $"A reason is at most {HostLimits.MaxOpinionCharacters:N0} characters.", HostLimits.MaxOpinionCharacters);
        }

        if (Sections is not { Count: > 0 and <= MaxParts } || Sections.Select(s => s.Id).Distinct().Count() != Sections.Count)
        {
            return Refusal.Invalid("sections", "Name the parts that go back for re-review: sections [{ id, toStage }], each once.", "sections-required");
        }

        return Refusal.UnstorableText("reason", "The reason", Reason);
    }
}

public sealed class ReopenReportHandler(WorkflowDbContext db, SectionCommands sections, AuditTrail audit, TimeProvider clock) : ICommandHandler<ReopenReport, ReopenResult>
{
    public async Task<CommandResult<ReopenResult>> HandleAsync(ReopenReport command, CancellationToken ct)
    {
        var (id, user, reason) = (command.ReportId, command.Actor, command.Reason!.Trim());
        if (!user.IsInRole(Roles.Admin))
        {
            return Refusal.Forbidden("Only an administrator may reopen a signed report.");
        }

        if (!await db.Reports.AnyAsync(r => r.Id == id, ct))
        {
            return Refusal.NotFound($"Report {id}");
        }

        var report = await audit.LockReportAsync(id, ct);
        if (report.ArchivedAt is not null)
        {
            return Refusal.ReportArchived();
        }

        var final = report.LockedAt is null ? null : await db.Finals.Where(f => f.ReportId == id).OrderByDescending(f => f.Number).FirstOrDefaultAsync(ct);
        if (final is null)
        {
            return Refusal.Conflict("Only a signed-off report (定稿) is reopened for re-review; this one is not signed.", "report-not-signed");
        }

        var ids = command.Sections!.Select(s => s.Id).ToList();
        var known = await db.Sections.Where(s => s.ReportId == id && !s.IsGroup && ids.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct);
        if (ids.FirstOrDefault(s => !known.Contains(s)) is var unknown && unknown != Guid.Empty)
        {
            return Refusal.Invalid("sections", $"Section {unknown} is not a reviewable part of this report.", "unknown-section");
        }

        var now = clock.GetUtcNow();
        (final.ReopenedAt, final.ReopenedById, final.ReopenedByName, final.ReopenReason) = (now, user.Id, user.DisplayName, reason);
        report.LockedAt = null;
        await audit.AppendAsync(id, null, user.Id, user.UserName, "report.reopen", new { final = final.Number, reason, sections = command.Sections }, ct);
        // The parts load from the database in this transaction, which must see the report unlocked.
        await db.SaveChangesAsync(ct);

        var states = new List<SectionStateDto>();
        foreach (var part in command.Sections!)
        {
            var (loaded, missing) = await sections.LoadAsync(part.Id, user, ct);
            if (loaded is null)
            {
                return missing!;
            }

            var (_, refused) = await sections.DecideAsync(loaded, new ReopenCommand(user.Id, part.ToStage, reason), user, new { final = final.Number, reason, toStage = part.ToStage }, ct);
            if (refused is not null)
            {
                return refused;
            }

            states.Add(SectionStateDto.From(loaded.Row, loaded.Route));
        }

        OutboxWriter.Add(db, new Activities.Contracts.ReportReopened(id, user.Id, final.Number, reason, ids, now), id, null, now);
        return CommandResult<ReopenResult>.Done(new ReopenResult(id, final.Number, now, states));
    }
}
