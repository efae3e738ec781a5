using System.Collections.Immutable;

namespace Workflow.Activities.Engine;

/// <summary>
/// What happened to a section. The host adds report and section ids when it writes them to the outbox.
/// Stage is the stage key; Hash is the content hash of the version concerned.
/// </summary>
public abstract record SectionEvent(string ActorId, DateTimeOffset At);

public sealed record SectionCreated(string ActorId, DateTimeOffset At, int Version, string Hash) : SectionEvent(ActorId, At);

public sealed record SectionEdited(string ActorId, DateTimeOffset At, string Stage, int Version, string Hash, string? Note) : SectionEvent(ActorId, At);

public sealed record SectionSubmitted(string ActorId, DateTimeOffset At, int Version, string Hash) : SectionEvent(ActorId, At);

public sealed record SectionApproved(string ActorId, DateTimeOffset At, string Stage, int Version, string Hash, string? Opinion) : SectionEvent(ActorId, At)
{
    public string? OnBehalfOf { get; init; }

    public string Branch { get; init; } = "";
}

public sealed record StageCompleted(string ActorId, DateTimeOffset At, string Stage, string Hash) : SectionEvent(ActorId, At);

public sealed record SectionFinalized(string ActorId, DateTimeOffset At, int Version, string Hash) : SectionEvent(ActorId, At);

public sealed record SectionReturned(string ActorId, DateTimeOffset At, string Stage, int Version, string Hash, string Opinion) : SectionEvent(ActorId, At)
{
    /// <summary>The stage it went back to ("draft" for the author).</summary>
    public string ToStage { get; init; } = "draft";

    public string? OnBehalfOf { get; init; }
}

public sealed record SectionWithdrawn(string ActorId, DateTimeOffset At, string FromStage, string ToStage, string? Opinion) : SectionEvent(ActorId, At);

public sealed record ApprovalDismissed(string ActorId, DateTimeOffset At, string Stage, string ApproverId, string Hash) : SectionEvent(ActorId, At);

public sealed record TaskAssigned(string ActorId, DateTimeOffset At, string Stage, string AssigneeId, DateTimeOffset? DueAt) : SectionEvent(ActorId, At)
{
    public TaskKind Kind { get; init; }

    public string Branch { get; init; } = "";
}

public sealed record TaskClosed(string ActorId, DateTimeOffset At, string Stage, string AssigneeId, WorkTaskStatus Outcome) : SectionEvent(ActorId, At);

public sealed record SectionReassigned(string ActorId, DateTimeOffset At, string PreviousAuthorId, string NewAuthorId) : SectionEvent(ActorId, At);

/// <summary>A countersign branch returned the text under "countAsRefusal": a refusal, while the quorum can still be met.</summary>
public sealed record BranchRefused(string ActorId, DateTimeOffset At, string Stage, string Branch, int Version, string Hash, string Opinion) : SectionEvent(ActorId, At);

public sealed record SectionReclaimed(string ActorId, DateTimeOffset At, string FromStage, string ToStage, string? Opinion) : SectionEvent(ActorId, At);

public sealed record SectionReopened(string ActorId, DateTimeOffset At, string ToStage, string Reason) : SectionEvent(ActorId, At);

public sealed record SectionCancelled(string ActorId, DateTimeOffset At, string Stage, string Reason) : SectionEvent(ActorId, At);

public sealed record SignerAdded(string ActorId, DateTimeOffset At, string Stage, string SignerId, SignerPosition Position, string? Note) : SectionEvent(ActorId, At);

public sealed record SignerRemoved(string ActorId, DateTimeOffset At, string Stage, string SignerId) : SectionEvent(ActorId, At);

public sealed record TaskTransferred(string ActorId, DateTimeOffset At, string Stage, string ToId, string? Opinion) : SectionEvent(ActorId, At);

public sealed record TaskDelegated(string ActorId, DateTimeOffset At, string Stage, string ToId, string? Note) : SectionEvent(ActorId, At);

public sealed record SectionAdvised(string ActorId, DateTimeOffset At, string Stage, int Version, string Hash, string? Opinion, string ForId) : SectionEvent(ActorId, At);

/// <summary>A stage (or some of its branches) passed over: nobody had to act (the submitter's own branch, under "skip").</summary>
public sealed record StageSkipped(string ActorId, DateTimeOffset At, string Stage, ImmutableArray<string> Branches) : SectionEvent(ActorId, At);
