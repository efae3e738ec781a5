namespace Workflow.Persistence.Entities;

/// <summary>The first response to a command sent with an Idempotency-Key, replayed for repeats by the same user.</summary>
public sealed class IdempotencyRecord
{
    public required string UserId { get; set; }

    public required string Key { get; set; }

    /// <summary>SHA-256 of method, path and body, so a key reused for a different request is refused.</summary>
    public required string RequestHash { get; set; }

    public int StatusCode { get; set; }

    public required string ResponseBody { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
