using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Engine;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;
using C = Workflow.Activities.Contracts;

namespace Workflow.Host.Features.Tasks;

/// <summary>
/// The deadline scanner's reminder before a task's due time, or its overdue notice with escalation after it, sent by
/// <see cref="CurrentUser.System"/>. Each is claimed by a conditional UPDATE of the task row in the transaction that
/// writes its outbox message and audit entry, so it goes out once even with several hosts scanning and across restarts.
/// </summary>
public sealed record SendDeadlineNotice(CurrentUser Actor, Guid TaskId, DeadlineAction Action) : Command<DeadlineNoticeSent>(Actor)
{
    public override Refusal? Validate() =>
        Action == DeadlineAction.None ? Refusal.Invalid("action", "A deadline notice is a reminder or an escalation.") : null;
}

public sealed record DeadlineNoticeSent(Guid TaskId, DeadlineAction Action, DateTimeOffset At);

public sealed class SendDeadlineNoticeHandler(WorkflowDbContext db, RouteCatalog routes, UserDirectory directory, AuditTrail audit, TimeProvider clock)
    : ICommandHandler<SendDeadlineNotice, DeadlineNoticeSent>
{
    public async Task<CommandResult<DeadlineNoticeSent>> HandleAsync(SendDeadlineNotice command, CancellationToken ct)
    {
        var (taskId, actor) = (command.TaskId, command.Actor);
        var now = clock.GetUtcNow();
        var reportId = await db.Tasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => (Guid?)t.ReportId).SingleOrDefaultAsync(ct);
        if (reportId is null)
        {
            return Refusal.NotFound("The task");
        }

        // Report first, then the task: the order commands take their locks in (PostgreSQL), so the two never deadlock.
        await audit.LockReportAsync(reportId.Value, ct);
        var claim = db.Tasks.Where(t => t.Id == taskId && t.Status == WorkTaskStatus.Pending);
        var claimed = command.Action == DeadlineAction.Escalate
            ? await claim.Where(t => t.OverdueNotifiedAt == null).ExecuteUpdateAsync(u => u.SetProperty(t => t.OverdueNotifiedAt, now), ct)
            : await claim.Where(t => t.RemindedAt == null && t.OverdueNotifiedAt == null).ExecuteUpdateAsync(u => u.SetProperty(t => t.RemindedAt, now), ct);
        if (claimed == 0)
        {
            return Refusal.Conflict("The task was closed meanwhile, or its notice was sent already.", "notice-not-due");
        }

        var task = await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == taskId, ct);
        var section = await db.Sections.AsNoTracking().SingleAsync(s => s.Id == task.SectionId, ct);
        object message;
        if (command.Action == DeadlineAction.Escalate)
        {
            var escalateTo = await NextLevelUpAsync(section, task, ct);
            message = new C.TaskOverdue(section.ReportId, section.Id, task.StageKey, actor.Id, task.Id, task.AssigneeId, escalateTo, section.CurrentHash, task.DueAt!.Value, now);
            await audit.AppendAsync(section.ReportId, section.Id, actor.Id, actor.DisplayName, "task.overdue", new { taskId, stage = task.StageKey, assignee = task.AssigneeId, dueAt = task.DueAt, escalatedTo = escalateTo }, ct);
        }
        else
        {
            message = new C.TaskReminded(section.ReportId, section.Id, task.StageKey, actor.Id, task.Id, task.AssigneeId, section.CurrentHash, task.DueAt, Manual: false, Note: null, now);
            await audit.AppendAsync(section.ReportId, section.Id, actor.Id, actor.DisplayName, "task.reminder", new { taskId, stage = task.StageKey, assignee = task.AssigneeId, dueAt = task.DueAt }, ct);
        }

        OutboxWriter.Add(db, message, section.ReportId, section.Id, now);
        return CommandResult<DeadlineNoticeSent>.Done(new DeadlineNoticeSent(taskId, command.Action, now));
    }

    /// <summary>
    /// The next level up from a stage is whoever holds the next stage of the section's route (the author's
    /// department head, then the committee); above the last stage it is the report's clerk.
    /// </summary>
    private async Task<IReadOnlyList<string>> NextLevelUpAsync(Section section, SectionTask task, CancellationToken ct)
    {
        var route = await routes.FindAsync(db, section.RouteDefinitionId, section.RouteVersion, ct);
        if (route is not null && task.StageIndex < route.LastStage)
        {
            var participants = await directory.ParticipantsAsync(route, section, ct);
            var next = participants.CandidatesAt(task.StageIndex + 1).Where(u => u.Length > 0 && u != task.AssigneeId).ToList();
            if (next.Count > 0)
            {
                return next;
            }
        }

        var clerk = await db.Reports.AsNoTracking().Where(r => r.Id == section.ReportId).Select(r => r.CreatedById).SingleAsync(ct);
        return clerk == task.AssigneeId ? [] : [clerk];
    }
}
