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
    /// <summary>Held back: its holder waits for someone added before them (加签) or for a delegate's advice (委派).</summary>
    Waiting,
}

/// <summary>Why a task exists: the stage asked for it, or someone added, delegated or fell back to its holder.</summary>
public enum TaskKind
{
    /// <summary>Asked by the stage (or handed on by 转办, which keeps what it was).</summary>
    Regular,
    /// <summary>加签 before: the adder's task waits until this one is decided.</summary>
    AddedBefore,
    /// <summary>加签 after: asked once the adder approved; the branch needs both.</summary>
    AddedAfter,
    /// <summary>加签 alongside: asked now; the branch needs both.</summary>
    AddedParallel,
    /// <summary>委派: advises, then the task goes back to the one who delegated.</summary>
    Delegated,
    /// <summary>Nobody could hold the stage, so the report's clerk was asked.</summary>
    Fallback,
}

public enum Decision
{
    Approved,
    Returned,
    /// <summary>A delegate's advice (委派): shown on the sheet, never counted as an approval.</summary>
    Advised,
}

/// <summary>
/// A version as the engine sees it. MissingFigures are short excerpts around placeholders (发展党员X名) the
/// host found in its text; a stage may refuse approval while any remain.
/// </summary>
public sealed record VersionRef(int Number, string Hash, string AuthorId, ImmutableArray<string> MissingFigures = default)
{
    public bool HasMissingFigures => !MissingFigures.IsDefaultOrEmpty;
}

/// <summary>
/// A bookmark: one person who must act at one visit of one stage, in one branch. Never removed, only closed.
/// Visit tells two visits of a stage apart (after a return); Parent is the position of the task this one was added
/// to, delegated from or transferred from.
/// </summary>
public sealed record WorkTask(
    int StageIndex,
    int Cycle,
    string AssigneeId,
    WorkTaskStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DueAt,
    DateTimeOffset? ClosedAt)
{
    public int Visit { get; init; }

    public string Branch { get; init; } = "";

    public TaskKind Kind { get; init; }

    public int? Parent { get; init; }

    /// <summary>Who added, delegated or transferred it to its holder.</summary>
    public string? By { get; init; }

    /// <summary>How many 加签 lie between this task and one the stage asked for.</summary>
    public int Depth { get; init; }

    public bool Open => Status is WorkTaskStatus.Pending or WorkTaskStatus.Waiting;
}

/// <summary>A decision bound to one exact version (invariant 1). Dismissed ones stay as history.</summary>
public sealed record SignOff(
    int StageIndex,
    int Cycle,
    string ActorId,
    Decision Decision,
    int VersionNumber,
    string VersionHash,
    string? Opinion,
    DateTimeOffset At,
    bool Dismissed)
{
    public int Visit { get; init; }

    public string Branch { get; init; } = "";

    /// <summary>The kind of task it decided (an added signer's, a clerk's, …).</summary>
    public TaskKind Kind { get; init; }

    /// <summary>The task holder a proxy (委托) decided for; ActorId is then the proxy.</summary>
    public string? OnBehalfOf { get; init; }
}

public enum MoveReason
{
    Start,
    Submit,
    /// <summary>A stage's quorum was met and the section went on.</summary>
    Advance,
    /// <summary>Nobody had to act at a stage (every branch skipped), so it was passed over.</summary>
    Skip,
    Return,
    Withdraw,
    Reclaim,
    Cancel,
    /// <summary>An approved section sent back for re-review (复审) with its report's final.</summary>
    Reopen,
}

/// <summary>
/// One step of the section's path: it entered (or re-entered) a stage. Visit numbers the stage visit the tasks and
/// decisions belong to; a withdrawal re-opens the visit it goes back to. Branches lists the visit's branches in
/// order (a sequential stage asks them one by one); Skipped those passed over. ResumeAt is where a completion goes
/// when the return that led here said "straight back to the returner".
/// </summary>
public sealed record Move(int Visit, int StageIndex, int Cycle, string ActorId, MoveReason Reason, DateTimeOffset At)
{
    public ImmutableArray<string> Branches { get; init; } = [];

    public ImmutableArray<string> Skipped { get; init; } = [];

    public int? ResumeAt { get; init; }

    public string? Note { get; init; }
}

/// <summary>
/// Everything the engine needs to decide a command on one section. Tasks, sign-offs and moves are append-only
/// lists whose entries keep their position, so persistence can store them row by row and rebuild the same state.
/// A cycle starts anew every time the section goes back to its author.
/// </summary>
public sealed record SectionState(
    int StageIndex,
    SectionStatus Status,
    int Cycle,
    VersionRef Version,
    ImmutableList<WorkTask> Tasks,
    ImmutableList<SignOff> SignOffs)
{
    public ImmutableList<Move> Moves { get; init; } = [];

    /// <summary>The stage visit now under way (0 for sections started before visits were kept).</summary>
    public int Visit => Moves.IsEmpty ? 0 : Moves[^1].Visit;

    public Move? CurrentMove => Moves.IsEmpty ? null : Moves[^1];

    public IEnumerable<WorkTask> PendingTasks => Tasks.Where(t => t.Status == WorkTaskStatus.Pending);

    public bool IsCurrent(WorkTask t) => t.StageIndex == StageIndex && t.Cycle == Cycle && t.Visit == Visit;

    public bool IsCurrent(SignOff o) => o.StageIndex == StageIndex && o.Cycle == Cycle && o.Visit == Visit;

    public bool HoldsPendingTask(string userId) => Tasks.Any(t => t.Status == WorkTaskStatus.Pending && IsCurrent(t) && t.AssigneeId == userId);

    /// <summary>Decisions at the current visit of a stage that still count (all visits of another stage in this cycle).</summary>
    public IEnumerable<SignOff> LiveSignOffsAt(int stageIndex) =>
        SignOffs.Where(s => s.StageIndex == stageIndex && s.Cycle == Cycle && !s.Dismissed && (stageIndex != StageIndex || s.Visit == Visit));
}
