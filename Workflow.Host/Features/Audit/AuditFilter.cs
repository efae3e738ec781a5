using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Audit;

/// <summary>
/// The filters of the audit trail, applied in one place so the API and the audit page always select the same
/// entries. <see cref="To"/> is exclusive: callers that think in whole days pass the start of the next day.
/// </summary>
public sealed record AuditFilter(Guid? ReportId, Guid? SectionId, string? Actor, string? Action, DateTimeOffset? From, DateTimeOffset? To)
{
    public IQueryable<AuditEntry> Apply(IQueryable<AuditEntry> q)
    {
        if (ReportId is { } r)
        {
            q = q.Where(e => e.ReportId == r);
        }

        if (SectionId is { } s)
        {
            q = q.Where(e => e.SectionId == s);
        }

        if (!string.IsNullOrWhiteSpace(Actor))
        {
            // Accept the user name people know (without regard to case, as at sign-in, and alike on every database's
            // collation) or the user id the API returns.
            var actor = Actor.Trim();
            var name = actor.ToUpperInvariant();
            q = q.Where(e => e.ActorName.ToUpper() == name || e.ActorId == actor);
        }

        if (!string.IsNullOrWhiteSpace(Action))
        {
            // Action codes are lower case; a differently cased filter finds them on every database alike.
            var action = Action.Trim().ToLowerInvariant();
            q = q.Where(e => e.Action == action);
        }

        if (From is { } f)
        {
            q = q.Where(e => e.At >= f);
        }

        if (To is { } t)
        {
            q = q.Where(e => e.At < t);
        }

        return q;
    }

    /// <summary>Newest first; entries of one instant keep their chain order.</summary>
    public static IOrderedQueryable<AuditEntry> NewestFirst(IQueryable<AuditEntry> q) =>
        q.OrderByDescending(e => e.At).ThenByDescending(e => e.Sequence);

    /// <summary>One page of filtered entries, newest first: what GET /api/audit lists.</summary>
    public static IQueryable<AuditEntry> Page(IQueryable<AuditEntry> filtered, int skip, int take) =>
        NewestFirst(filtered).Skip(skip).Take(take);
}
