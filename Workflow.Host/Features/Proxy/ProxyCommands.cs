using Microsoft.EntityFrameworkCore;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Proxy;

/// <summary>A proxy window as its owner and their proxy see it.</summary>
public sealed record ProxyDto(Guid Id, UserRef User, UserRef Proxy, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<string> Routes, bool InForce);

/// <summary>
/// 委托: the actor names a proxy who may decide their tasks from From to To (on every route, or the routes listed).
/// It replaces the actor's windows still to end; decisions taken under it are recorded as the proxy's, on behalf of
/// the actor.
/// </summary>
public sealed record SetProxy(CurrentUser Actor, string? Proxy, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<string>? Routes) : Command<ProxyDto>(Actor)
{
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(366);

    public override Refusal? Validate()
    {
        if (string.IsNullOrWhiteSpace(Proxy) || Proxy.Length > 256)
        {
            return Refusal.Invalid("proxy", "Say who stands in for you: the proxy's user name.");
        }

        if (From is null || To is null || To <= From)
        {
            return Refusal.Invalid("to", "Give the window as from and to, with to after from.", "invalid-window");
        }

        if (To - From > MaxWindow)
        {
            return Refusal.Invalid("to", $"A proxy window is at most {MaxWindow.Days} days; name it again when it ends.", "invalid-window");
        }

        return Routes is { Count: > 20 } || Routes?.Any(r => string.IsNullOrWhiteSpace(r) || r.Length > 64) == true
            ? Refusal.Invalid("routes", "routes lists at most 20 route ids (leave it out for every route).")
            : null;
    }
}

/// <summary>Ends the actor's proxy windows now (and drops the ones not begun).</summary>
public sealed record EndProxy(CurrentUser Actor) : Command<EndedProxies>(Actor);

public sealed record EndedProxies(int Ended);

public sealed class SetProxyHandler(WorkflowDbContext db, UserDirectory directory, AuditTrail audit, TimeProvider clock) : ICommandHandler<SetProxy, ProxyDto>
{
    public async Task<CommandResult<ProxyDto>> HandleAsync(SetProxy command, CancellationToken ct)
    {
        var me = command.Actor;
        var now = clock.GetUtcNow();
        if (command.To <= now)
        {
            return Refusal.Invalid("to", "The window has already ended; choose a time still to come.", "invalid-window");
        }

        var proxyId = await directory.IdOfAsync(command.Proxy!.Trim(), ct);
        if (proxyId is null)
        {
            return Refusal.Invalid("proxy", $"There is no active user '{command.Proxy.Trim()}'.", "unknown-user");
        }

        if (proxyId == me.Id)
        {
            return Refusal.Invalid("proxy", "You cannot be your own proxy.", "invalid-proxy");
        }

        var routes = (command.Routes ?? []).Select(r => r.Trim()).Distinct(StringComparer.Ordinal).ToList();
        var published = await db.Routes.AsNoTracking().Where(x => routes.Contains(x.DefinitionId)).Select(x => x.DefinitionId).Distinct().ToListAsync(ct);
        var unknown = routes.Except(published, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            return Refusal.Invalid("routes", $"No route '{unknown[0]}' has been published.", "unknown-route");
        }

        var ended = await EndAsync(db, me.Id, now, ct);
        var window = new ProxyWindow
        {
            Id = Guid.NewGuid(),
            UserId = me.Id,
            ProxyId = proxyId,
            From = command.From!.Value,
            To = command.To!.Value,
            Routes = string.Join('\n', routes),
            CreatedAt = now,
        };
        db.ProxyWindows.Add(window);
        var names = await directory.NamesAsync([me.Id, proxyId], ct);
        await audit.AppendAsync(Guid.Empty, null, me.Id, me.UserName, "proxy.set", new
        {
            window.Id,
            user = names[me.Id].DisplayName,
            proxy = names[proxyId].UserName,
            proxyName = names[proxyId].DisplayName,
            from = window.From,
            to = window.To,
            routes,
            replaced = ended,
        }, ct);
        return CommandResult<ProxyDto>.Done(ProxyQueries.ToDto(window, names, now), StatusCodes.Status201Created);
    }

    /// <summary>Ends the user's windows in force now and drops those still to begin; answers how many.</summary>
    internal static async Task<int> EndAsync(WorkflowDbContext db, string userId, DateTimeOffset now, CancellationToken ct)
    {
        var open = await db.ProxyWindows.Where(w => w.UserId == userId && w.RevokedAt == null && w.To > now).ToListAsync(ct);
        foreach (var w in open)
        {
            w.RevokedAt = now;
        }

        return open.Count;
    }
}

public sealed class EndProxyHandler(WorkflowDbContext db, AuditTrail audit, TimeProvider clock) : ICommandHandler<EndProxy, EndedProxies>
{
    public async Task<CommandResult<EndedProxies>> HandleAsync(EndProxy command, CancellationToken ct)
    {
        var ended = await SetProxyHandler.EndAsync(db, command.Actor.Id, clock.GetUtcNow(), ct);
        if (ended > 0)
        {
            await audit.AppendAsync(Guid.Empty, null, command.Actor.Id, command.Actor.UserName, "proxy.end", new { ended }, ct);
        }

        return CommandResult<EndedProxies>.Done(new EndedProxies(ended));
    }
}

public static class ProxyQueries
{
    /// <summary>Windows not yet ended where the user is the one away or the proxy.</summary>
    public static async Task<List<ProxyDto>> ForAsync(WorkflowDbContext db, UserDirectory directory, string userId, DateTimeOffset now, CancellationToken ct)
    {
        var windows = await db.ProxyWindows.AsNoTracking()
            .Where(w => (w.UserId == userId || w.ProxyId == userId) && w.RevokedAt == null && w.To > now)
            .OrderBy(w => w.From)
            .ToListAsync(ct);
        var names = await directory.NamesAsync(windows.SelectMany(w => new[] { w.UserId, w.ProxyId }), ct);
        return [.. windows.Where(w => names.ContainsKey(w.UserId) && names.ContainsKey(w.ProxyId)).Select(w => ToDto(w, names, now))];
    }

    internal static ProxyDto ToDto(ProxyWindow w, IReadOnlyDictionary<string, UserRef> names, DateTimeOffset now) =>
        new(w.Id, names[w.UserId], names[w.ProxyId], w.From, w.To, ProxyWindow.RouteIds(w.Routes), w.InForce(now));
}

/// <summary>Body of PUT /api/me/proxy.</summary>
public sealed record ProxyRequest(string? Proxy, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<string>? Routes);

public static class ProxyEndpoints
{
    public static void MapProxy(this IEndpointRouteBuilder api)
    {
        api.MapGet("/me/proxy", async (HttpContext http, WorkflowDbContext db, UserDirectory directory, TimeProvider clock, CancellationToken ct) =>
            Results.Ok(await ProxyQueries.ForAsync(db, directory, CurrentUser.From(http.User).Id, clock.GetUtcNow(), ct)));
        api.MapPut("/me/proxy", (ProxyRequest body, HttpContext http, CommandPipeline pipeline) =>
            pipeline.SendAsync(http, new SetProxy(CurrentUser.From(http.User), body.Proxy, body.From, body.To, body.Routes)));
        api.MapDelete("/me/proxy", (HttpContext http, CommandPipeline pipeline) => pipeline.SendAsync(http, new EndProxy(CurrentUser.From(http.User))));
    }
}
