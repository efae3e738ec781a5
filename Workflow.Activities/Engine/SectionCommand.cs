using System.Collections.Immutable;

namespace Workflow.Activities.Engine;

/// <summary>
/// A request by one actor. <c>Version</c> is the version number the actor saw; the engine binds the
/// decision to that version's hash and rejects it if the section has moved on.
/// </summary>
public abstract record SectionCommand(string ActorId)
{
    public abstract string Name { get; }
}

public sealed record EditCommand(string ActorId, int BaseVersion, string NewHash, string? Note, ImmutableArray<string> MissingFigures = default) : SectionCommand(ActorId)
{
    public override string Name => "edit";
}

public sealed record SubmitCommand(string ActorId, int Version, string? Opinion) : SectionCommand(ActorId)
{
    public override string Name => "submit";
}

public sealed record ApproveCommand(string ActorId, int Version, string? Opinion) : SectionCommand(ActorId)
{
    public override string Name => "approve";
}

public sealed record ReturnCommand(string ActorId, int Version, string? Opinion) : SectionCommand(ActorId)
{
    public override string Name => "return";
}

public sealed record WithdrawCommand(string ActorId, int Version, string? Opinion) : SectionCommand(ActorId)
{
    public override string Name => "withdraw";
}

/// <summary>Hands the section to another author (and so its draft task); allowed only while it is with its author.</summary>
public sealed record ReassignCommand(string ActorId, string NewAuthorId) : SectionCommand(ActorId)
{
    public override string Name => "assign";
}

/// <summary>Re-reads who may hold the current review stage: departed holders lose their task, new ones get one.</summary>
public sealed record RefreshReviewersCommand(string ActorId) : SectionCommand(ActorId)
{
    public override string Name => "refresh-reviewers";
}
