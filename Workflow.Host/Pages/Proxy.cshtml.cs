using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Workflow.Host.Features.Proxy;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Pages;

/// <summary>
/// 委托 for the signed-in person: name a proxy who decides their tasks from a time to a time (Beijing time, as the UI
/// speaks), on every route or the routes chosen; end it; and see the windows not yet ended where they are the one away
/// or the proxy. Sends SetProxy and EndProxy, the commands PUT and DELETE /api/me/proxy send.
/// </summary>
public sealed class ProxyModel(WorkflowDbContext db, UserDirectory directory, CommandPipeline pipeline, IStringLocalizer<SharedResource> text) : SignedInPage(db)
{
    private const string LocalFormat = "yyyy-MM-dd'T'HH:mm";

    public List<ProxyDto> Windows { get; private set; } = [];

    /// <summary>Active people who may stand in (not the reader): user name and display name with department.</summary>
    public IReadOnlyList<(string UserName, string Label)> People { get; private set; } = [];

    /// <summary>Published routes, latest name of each.</summary>
    public IReadOnlyList<(string Id, string Name)> Routes { get; private set; } = [];

    public string? Done { get; private set; }

    public string? Error { get; private set; }

    // What the form shows: the defaults, or what the person sent when it was refused.
    public string? Proxy { get; private set; }

    public string From { get; private set; } = "";

    public string To { get; private set; } = "";

    public bool AllRoutes { get; private set; } = true;

    public IReadOnlyList<string> Chosen { get; private set; } = [];

    public async Task OnGetAsync(string? done, CancellationToken ct)
    {
        Done = done is "set" or "ended" ? done : null;
        var now = CountyTime.Local(Now);
        From = now.ToString(LocalFormat, CultureInfo.InvariantCulture);
        To = now.AddDays(7).ToString(LocalFormat, CultureInfo.InvariantCulture);
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostSetAsync(string? proxy, string? from, string? to, string? scope, List<string>? routes, CancellationToken ct)
    {
        var all = scope != "chosen";
        var chosen = routes ?? [];
        var result = await pipeline.SendAsync(new SetProxy(CurrentUser.From(User), proxy, Parse(from), Parse(to), all ? null : chosen), ct);
        if (result.Succeeded)
        {
            return Redirect("/me/proxy?done=set");
        }

        Db.ChangeTracker.Clear();
        (Proxy, From, To, AllRoutes, Chosen) = (proxy, from ?? "", to ?? "", all, chosen);
        Error = PageCommand.Explain(result.Refusal, text);
        Response.StatusCode = result.Refusal.Status;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostEndAsync(CancellationToken ct)
    {
        var result = await pipeline.SendAsync(new EndProxy(CurrentUser.From(User)), ct);
        if (result.Succeeded)
        {
            return Redirect("/me/proxy?done=ended");
        }

        Db.ChangeTracker.Clear();
        Error = PageCommand.Explain(result.Refusal, text);
        Response.StatusCode = result.Refusal.Status;
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>A datetime-local value read as Beijing time; null when empty or unreadable (the command refuses it).</summary>
    private static DateTimeOffset? Parse(string? local) =>
        DateTime.TryParseExact(local, [LocalFormat, "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Unspecified), CountyTime.Offset)
            : null;

    private async Task LoadAsync(CancellationToken ct)
    {
        var me = CurrentUser.From(User);
        Windows = await ProxyQueries.ForAsync(Db, directory, me.Id, Now, ct);
        People = await directory.PeopleAsync(me.Id, ct);
        var routes = await Db.Routes.AsNoTracking().Select(r => new { r.DefinitionId, r.Version, r.Name }).ToListAsync(ct);
        Routes = [.. routes.GroupBy(r => r.DefinitionId).Select(g => g.OrderByDescending(r => r.Version).First()).OrderBy(r => r.DefinitionId, StringComparer.Ordinal).Select(r => (r.DefinitionId, r.Name))];
    }
}
