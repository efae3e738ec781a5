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

    /// <summary>The task holder a proxy decides for, when the proxy holds more than one principal's task.</summary>
    public string? OnBehalfOf { get; init; }
}

public sealed record ReturnCommand(string ActorId, int Version, string? Opinion) : SectionCommand(ActorId)
{
    public override string Name => "return";

    /// <summary>The stage key to return to: the draft (author) unless another stage already passed is named.</summary>
    public string? ToStage { get; init; }

    /// <summary>Where the resubmission goes; the route's choice when not given.</summary>
    public Routes.ResubmitTo? ResubmitTo { get; init; }

    public string? OnBehalfOf { get; init; }
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

/// <summary>拿回: a reviewer takes back their approval while the stage it sent the section to has not acted.</summary>
public sealed record ReclaimCommand(string ActorId, int Version, string? Opinion) : SectionCommand(ActorId)
{
    public override string Name => "reclaim";
}

/// <summary>撤销: an administrator ends the section's review run; it goes back to its author as a new draft.</summary>
public sealed record CancelCommand(string ActorId, string? Reason) : SectionCommand(ActorId)
{
    public override string Name => "cancel";
}

/// <summary>
/// 复审: an administrator sends an approved section back for re-review — to its author (ToStage null or the draft
/// stage) or to a stage of its route — because its report's final was reopened.
/// </summary>
public sealed record ReopenCommand(string ActorId, string? ToStage, string? Reason) : SectionCommand(ActorId)
{
    public override string Name => "reopen";
}

public enum SignerPosition
{
    /// <summary>The adder's task waits until the added signer has decided.</summary>
    Before,
    /// <summary>The added signer is asked once the adder approved.</summary>
    After,
    /// <summary>The added signer is asked now, beside the adder.</summary>
    Parallel,
}

/// <summary>加签: the holder of a task asks another person to sign before, after or beside them.</summary>
public sealed record AddSignerCommand(string ActorId, int Version, string SignerId, SignerPosition Position, string? Note) : SectionCommand(ActorId)
{
    public override string Name => "add-signer";
}

/// <summary>减签: whoever added a signer (or an administrator, Privileged) withdraws them while they have not decided.</summary>
public sealed record RemoveSignerCommand(string ActorId, int TaskIndex, bool Privileged) : SectionCommand(ActorId)
{
    public override string Name => "remove-signer";
}

/// <summary>转办: the holder hands their task to another person for good.</summary>
public sealed record TransferCommand(string ActorId, string ToId, string? Opinion) : SectionCommand(ActorId)
{
    public override string Name => "transfer";
}

/// <summary>委派: the holder asks another person to advise; the task comes back to them for the decision.</summary>
public sealed record DelegateCommand(string ActorId, string ToId, string? Note) : SectionCommand(ActorId)
{
    public override string Name => "delegate";
}

/// <summary>A delegate's advice, which hands the task back to the one who delegated it.</summary>
public sealed record AdviseCommand(string ActorId, int Version, string? Opinion) : SectionCommand(ActorId)
{
    public override string Name => "advise";
}
