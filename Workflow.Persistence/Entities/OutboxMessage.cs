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

    /// <summary>Which dispatcher holds the row and until when; another host takes it over after that.</summary>
    public string? LockedBy { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>Back-off after a failed publish.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>Set after too many failures: the message waits for a person, its error in LastError.</summary>
    public DateTimeOffset? ParkedAt { get; set; }
}
