using System.Collections.Immutable;

namespace Workflow.Activities.Engine;

public enum SectionStatus
{
    Draft,
    InReview,
    Returned,
    Approved,
}

public enum WorkTaskStatus
{
    Pending,
    Completed,
    Cancelled,
}

public enum Decision
{
    Approved,
    Returned,
}

/// <summary>
/// A version as the engine sees it. MissingFigures are short excerpts around placeholders (发展党员X名) the
/// host found in its text; a stage may refuse approval while any remain.
/// </summary>
public sealed record VersionRef(int Number, string Hash, string AuthorId, ImmutableArray<string> MissingFigures = default)
{
    public bool HasMissingFigures => !MissingFigures.IsDefaultOrEmpty;
}

/// <summary>A bookmark: one person who must act at one stage visit. Never removed, only closed.</summary>
public sealed record WorkTask(
    int StageIndex,
    int Cycle,
    string AssigneeId,
    WorkTaskStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DueAt,
    DateTimeOffset? ClosedAt);

/// <summary>A reviewer's decision bound to one exact version (invariant 1). Dismissed ones stay as history.</summary>
public sealed record SignOff(
    int StageIndex,
    int Cycle,
    string ActorId,
    Decision Decision,
    int VersionNumber,
    string VersionHash,
    string? Opinion,
    DateTimeOffset At,
    bool Dismissed);

/// <summary>
/// Everything the engine needs to decide a command on one section. Tasks and sign-offs are append-only
/// lists whose entries keep their position, so persistence can store them row by row and rebuild the
/// same state. A cycle starts anew every time the section is returned to its author.
/// </summary>
public sealed record SectionState(
    int StageIndex,
    SectionStatus Status,
    int Cycle,
    VersionRef Version,
    ImmutableList<WorkTask> Tasks,
    ImmutableList<SignOff> SignOffs)
{
    public IEnumerable<WorkTask> PendingTasks => Tasks.Where(t => t.Status == WorkTaskStatus.Pending);

    public bool HoldsPendingTask(string userId) =>
        Tasks.Any(t => t.Status == WorkTaskStatus.Pending && t.StageIndex == StageIndex && t.Cycle == Cycle && t.AssigneeId == userId);

    /// <summary>Decisions at the current stage visit that still count.</summary>
    public IEnumerable<SignOff> LiveSignOffsAt(int stageIndex) =>
        SignOffs.Where(s => s.StageIndex == stageIndex && s.Cycle == Cycle && !s.Dismissed);
}
