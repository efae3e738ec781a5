using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Workflow.Activities.Engine;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using C = Workflow.Activities.Contracts;

namespace Workflow.Host.Features.Tasks;

/// <summary>
/// 催办 by hand: the report's clerk or an administrator nudges the holder of a pending task, once per task per
/// Deadlines:ManualReminderInterval, so a holder is not flooded.
/// </summary>
public sealed record RemindTask(CurrentUser Actor, Guid TaskId, string? Note) : Command<NudgeResult>(Actor)
{
    public const int MaxNoteCharacters = 500;

    public override Refusal? Validate() =>
        (Note?.Length ?? 0) > MaxNoteCharacters ? Refusal.Invalid("note", $"A reminder note is at most {MaxNoteCharacters} characters.") : null;
}

public sealed record NudgeResult(Guid TaskId, string AssigneeId, DateTimeOffset RemindedAt, DateTimeOffset NextAllowedAt);

public sealed class RemindTaskHandler(WorkflowDbContext db, AuditTrail audit, TimeProvider clock, IOptions<DeadlineOptions> options) : ICommandHandler<RemindTask, NudgeResult>
{
    public async Task<CommandResult<NudgeResult>> HandleAsync(RemindTask command, CancellationToken ct)
    {
        var (user, taskId, interval) = (command.Actor, command.TaskId, options.Value.ManualReminderInterval);
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, ct);
        var report = task is null ? null : await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == task.ReportId, ct);
        if (task is null || report is null || !(user.SeesWholeCounty || report.CreatedById == user.Id))
        {
            return Refusal.NotFound("The task");
        }

        if (!user.IsInRole(Roles.Admin) && report.CreatedById != user.Id)
        {
            return Refusal.Forbidden("Only the report's clerk or an administrator may send a reminder (催办).");
        }

        if (task.Status != WorkTaskStatus.Pending)
        {
            return Refusal.Conflict("The task is no longer pending; there is nothing to remind of.", "task-closed");
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
                return Refusal.Conflict("The task was closed just now; there is nothing to remind of.", "task-closed");
            }
        }

        if (claimed == 0)
        {
            // Too soon after the last reminder, or a second click raced this one.
            var retry = (nextAllowed ?? now + interval) - now;
            var seconds = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds));
            // A racing first reminder leaves no earlier time on the row read here; it was just now.
            var remindedAt = CountyTime.Seconds(task.LastNudgedAt ?? now);
            return Refusal.Create(
                StatusCodes.Status429TooManyRequests,
                "Reminded recently",
                $"This task was reminded at {remindedAt} (Beijing time); the next reminder is possible in {seconds} s.",
                "remind-too-soon",
                remindedAt,
                seconds) with { RetryAfterSeconds = seconds };
        }

        var section = await db.Sections.AsNoTracking().SingleAsync(s => s.Id == task.SectionId, ct);
        var note = string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim();
        OutboxWriter.Add(db, new C.TaskReminded(section.ReportId, section.Id, task.StageKey, user.Id, task.Id, task.AssigneeId, section.CurrentHash, task.DueAt, Manual: true, note, now), section.ReportId, section.Id, now);
        await audit.AppendAsync(section.ReportId, section.Id, user.Id, user.DisplayName, "task.remind", new { taskId, stage = task.StageKey, assignee = task.AssigneeId, note }, ct);
        return CommandResult<NudgeResult>.Done(new NudgeResult(task.Id, task.AssigneeId, now, now + interval));
    }
}
