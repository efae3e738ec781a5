namespace Workflow.Activities.Engine;

/// <summary>
/// What happened to a section. The host adds report and section ids when it writes them to the outbox.
/// Stage is the stage key; Hash is the content hash of the version concerned.
/// </summary>
public abstract record SectionEvent(string ActorId, DateTimeOffset At);

public sealed record SectionCreated(string ActorId, DateTimeOffset At, int Version, string Hash) : SectionEvent(ActorId, At);

public sealed record SectionEdited(string ActorId, DateTimeOffset At, string Stage, int Version, string Hash, string? Note) : SectionEvent(ActorId, At);

public sealed record SectionSubmitted(string ActorId, DateTimeOffset At, int Version, string Hash) : SectionEvent(ActorId, At);

public sealed record SectionApproved(string ActorId, DateTimeOffset At, string Stage, int Version, string Hash, string? Opinion) : SectionEvent(ActorId, At);

public sealed record StageCompleted(string ActorId, DateTimeOffset At, string Stage, string Hash) : SectionEvent(ActorId, At);

public sealed record SectionFinalized(string ActorId, DateTimeOffset At, int Version, string Hash) : SectionEvent(ActorId, At);

public sealed record SectionReturned(string ActorId, DateTimeOffset At, string Stage, int Version, string Hash, string Opinion) : SectionEvent(ActorId, At);

public sealed record SectionWithdrawn(string ActorId, DateTimeOffset At, string FromStage, string ToStage, string? Opinion) : SectionEvent(ActorId, At);

public sealed record ApprovalDismissed(string ActorId, DateTimeOffset At, string Stage, string ApproverId, string Hash) : SectionEvent(ActorId, At);

public sealed record TaskAssigned(string ActorId, DateTimeOffset At, string Stage, string AssigneeId, DateTimeOffset? DueAt) : SectionEvent(ActorId, At);

public sealed record TaskClosed(string ActorId, DateTimeOffset At, string Stage, string AssigneeId, WorkTaskStatus Outcome) : SectionEvent(ActorId, At);

public sealed record SectionReassigned(string ActorId, DateTimeOffset At, string PreviousAuthorId, string NewAuthorId) : SectionEvent(ActorId, At);
