using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Workflow.Host.Workflow;

/// <summary>
/// How a command ended: done with a value and a status (200, 201), or refused. A repeat under an idempotency key is
/// <see cref="Replayed"/>: it carries the first answer exactly as it was kept (<see cref="Json"/>), and its value or
/// refusal read back from it.
/// </summary>
public sealed class CommandResult<T>
{
    private readonly Lazy<T>? stored;
    private readonly T? value;

    private CommandResult(int status, T? value, Refusal? refusal, string? json, Lazy<T>? stored)
    {
        Status = status;
        this.value = value;
        Refusal = refusal;
        Json = json;
        this.stored = stored;
    }

    public int Status { get; }

    public Refusal? Refusal { get; }

    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool Succeeded => Refusal is null;

    /// <summary>The answer's value; only for a command that succeeded.</summary>
    public T Value => Succeeded
        ? stored is not null ? stored.Value : value!
        : throw new InvalidOperationException($"The command was refused ({Refusal.Code}); it has no value.");

    /// <summary>True when this is the first answer to the same idempotency key, given again.</summary>
    public bool Replayed { get; private init; }

    /// <summary>The answer as kept for its idempotency key (and sent by the API byte for byte); null when none was kept.</summary>
    public string? Json { get; }

    public static CommandResult<T> Done(T value, int status = StatusCodes.Status200OK) => new(status, value, null, null, null);

    public static CommandResult<T> Refused(Refusal refusal) => new(refusal.Status, default, refusal, null, null);

    public static implicit operator CommandResult<T>(Refusal refusal) => Refused(refusal);

    /// <summary>The same answer, with the JSON it was kept as.</summary>
    internal CommandResult<T> Kept(string json) => new(Status, value, Refusal, json, stored);

    /// <summary>A kept answer given again; its value is read from the JSON only if someone asks for it.</summary>
    internal static CommandResult<T> Replay(int status, string json, JsonSerializerOptions options) =>
        status >= 400
            ? new(status, default, Refusal.FromStored(status, json), json, null) { Replayed = true }
            : new(status, default, null, json, new Lazy<T>(() => JsonSerializer.Deserialize<T>(json, options)!)) { Replayed = true };
}
