using MassTransit;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Contracts;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Messaging;

/// <summary>
/// Writes in-app notices: a new 待办 for the task holder, the opinion to the author of a returned section,
/// the approval of a section to its author, and completion of a report to its clerk. Idempotent: the inbox
/// row and the notices are written in one transaction keyed by the message id, so a redelivery changes nothing.
/// </summary>
public sealed class NotificationConsumer(WorkflowDbContext db, TimeProvider clock) :
    IConsumer<TaskAssigned>, IConsumer<SectionReturned>, IConsumer<SectionFinalized>, IConsumer<ReportCompleted>
{
    private const string Name = "notifications";

    public Task Consume(ConsumeContext<TaskAssigned> context) => WriteAsync(context, async ct =>
    {
        var m = context.Message;
        var title = await SectionTitleAsync(m.SectionId, ct);
        return [(m.AssigneeId, "task-assigned", $"新的待办：{title}（{StageName(m.Stage)}）", m.ReportId, m.SectionId)];
    });

    public Task Consume(ConsumeContext<SectionReturned> context) => WriteAsync(context, async ct =>
    {
        var m = context.Message;
        var section = await db.Sections.AsNoTracking().FirstAsync(s => s.Id == m.SectionId, ct);
        return [(section.AuthorId!, "section-returned", $"“{section.Number}{section.Title}”被退回，意见：{m.Opinion}", m.ReportId, m.SectionId)];
    });

    public Task Consume(ConsumeContext<SectionFinalized> context) => WriteAsync(context, async ct =>
    {
        var m = context.Message;
        var section = await db.Sections.AsNoTracking().FirstAsync(s => s.Id == m.SectionId, ct);
        return [(section.AuthorId!, "section-approved", $"“{section.Number}{section.Title}”已审核通过", m.ReportId, m.SectionId)];
    });

    public Task Consume(ConsumeContext<ReportCompleted> context) => WriteAsync(context, async ct =>
    {
        var report = await db.Reports.AsNoTracking().FirstAsync(r => r.Id == context.Message.ReportId, ct);
        return [(report.CreatedById, "report-completed", $"《{report.Title}》各部分均已通过，可以签发", report.Id, (Guid?)null)];
    });

    private async Task WriteAsync<T>(ConsumeContext<T> context, Func<CancellationToken, Task<List<(string UserId, string Kind, string Text, Guid ReportId, Guid? SectionId)>>> notices)
        where T : class
    {
        var ct = context.CancellationToken;
        var messageId = context.MessageId ?? throw new InvalidOperationException("Messages from the outbox always carry a message id.");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.Inbox.AnyAsync(i => i.Consumer == Name && i.MessageId == messageId, ct))
        {
            return;
        }

        db.Inbox.Add(new InboxRecord { Consumer = Name, MessageId = messageId, ProcessedAt = clock.GetUtcNow() });
        foreach (var (userId, kind, text, reportId, sectionId) in await notices(ct))
        {
            db.Notifications.Add(new Notification
            {
                Id = Guid.NewGuid(),
                UserId = userId,
                Kind = kind,
                Text = text.Length > 1000 ? text[..1000] : text,
                ReportId = reportId,
                SectionId = sectionId,
                MessageId = messageId,
                CreatedAt = clock.GetUtcNow(),
            });
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private async Task<string> SectionTitleAsync(Guid sectionId, CancellationToken ct) =>
        await db.Sections.AsNoTracking().Where(s => s.Id == sectionId).Select(s => s.Number + s.Title).FirstAsync(ct);

    private static string StageName(string stage) => stage switch
    {
        "draft" => "起草",
        "department" => "部门审核",
        "committee" => "县委审核",
        _ => stage,
    };
}
