using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Features.Audit;

public sealed record AuditEntryDto(Guid Id, Guid ReportId, long Sequence, Guid? SectionId, string ActorId, string ActorName, string Action, JsonElement Data, DateTimeOffset At, string Hash);

public sealed record AuditPage(IReadOnlyList<AuditEntryDto> Items, int Total, int Skip, int Take);

public static class AuditEndpoints
{
    public const int MaxPage = 500;

    public static void MapAudit(this IEndpointRouteBuilder api)
    {
        // The trail shows every department's work, so it is for county-wide readers only.
        api.MapGet("/audit", Query).RequireAuthorization(p => p.RequireRole(Roles.CountyWideReaders));
        api.MapGet("/reports/{id:guid}/audit/verify", Verify).RequireAuthorization(p => p.RequireRole(Roles.CountyWideReaders));
    }

    internal static async Task<Results<Ok<AuditPage>, ValidationProblem>> Query(
        Guid? reportId, Guid? sectionId, string? actor, string? action, DateTimeOffset? from, DateTimeOffset? to, int? skip, int? take,
        WorkflowDbContext db, CancellationToken ct)
    {
        var size = take ?? 100;
        if (size is < 1 or > MaxPage || skip < 0)
        {
            return Problems.Invalid("take", $"take is 1 to {MaxPage} and skip is 0 or more.");
        }

        var q = new AuditFilter(reportId, sectionId, actor, action, from, to).Apply(db.AuditEntries.AsNoTracking());
        var total = await q.CountAsync(ct);
        var rows = await AuditFilter.Page(q, skip ?? 0, size).ToListAsync(ct);
        var items = rows.Select(e => new AuditEntryDto(e.Id, e.ReportId, e.Sequence, e.SectionId, e.ActorId, e.ActorName, e.Action, JsonDocument.Parse(e.Data).RootElement.Clone(), e.At, e.Hash)).ToList();
        return TypedResults.Ok(new AuditPage(items, total, skip ?? 0, size));
    }

    private static async Task<Results<Ok<ChainVerification>, ProblemHttpResult>> Verify(Guid id, WorkflowDbContext db, AuditTrail audit, CancellationToken ct)
    {
        // The empty id is the county-wide chain (accounts, departments, routes), which has no report row.
        if (id != Guid.Empty && !await db.Reports.AnyAsync(r => r.Id == id, ct))
        {
            return Problems.NotFound($"Report {id}");
        }

        return TypedResults.Ok(await audit.VerifyAsync(id, ct));
    }
}
