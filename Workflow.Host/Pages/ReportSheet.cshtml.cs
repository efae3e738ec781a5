using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Documents;
using Workflow.Activities.Engine;
using Workflow.Host.Features.Reports;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Pages;

/// <summary>
/// The report sheet (报告签发单), printable: the report, each part (title, lead, every section, closing) with the
/// approvals its text carries, then the 签发 with name, title, department, time, opinion and the hash of the signed
/// text — or 未签发. By default the final in force (a locked report) or else the current text; ?final=N shows 定稿 N
/// as it was signed, with the approvals given to the versions it bound up to that moment.
/// </summary>
public sealed class ReportSheetModel(WorkflowDbContext db, SectionViews views, RouteCatalog routes) : SignedInPage(db)
{
    /// <summary>One approval on the sheet: the stage as the part's route names it, and the decision as kept that day.</summary>
    public sealed record Approval(string Stage, SheetEntry Entry);

    /// <summary>A line of the sheet: a group heading (no approvals) or a part at the version the sheet is about.</summary>
    public sealed record Line(SectionNode Node, int? Version, string? Hash, IReadOnlyList<Approval> Approvals);

    public Guid Id { get; private set; }

    public string Title { get; private set; } = "";

    public IReadOnlyList<Line> Lines { get; private set; } = [];

    /// <summary>The final the sheet is about; null: the current text, not signed.</summary>
    public ReportFinal? Final { get; private set; }

    /// <summary>Every final's number, to open the sheet of another.</summary>
    public IReadOnlyList<int> Numbers { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, int? final, CancellationToken ct)
    {
        var me = CurrentUser.From(User);
        var report = await SectionAccess.VisibleReports(Db, me).AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (report is null)
        {
            return NotFound();
        }

        var finals = await Db.Finals.AsNoTracking().Where(f => f.ReportId == id).OrderBy(f => f.Number).ToListAsync(ct);
        Final = final is { } n ? finals.FirstOrDefault(f => f.Number == n) : report.LockedAt is null ? null : finals.LastOrDefault();
        if (final is not null && Final is null)
        {
            return NotFound();
        }

        (Id, Title, Numbers) = (report.Id, report.Title, [.. finals.Select(f => f.Number)]);
        var outline = await views.OutlineAsync(id, me, null, ct);
        // A final's parts at the versions it bound; parts added after it were not in it.
        var signed = Final is null ? null : (JsonSerializer.Deserialize<List<SignedPart>>(Final.Parts, JsonDefaults.Storage) ?? []).ToDictionary(p => p.Section);
        var parts = outline.Where(s => !s.IsGroup && (signed is null || signed.ContainsKey(s.Id)))
            .Select(s => (Node: s, Version: signed?[s.Id].Version ?? s.Version, Hash: signed?[s.Id].Hash ?? s.Hash))
            .ToList();
        var ids = parts.Select(p => p.Node.Id).ToList();
        var cutoff = Final?.SignedAt ?? DateTimeOffset.MaxValue;
        var approvals = await Db.SignOffs.AsNoTracking()
            .Where(o => o.ReportId == id && ids.Contains(o.SectionId) && o.Decision == Decision.Approved)
            .OrderBy(o => o.Ordinal)
            .ToListAsync(ct);
        approvals = [.. approvals.Where(o => o.At <= cutoff && (Final is not null || !o.Dismissed))];
        var people = approvals.Where(o => o.ActorName is null).Select(o => o.ActorId).Distinct().ToList();
        var today = await (from u in Db.Users.AsNoTracking()
                           where people.Contains(u.Id)
                           join d in Db.Departments on u.DepartmentId equals d.Id into dept
                           from d in dept.DefaultIfEmpty()
                           select new { u.Id, u.DisplayName, Department = d == null ? null : d.Name }).ToDictionaryAsync(u => u.Id, ct);
        var pins = await Db.Sections.AsNoTracking().Where(s => ids.Contains(s.Id)).Select(s => new { s.Id, s.RouteDefinitionId, s.RouteVersion }).ToListAsync(ct);
        var found = new Dictionary<(string, int), Activities.Routes.RouteDefinition?>();
        foreach (var pin in pins.Select(p => (p.RouteDefinitionId, p.RouteVersion)).Distinct())
        {
            found[pin] = await routes.FindAsync(Db, pin.Item1, pin.Item2, ct);
        }

        var routeOf = pins.ToDictionary(p => p.Id, p => found[(p.RouteDefinitionId, p.RouteVersion)]);
        var byPart = parts.ToDictionary(p => p.Node.Id, p =>
        {
            var route = routeOf.GetValueOrDefault(p.Node.Id);
            // The approvals the text carries: given to this very version, at each stage its latest visit's (a stage
            // passed again after 复审 or a return speaks anew).
            var mine = approvals.Where(o => o.SectionId == p.Node.Id && o.VersionHash == p.Hash).ToList();
            return (IReadOnlyList<Approval>)[.. mine.GroupBy(o => o.StageIndex).OrderBy(g => g.Key)
                .SelectMany(g => g.Where(o => o.Visit == g.Max(x => x.Visit)))
                .Select(o => new Approval(
                    route is not null && o.StageIndex < route.Stages.Length ? route.Stages[o.StageIndex].Name : o.StageKey,
                    SheetEntry.Of(o, u => today.TryGetValue(u, out var t) ? t.DisplayName : u, u => today.TryGetValue(u, out var t) ? t.Department : null)))];
        });
        var partOf = parts.ToDictionary(p => p.Node.Id);
        Lines = [.. outline.Where(s => s.IsGroup || partOf.ContainsKey(s.Id)).Select(s => s.IsGroup
            ? new Line(s, null, null, [])
            : new Line(s, partOf[s.Id].Version, partOf[s.Id].Hash, byPart[s.Id]))];
        return Page();
    }
}
