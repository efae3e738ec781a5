using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Routes;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Workflow;

/// <summary>
/// Published route definitions. Published versions never change, so a parsed definition can be cached
/// for the life of the process without invalidation.
/// </summary>
public sealed class RouteCatalog
{
    private readonly ConcurrentDictionary<(string, int), RouteDefinition> cache = new();

    public async Task<RouteDefinition?> FindAsync(WorkflowDbContext db, string definitionId, int version, CancellationToken ct)
    {
        if (cache.TryGetValue((definitionId, version), out var route))
        {
            return route;
        }

        var stored = await db.Routes.AsNoTracking().FirstOrDefaultAsync(r => r.DefinitionId == definitionId && r.Version == version, ct);
        if (stored is null)
        {
            return null;
        }

        route = RouteDefinitionParser.Parse(stored.Json).Route
            ?? throw new InvalidOperationException($"Stored route {definitionId} v{version} no longer parses.");
        return cache.GetOrAdd((definitionId, version), route);
    }

    public async Task<StoredRoute?> LatestAsync(WorkflowDbContext db, string definitionId, CancellationToken ct) =>
        await db.Routes.AsNoTracking().Where(r => r.DefinitionId == definitionId).OrderByDescending(r => r.Version).FirstOrDefaultAsync(ct);

    /// <summary>Publishes the built-in routes (county-report for sections, report-frame for the title, lead and closing) on first start.</summary>
    public static async Task EnsureBuiltInAsync(WorkflowDbContext db, TimeProvider clock, CancellationToken ct)
    {
        foreach (var (route, json) in new[] { (DefaultRoutes.CountyReport(), DefaultRoutes.CountyReportJson()), (DefaultRoutes.ReportFrame(), DefaultRoutes.ReportFrameJson()) })
        {
            if (await db.Routes.AnyAsync(r => r.DefinitionId == route.DefinitionId, ct))
            {
                continue;
            }

            db.Routes.Add(new StoredRoute
            {
                DefinitionId = route.DefinitionId,
                Version = route.Version,
                Name = route.Name,
                Json = json,
                PublishedAt = clock.GetUtcNow(),
            });
        }

        await db.SaveChangesAsync(ct);
    }
}
