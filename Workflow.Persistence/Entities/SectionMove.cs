using Workflow.Activities.Engine;

namespace Workflow.Persistence.Entities;

/// <summary>
/// One row per engine <see cref="Move"/>, at the same position (Ordinal) in the section's path: the section entered a
/// stage visit, who sent it and why. The section page draws the path from these; withdraw and reclaim go back along it.
/// </summary>
public sealed class SectionMove
{
    public Guid Id { get; set; }

    public Guid SectionId { get; set; }

    public Guid ReportId { get; set; }

    public int Ordinal { get; set; }

    public int Visit { get; set; }

    public int StageIndex { get; set; }

    public required string StageKey { get; set; }

    public int Cycle { get; set; }

    public required string ActorId { get; set; }

    public MoveReason Reason { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The visit's branch keys in order, one per line.</summary>
    public string Branches { get; set; } = "";

    /// <summary>The branches passed over, one per line.</summary>
    public string Skipped { get; set; } = "";

    public int? ResumeAt { get; set; }

    public string? Note { get; set; }
}
