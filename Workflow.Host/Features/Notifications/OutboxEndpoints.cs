using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Workflow.Host.Infrastructure;
using Workflow.Persistence;

namespace Workflow.Host.Features.Notifications;

public sealed record OutboxEntryDto(Guid Id, string MessageType, Guid? ReportId, Guid? SectionId, DateTimeOffset CreatedAt, int Attempts, string? LastError, DateTimeOffset? NextAttemptAt, DateTimeOffset? ParkedAt);

public static class OutboxEndpoints
{
    /// <summary>For the clerk: messages not yet delivered (state=pending) or given up after repeated failures (state=parked), with their errors.</summary>
    public static void MapOutbox(this IEndpointRouteBuilder api) =>
        api.MapGet("/outbox", List).RequireAuthorization(p => p.RequireRole(Roles.Admin));

    internal static async Task<Results<Ok<List<OutboxEntryDto>>, ValidationProblem>> List(string? state, WorkflowDbContext db, CancellationToken ct)
    {
        var q = db.Outbox.AsNoTracking();
        switch ((state ?? "parked").ToLowerInvariant())
        {
            case "parked":
                q = q.Where(o => o.ParkedAt != null);
                break;
            case "pending":
                q = q.Where(o => o.SentAt == null && o.ParkedAt == null);
                break;
            default:
                return Problems.Invalid("state", "state is 'parked' or 'pending'.");
        }

        var rows = await q.OrderBy(o => o.CreatedAt).Take(500)
            .Select(o => new OutboxEntryDto(o.Id, o.MessageType, o.ReportId, o.SectionId, o.CreatedAt, o.Attempts, o.LastError, o.NextAttemptAt, o.ParkedAt))
            .ToListAsync(ct);
        return TypedResults.Ok(rows);
    }
}
