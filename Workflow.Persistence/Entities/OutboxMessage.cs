namespace Workflow.Persistence.Entities;

/// <summary>An event written in the same transaction as the change that raised it; a dispatcher publishes it later.</summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }

    public required string MessageType { get; set; }

    public required string Payload { get; set; }

    public Guid? ReportId { get; set; }

    public Guid? SectionId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }
}
