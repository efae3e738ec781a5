namespace Workflow.Activities.Contracts;

// Messages published on the bus. Their names are part of the wire format (MassTransit names them
// urn:message:Workflow.Activities.Contracts:<Name>), so they are not renamed once published.

public sealed record SectionSubmitted(Guid ReportId, Guid SectionId, string Stage, string ActorId, int Version, string VersionHash, DateTimeOffset At);

public sealed record SectionApproved(Guid ReportId, Guid SectionId, string Stage, string ActorId, int Version, string VersionHash, string? Opinion, DateTimeOffset At, string? OnBehalfOf = null, string? Branch = null);

public sealed record SectionReturned(Guid ReportId, Guid SectionId, string Stage, string ActorId, int Version, string VersionHash, string Opinion, DateTimeOffset At, string ToStage = "draft", string? OnBehalfOf = null);

/// <summary>Kind: Regular, AddedBefore/AddedAfter/AddedParallel (加签), Delegated (委派), Fallback (nobody else could hold it).</summary>
public sealed record TaskAssigned(Guid ReportId, Guid SectionId, string Stage, string ActorId, string AssigneeId, string VersionHash, DateTimeOffset? DueAt, DateTimeOffset At, string Kind = "Regular");

public sealed record SectionFinalized(Guid ReportId, Guid SectionId, string Stage, string ActorId, int Version, string VersionHash, DateTimeOffset At);

public sealed record ReportCompleted(Guid ReportId, string ActorId, DateTimeOffset At);

/// <summary>催办: a nudge to the holder of a pending task, automatic before its due time or by hand (Manual, with the clerk's note).</summary>
public sealed record TaskReminded(Guid ReportId, Guid SectionId, string Stage, string ActorId, Guid TaskId, string AssigneeId, string VersionHash, DateTimeOffset? DueAt, bool Manual, string? Note, DateTimeOffset At);

/// <summary>A pending task passed its due time: told to its holder and escalated to the next level up (EscalatedTo).</summary>
public sealed record TaskOverdue(Guid ReportId, Guid SectionId, string Stage, string ActorId, Guid TaskId, string AssigneeId, IReadOnlyList<string> EscalatedTo, string VersionHash, DateTimeOffset DueAt, DateTimeOffset At);

/// <summary>
/// One of the OA operations on a section: withdraw (撤回), reclaim (拿回), cancel (撤销), transfer (转办), delegate
/// (委派), advise, add-signer (加签, Position before/after/parallel), remove-signer (减签), refuse (a countersign
/// branch's refusal), skip (a stage or branch passed over). TargetId is the person it concerns (the new holder, the
/// added or removed signer, the one advised); Text the opinion, note or reason.
/// </summary>
public sealed record SectionOperated(Guid ReportId, Guid SectionId, string Operation, string Stage, string ActorId, string? TargetId, string? ToStage, string? Position, string? Text, DateTimeOffset At);

/// <summary>签发: the report was signed off as a whole and locked as 定稿 <paramref name="Final"/>, bound to <paramref name="Hash"/>.</summary>
public sealed record ReportSignedOff(Guid ReportId, string ActorId, int Final, string Hash, DateTimeOffset At);

/// <summary>复审: an administrator reopened 定稿 <paramref name="Final"/> and sent the named parts back.</summary>
public sealed record ReportReopened(Guid ReportId, string ActorId, int Final, string Reason, IReadOnlyList<Guid> Sections, DateTimeOffset At);
