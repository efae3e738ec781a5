using Microsoft.EntityFrameworkCore;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Messaging;

/// <summary>
/// In-app notices (待办, returns with their opinion, approvals, completion, 催办 and overdue escalations).
/// Idempotent: the inbox row and the notices are written in one transaction keyed by the message id, so a
/// redelivery changes nothing.
/// </summary>
public sealed class NotificationConsumer(WorkflowDbContext db, NoticeComposer composer, WriteGate gate, TimeProvider clock) : NoticeConsumer(composer)
{
    public const string Name = "notifications";

    protected override async Task DeliverAsync(Guid messageId, IReadOnlyList<Notice> notices, CancellationToken ct)
    {
        // Through the write gate like every SQLite writer (consumers run concurrently, and SQLite's own busy
        // wait sleeps in 150 ms steps); ahead of waiting commands, as the write is short and latency matters.
        using var turn = await gate.EnterAsync(ct, urgentWrite: true);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.Inbox.AnyAsync(i => i.Consumer == Name && i.MessageId == messageId, ct))
        {
            return;
        }

        db.Inbox.Add(new InboxRecord { Consumer = Name, MessageId = messageId, ProcessedAt = clock.GetUtcNow() });
        foreach (var n in notices.DistinctBy(n => n.UserId))
        {
            db.Notifications.Add(new Notification
            {
                Id = Guid.NewGuid(),
                UserId = n.UserId,
                Kind = n.Kind,
                Text = n.Text.Length > 1000 ? n.Text[..1000] : n.Text,
                ReportId = n.ReportId,
                SectionId = n.SectionId,
                MessageId = messageId,
                CreatedAt = clock.GetUtcNow(),
            });
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}
