using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Engine;
using Workflow.Host.Infrastructure;
using Workflow.Host.Messaging;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;
using C = Workflow.Activities.Contracts;

namespace Workflow.Host.Features.Tasks;

/// <summary>
/// 催办: the automatic reminder before a task's due time, the overdue notice with escalation after it, and
/// the clerk's reminder by hand. Each notice is claimed by a conditional UPDATE of the task row in the same
/// transaction that writes its outbox message and audit entry, so it goes out once even with several hosts
/// scanning and across restarts; the bus delivers it after the commit like any other event.
/// </summary>
public sealed class TaskReminders(WorkflowDbContext db, WriteGate gate, OutboxSignal outbox, RouteCatalog routes, UserDirectory directory, AuditTrail audit, TimeProvider clock, ILogger<TaskReminders> logger)
{
    public const string SystemActor = "system";
    public const string SystemActorName = "系统";
    private const int ScanBatch = 200;

    /// <summary>Sends every reminder and escalation due now; returns how many went out.</summary>
    public async Task<int> ScanAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var horizon = now + DeadlinePolicy.MaxReminderLead;
        var sent = 0;
        var after = DateTimeOffset.MinValue;
        var afterId = Guid.Empty;
        while (true)
        {
            // Tasks already reminded but not yet due are left out, so they cannot crowd later ones out of
            // the batch; paging by (DueAt, Id) reaches every task however many fall due together.
            var batch = await db.Tasks.AsNoTracking()
                .Where(t => t.Status == WorkTaskStatus.Pending && t.DueAt != null && t.DueAt <= horizon && t.OverdueNotifiedAt == null
                    && (t.RemindedAt == null || t.DueAt <= now))
                .Where(t => t.DueAt > after || (t.DueAt == after && t.Id.CompareTo(afterId) > 0))
                .OrderBy(t => t.DueAt).ThenBy(t => t.Id)
                .Select(t => new { t.Id, t.CreatedAt, t.DueAt, t.RemindedAt, t.OverdueNotifiedAt })
                .Take(ScanBatch)
                .ToListAsync(ct);
            foreach (var c in batch)
            {
                var action = DeadlinePolicy.Due(c.CreatedAt, c.DueAt, c.RemindedAt, c.OverdueNotifiedAt, now);
                try
                {
                    if (action != DeadlineAction.None && await SendAsync(c.Id, action, ct))
                    {
                        sent++;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One task's failure (e.g. a deadlock victim) must not hold up the others; the next scan retries it.
                    logger.LogError(ex, "Deadline {Action} for task {Task} failed; retrying at the next scan", action, c.Id);
                }
            }

            if (batch.Count < ScanBatch)
            {
                return sent;
            }

            after = batch[^1].DueAt!.Value;
            afterId = batch[^1].Id;
        }
    }

    private async Task<bool> SendAsync(Guid taskId, DeadlineAction action, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        using (await gate.EnterAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var now = clock.GetUtcNow();
            var reportId = await db.Tasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => t.ReportId).SingleAsync(ct);
            // Report first, then the task: the order commands take their locks in (PostgreSQL), so the two never deadlock.
            await audit.LockReportAsync(reportId, ct);
            var claim = db.Tasks.Where(t => t.Id == taskId && t.Status == WorkTaskStatus.Pending);
            var claimed = action == DeadlineAction.Escalate
                ? await claim.Where(t => t.OverdueNotifiedAt == null).ExecuteUpdateAsync(u => u.SetProperty(t => t.OverdueNotifiedAt, now), ct)
                : await claim.Where(t => t.RemindedAt == null && t.OverdueNotifiedAt == null).ExecuteUpdateAsync(u => u.SetProperty(t => t.RemindedAt, now), ct);
            if (claimed == 0)
            {
                // Closed meanwhile, or another host sent it first.
                return false;
            }

            var task = await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == taskId, ct);
            var section = await db.Sections.AsNoTracking().SingleAsync(s => s.Id == task.SectionId, ct);
            object message;
            if (action == DeadlineAction.Escalate)
            {
                var escalateTo = await NextLevelUpAsync(section, task, ct);
                message = new C.TaskOverdue(section.ReportId, section.Id, task.StageKey, SystemActor, task.Id, task.AssigneeId, escalateTo, section.CurrentHash, task.DueAt!.Value, now);
                await audit.AppendAsync(section.ReportId, section.Id, SystemActor, SystemActorName, "task.overdue", new { taskId, stage = task.StageKey, assignee = task.AssigneeId, dueAt = task.DueAt, escalatedTo = escalateTo }, ct);
            }
            else
            {
                message = new C.TaskReminded(section.ReportId, section.Id, task.StageKey, SystemActor, task.Id, task.AssigneeId, section.CurrentHash, task.DueAt, Manual: false, Note: null, now);
                await audit.AppendAsync(section.ReportId, section.Id, SystemActor, SystemActorName, "task.reminder", new { taskId, stage = task.StageKey, assignee = task.AssigneeId, dueAt = task.DueAt }, ct);
            }

            OutboxWriter.Add(db, message, section.ReportId, section.Id, now);
            var messages = outbox.Claim(db);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            outbox.Committed(messages);
        }

        logger.LogInformation("Deadline {Action} sent for task {Task}", action, taskId);
        return true;
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

    /// <summary>
    /// A reminder by hand. Runs inside the caller's transaction (CommandExecutor). The clerk of the report and
    /// administrators may nudge; once per task per <paramref name="interval"/>, so a holder is not flooded.
    /// </summary>
    public async Task<CommandOutcome> NudgeAsync(Guid taskId, CurrentUser user, string? note, TimeSpan interval, HttpContext http, CancellationToken ct)
    {
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, ct);
        var report = task is null ? null : await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == task.ReportId, ct);
        if (task is null || report is null || !(user.SeesWholeCounty || report.CreatedById == user.Id))
        {
            return CommandOutcome.Refused(Problems.NotFound("The task"));
        }

        if (!user.IsInRole(Roles.Admin) && report.CreatedById != user.Id)
        {
            return CommandOutcome.Refused(Problems.Forbidden("Only the report's clerk or an administrator may send a reminder (催办)."));
        }

        if (task.Status != WorkTaskStatus.Pending)
        {
            return CommandOutcome.Refused(Problems.Conflict("The task is no longer pending; there is nothing to remind of.", "task-closed"));
        }

        var now = clock.GetUtcNow();
        var nextAllowed = task.LastNudgedAt + interval;
        var tooSoon = nextAllowed is { } next && next > now;
        var claimed = 0;
        if (!tooSoon)
        {
            // Report first, then the task: the lock order of every command, so a concurrent decision cannot deadlock with this.
            await audit.LockReportAsync(task.ReportId, ct);
            claimed = await db.Tasks.Where(t => t.Id == taskId && t.Status == WorkTaskStatus.Pending && t.LastNudgedAt == task.LastNudgedAt)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.LastNudgedAt, now), ct);
            if (claimed == 0 && !await db.Tasks.AnyAsync(t => t.Id == taskId && t.Status == WorkTaskStatus.Pending, ct))
            {
                return CommandOutcome.Refused(Problems.Conflict("The task was closed just now; there is nothing to remind of.", "task-closed"));
            }
        }

        if (claimed == 0)
        {
            // Too soon after the last reminder, or a second click raced this one.
            var retry = (nextAllowed ?? now + interval) - now;
            var seconds = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds));
            // A racing first reminder leaves no earlier time on the row read here; it was just now.
            var remindedAt = CountyTime.Seconds(task.LastNudgedAt ?? now);
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return CommandOutcome.Refused(Problems.Create(
                StatusCodes.Status429TooManyRequests,
                "Reminded recently",
                $"This task was reminded at {remindedAt} (Beijing time); the next reminder is possible in {seconds} s.",
                "remind-too-soon",
                remindedAt,
                seconds));
        }

        var section = await db.Sections.AsNoTracking().SingleAsync(s => s.Id == task.SectionId, ct);
        var trimmed = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        OutboxWriter.Add(db, new C.TaskReminded(section.ReportId, section.Id, task.StageKey, user.Id, task.Id, task.AssigneeId, section.CurrentHash, task.DueAt, Manual: true, trimmed, now), section.ReportId, section.Id, now);
        await audit.AppendAsync(section.ReportId, section.Id, user.Id, user.DisplayName, "task.remind", new { taskId, stage = task.StageKey, assignee = task.AssigneeId, note = trimmed }, ct);
        return CommandOutcome.Done(new NudgeResult(task.Id, task.AssigneeId, now, now + interval));
    }
}

public sealed record NudgeResult(Guid TaskId, string AssigneeId, DateTimeOffset RemindedAt, DateTimeOffset NextAllowedAt);
