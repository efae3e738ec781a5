namespace Workflow.Persistence.Entities;

/// <summary>
/// 委托: while away from From to To, a person lets a proxy decide their tasks (all routes, or the ones listed).
/// Decisions are then recorded as the proxy's, on behalf of the person. Kept after it ends, for the record.
/// </summary>
public sealed class ProxyWindow
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public required string ProxyId { get; set; }

    public DateTimeOffset From { get; set; }

    public DateTimeOffset To { get; set; }

    /// <summary>Route definition ids, one per line; empty for every route.</summary>
    public string Routes { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set when the person ended the window early (or replaced it).</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}
