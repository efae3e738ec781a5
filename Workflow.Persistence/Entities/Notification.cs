namespace Workflow.Persistence.Entities;

/// <summary>An in-app notice (待办 / 通知) for one user, written by a message consumer.</summary>
public sealed class Notification
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>task-assigned, section-returned, section-approved, report-completed.</summary>
    public required string Kind { get; set; }

    public required string Text { get; set; }

    public Guid? ReportId { get; set; }

    public Guid? SectionId { get; set; }

    /// <summary>The message that caused it, so one message never gives the same user two notices.</summary>
    public Guid MessageId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ReadAt { get; set; }
}
