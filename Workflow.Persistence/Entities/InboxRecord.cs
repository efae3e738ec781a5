namespace Workflow.Persistence.Entities;

/// <summary>A message a consumer has already handled; a redelivery of the same message id is skipped.</summary>
public sealed class InboxRecord
{
    public required string Consumer { get; set; }

    public Guid MessageId { get; set; }

    public DateTimeOffset ProcessedAt { get; set; }
}
