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

    /// <summary>The stage visit (0 on rows kept before visits were); see <see cref="SectionMove"/>.</summary>
    public int Visit { get; set; }

    /// <summary>The branch of the stage (a department code, a person's id); empty on rows kept before branches were.</summary>
    public string Branch { get; set; } = "";

    public TaskKind Kind { get; set; }

    /// <summary>The position (Ordinal) of the task this one was added to, delegated from or handed on from.</summary>
    public int? ParentOrdinal { get; set; }

    /// <summary>Who added, delegated or transferred the task to its holder.</summary>
    public string? ById { get; set; }

    public int Depth { get; set; }

    /// <summary>When the automatic reminder before DueAt went out; set once, so a restart never repeats it.</summary>
    public DateTimeOffset? RemindedAt { get; set; }

    /// <summary>When the overdue notice and escalation went out; set once.</summary>
    public DateTimeOffset? OverdueNotifiedAt { get; set; }

    /// <summary>The last reminder sent by hand (催办), for rate limiting.</summary>
    public DateTimeOffset? LastNudgedAt { get; set; }
}
