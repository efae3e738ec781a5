using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Engine;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Features.Tasks;

/// <summary>
/// The deadline scanner: finds the tasks whose reminder (催办) before the due time or overdue notice with escalation
/// after it is due, and sends each as a <see cref="SendDeadlineNotice"/> command of the system actor, through the
/// pipeline like any other command; the bus delivers it after the commit like any other event.
/// </summary>
public sealed class TaskReminders(WorkflowDbContext db, CommandPipeline pipeline, TimeProvider clock, ILogger<TaskReminders> logger)
{
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

    /// <summary>One notice as a command of the system actor; false when it was not due any more (closed, or sent by another host).</summary>
    private async Task<bool> SendAsync(Guid taskId, DeadlineAction action, CancellationToken ct)
    {
        var sent = await pipeline.SendAsync(new SendDeadlineNotice(CurrentUser.System, taskId, action), ct);
        if (sent.Succeeded)
        {
            logger.LogInformation("Deadline {Action} sent for task {Task}", action, taskId);
        }

        return sent.Succeeded;
    }
}
