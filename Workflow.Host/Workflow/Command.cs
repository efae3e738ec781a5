using System.Text.Json.Serialization;
using Workflow.Host.Infrastructure;

namespace Workflow.Host.Workflow;

/// <summary>
/// A state-changing request, whoever sends it (API, page form, deadline scanner, CLI): who acts, an optional
/// idempotency key, and in the record that derives from it the target ids, the version the actor saw and the payload.
/// <see cref="CommandPipeline"/> runs it through the one handler registered for its type.
/// </summary>
public abstract record Command<TResult>(CurrentUser Actor)
{
    /// <summary>Who acts; not part of what the idempotency check compares (roles may change between two tries).</summary>
    [JsonIgnore]
    public CurrentUser Actor { get; init; } = Actor;

    /// <summary>A repeat with the same key by the same actor gets the first answer and writes nothing (invariant 6).</summary>
    [JsonIgnore]
    public string? IdempotencyKey { get; init; }

    /// <summary>
    /// The checks of the command's own input, run before the write gate, the transaction or any read, so bad input
    /// costs nothing; null when it may go ahead.
    /// </summary>
    public virtual Refusal? Validate() => null;

    /// <summary>
    /// What the idempotency check compares besides the command's type: by default every field but the actor and the
    /// key. A command with a large or secret payload says what stands for it.
    /// </summary>
    public virtual object Fingerprint() => this;
}

/// <summary>The non-generic face of a handler, for the pipeline to call whatever the command's type.</summary>
public interface ICommandHandler<TResult>
{
    Task<CommandResult<TResult>> HandleAsync(Command<TResult> command, CancellationToken ct);
}

/// <summary>
/// Handles one command type inside the pipeline's transaction: load, ask the engine, add the rows, the audit entry and
/// the outbox messages. It never commits (the pipeline does), and answers a refusal instead of throwing for anything
/// a user can cause.
/// </summary>
public interface ICommandHandler<in TCommand, TResult> : ICommandHandler<TResult>
    where TCommand : Command<TResult>
{
    Task<CommandResult<TResult>> HandleAsync(TCommand command, CancellationToken ct);

    Task<CommandResult<TResult>> ICommandHandler<TResult>.HandleAsync(Command<TResult> command, CancellationToken ct) => HandleAsync((TCommand)command, ct);
}
