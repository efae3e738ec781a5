using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Routes;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Routes;

/// <summary>Publishes a new route version. Published versions are immutable, so a taken version number is a conflict.</summary>
public sealed record PublishRoute(CurrentUser Actor, JsonElement Definition) : Command<RouteSummary>(Actor)
{
    public override Refusal? Validate()
    {
        var parsed = RouteDefinitionParser.Parse(Definition);
        return parsed.IsValid
            ? null
            : new Refusal(StatusCodes.Status400BadRequest, "invalid", "The route definition is invalid: " + string.Join("; ", parsed.Errors))
            {
                Title = "Invalid route definition",
                Type = null,
                Errors = new Dictionary<string, string[]> { ["definition"] = [.. parsed.Errors] },
            };
    }
}

public sealed class PublishRouteHandler(WorkflowDbContext db, AuditTrail audit, TimeProvider clock) : ICommandHandler<PublishRoute, RouteSummary>
{
    public async Task<CommandResult<RouteSummary>> HandleAsync(PublishRoute command, CancellationToken ct)
    {
        var route = RouteDefinitionParser.Parse(command.Definition).Route!;
        if (await db.Routes.AnyAsync(r => r.DefinitionId == route.DefinitionId && r.Version == route.Version, ct))
        {
            return Refusal.Conflict($"Route '{route.DefinitionId}' version {route.Version} is already published and cannot change; publish version {route.Version + 1} instead.", "route-version-exists");
        }

        var stored = new StoredRoute
        {
            DefinitionId = route.DefinitionId,
            Version = route.Version,
            Name = route.Name,
            Json = command.Definition.GetRawText(),
            PublishedAt = clock.GetUtcNow(),
            PublishedById = command.Actor.Id,
        };
        db.Routes.Add(stored);
        await audit.AppendAsync(Guid.Empty, null, command.Actor.Id, command.Actor.UserName, "route.publish", new { route.DefinitionId, route.Version }, ct);
        return CommandResult<RouteSummary>.Done(new RouteSummary(stored.DefinitionId, stored.Version, stored.Name, stored.PublishedAt, command.Definition), StatusCodes.Status201Created);
    }
}
