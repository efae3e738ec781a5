using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Routes;
using Workflow.Host.Features.Auth;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Routes;

public sealed record RouteSummary(string DefinitionId, int Version, string Name, DateTimeOffset PublishedAt, JsonElement Definition);

public static class RouteEndpoints
{
    public static void MapRoutesAndDirectory(this IEndpointRouteBuilder api)
    {
        api.MapGet("/routes", List);
        api.MapPost("/routes", Publish).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        api.MapGet("/departments", async (WorkflowDbContext db, CancellationToken ct) =>
            TypedResults.Ok(await db.Departments.AsNoTracking().OrderBy(d => d.Code).Select(d => new DepartmentDto(d.Id, d.Code, d.Name)).ToListAsync(ct)));
    }

    private static async Task<Ok<List<RouteSummary>>> List(WorkflowDbContext db, CancellationToken ct)
    {
        var rows = await db.Routes.AsNoTracking().OrderBy(r => r.DefinitionId).ThenBy(r => r.Version).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => new RouteSummary(r.DefinitionId, r.Version, r.Name, r.PublishedAt, JsonDocument.Parse(r.Json).RootElement.Clone())).ToList());
    }

    /// <summary>Publishes a new route version. Published versions are immutable, so a taken version number is a conflict.</summary>
    private static async Task<IResult> Publish(JsonElement definition, HttpContext http, CommandExecutor executor, WorkflowDbContext db, AuditTrail audit, TimeProvider clock)
    {
        var parsed = RouteDefinitionParser.Parse(definition);
        if (!parsed.IsValid)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["definition"] = [.. parsed.Errors] },
                detail: "The route definition is invalid: " + string.Join("; ", parsed.Errors),
                title: "Invalid route definition");
        }

        var route = parsed.Route!;
        var user = CurrentUser.From(http.User);
        return await executor.ExecuteAsync(http, definition, async ct =>
        {
            if (await db.Routes.AnyAsync(r => r.DefinitionId == route.DefinitionId && r.Version == route.Version, ct))
            {
                return CommandOutcome.Refused(Problems.Conflict($"Route '{route.DefinitionId}' version {route.Version} is already published and cannot change; publish version {route.Version + 1} instead.", "route-version-exists"));
            }

            var stored = new StoredRoute
            {
                DefinitionId = route.DefinitionId,
                Version = route.Version,
                Name = route.Name,
                Json = definition.GetRawText(),
                PublishedAt = clock.GetUtcNow(),
                PublishedById = user.Id,
            };
            db.Routes.Add(stored);
            await audit.AppendAsync(Guid.Empty, null, user.Id, user.UserName, "route.publish", new { route.DefinitionId, route.Version }, ct);
            return CommandOutcome.Done(new RouteSummary(stored.DefinitionId, stored.Version, stored.Name, stored.PublishedAt, definition), StatusCodes.Status201Created);
        });
    }
}
