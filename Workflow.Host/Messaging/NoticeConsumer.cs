using MassTransit;
using Workflow.Activities.Contracts;

namespace Workflow.Host.Messaging;

/// <summary>
/// A channel that delivers the notices of every event people hear about. Subclasses only deliver;
/// who hears what is <see cref="NoticeComposer"/>'s single decision.
/// </summary>
public abstract class NoticeConsumer(NoticeComposer composer) :
    IConsumer<TaskAssigned>, IConsumer<SectionReturned>, IConsumer<SectionFinalized>, IConsumer<ReportCompleted>,
    IConsumer<TaskReminded>, IConsumer<TaskOverdue>, IConsumer<SectionOperated>, IConsumer<ReportSignedOff>, IConsumer<ReportReopened>
{
    public Task Consume(ConsumeContext<TaskAssigned> context) => HandleAsync(context, context.Message);

    public Task Consume(ConsumeContext<SectionReturned> context) => HandleAsync(context, context.Message);

    public Task Consume(ConsumeContext<SectionFinalized> context) => HandleAsync(context, context.Message);

    public Task Consume(ConsumeContext<ReportCompleted> context) => HandleAsync(context, context.Message);

    public Task Consume(ConsumeContext<TaskReminded> context) => HandleAsync(context, context.Message);

    public Task Consume(ConsumeContext<TaskOverdue> context) => HandleAsync(context, context.Message);

    public Task Consume(ConsumeContext<SectionOperated> context) => HandleAsync(context, context.Message);

    public Task Consume(ConsumeContext<ReportSignedOff> context) => HandleAsync(context, context.Message);

    public Task Consume(ConsumeContext<ReportReopened> context) => HandleAsync(context, context.Message);

    /// <summary>Delivers the notices of one message; must be idempotent per message id (redeliveries happen).</summary>
    protected abstract Task DeliverAsync(Guid messageId, IReadOnlyList<Notice> notices, CancellationToken ct);

    private async Task HandleAsync(ConsumeContext context, object message)
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException("Messages from the outbox always carry a message id.");
        var notices = await composer.ComposeAsync(message, context.CancellationToken);
        await DeliverAsync(messageId, notices, context.CancellationToken);
    }
}
