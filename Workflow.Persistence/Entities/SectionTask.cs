using Workflow.Activities.Engine;

namespace Workflow.Persistence.Entities;

/// <summary>One row per engine <see cref="WorkTask"/>, at the same position (Ordinal) in the section's list.</summary>
public sealed class SectionTask
{
    public Guid Id { get; set; }

    public Guid SectionId { get; set; }

    public Guid ReportId { get; set; }

    public int Ordinal { get; set; }

    public int StageIndex { get; set; }

    public required string StageKey { get; set; }

    public int Cycle { get; set; }

    public required string AssigneeId { get; set; }

    public WorkTaskStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>When the automatic reminder before DueAt went out; set once, so a restart never repeats it.</summary>
    public DateTimeOffset? RemindedAt { get; set; }

    /// <summary>When the overdue notice and escalation went out; set once.</summary>
    public DateTimeOffset? OverdueNotifiedAt { get; set; }

    /// <summary>The last reminder sent by hand (催办), for rate limiting.</summary>
    public DateTimeOffset? LastNudgedAt { get; set; }
}
