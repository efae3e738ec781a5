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
}
