using System.Linq.Expressions;

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

    /// <summary>Windows in force at <paramref name="now"/>: begun, not ended, not revoked (a query filter every reader shares).</summary>
    public static Expression<Func<ProxyWindow, bool>> InForceAt(DateTimeOffset now) => w => w.RevokedAt == null && w.From <= now && w.To > now;

    /// <summary>The same rule as <see cref="InForceAt"/>, for a window already read.</summary>
    public bool InForce(DateTimeOffset now) => RevokedAt == null && From <= now && To > now;

    /// <summary>The routes listed; empty for every route.</summary>
    public static IReadOnlyList<string> RouteIds(string routes) => routes.Length == 0 ? [] : routes.Split('\n');

    /// <summary>Whether a window with these <paramref name="routes"/> covers a section on <paramref name="routeId"/>.</summary>
    public static bool Covers(string routes, string routeId) => routes.Length == 0 || RouteIds(routes).Contains(routeId, StringComparer.Ordinal);
}
