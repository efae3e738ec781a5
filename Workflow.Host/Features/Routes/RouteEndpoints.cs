using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Workflow.Host.Features.Auth;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

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

    private static Task<IResult> Publish(JsonElement definition, HttpContext http, CommandPipeline pipeline) =>
        pipeline.SendAsync(http, new PublishRoute(CurrentUser.From(http.User), definition));
}
