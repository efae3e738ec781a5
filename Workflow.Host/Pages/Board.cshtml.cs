using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Engine;
using Workflow.Host.Features.Auth;
using Workflow.Host.Features.Reports;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Pages;

/// <summary>
/// The report board: the outline as a tree, each reviewed section with its state chip, who holds it now and
/// its missing figures, and the report's progress; filters by department and state.
/// </summary>
public sealed class BoardModel(WorkflowDbContext db, SectionViews views, RouteCatalog routes, CommandPipeline pipeline, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> text) : SignedInPage(db)
{
    /// <summary>催办: the report's clerk (who created it) or an administrator may remind holders of pending tasks.</summary>
    public bool CanRemind { get; private set; }

    /// <summary>For a clerk: the pending tasks of each section, to remind (task id and holder's name).</summary>
    public Dictionary<Guid, List<(Guid TaskId, string Name)>> Remindable { get; private set; } = [];

    public bool Reminded { get; private set; }

    public string? Error { get; private set; }

    public Guid Id { get; private set; }

    public string Title { get; private set; } = "";

    /// <summary>The assembled report is county-wide reading: the same readers GET /api/reports/{id}/export lets in.</summary>
    public bool CanExport { get; private set; }

    public IReadOnlyList<SectionNode> Sections { get; private set; } = [];

    public int Reviewed { get; private set; }

    public int Approved { get; private set; }

    public int MissingFigures { get; private set; }

    public string? Department { get; private set; }

    public string? State { get; private set; }

    public IReadOnlyList<DepartmentDto> Departments { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, string? department, string? state, string? done, CancellationToken ct)
    {
        Reminded = done == "reminded";
        return await ShowAsync(id, department, state, ct);
    }

    /// <summary>Sends RemindTask for one pending task and comes back to the board (or shows the refusal on it).</summary>
    public async Task<IActionResult> OnPostRemindAsync(Guid id, Guid taskId, string? note, CancellationToken ct)
    {
        var result = await pipeline.SendAsync(new Features.Tasks.RemindTask(CurrentUser.From(User), taskId, string.IsNullOrWhiteSpace(note) ? null : note), ct);
        if (result.Succeeded)
        {
            return Redirect($"/reports/{id}?done=reminded");
        }

        Db.ChangeTracker.Clear();
        var shown = await ShowAsync(id, null, null, ct);
        if (shown is PageResult)
        {
            Error = PageCommand.Explain(result.Refusal, text);
            Response.StatusCode = result.Refusal.Status;
        }

        return shown;
    }

    private async Task<IActionResult> ShowAsync(Guid id, string? department, string? state, CancellationToken ct)
    {
        var me = CurrentUser.From(User);
        var report = await SectionAccess.VisibleReports(Db, me).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (report is null)
        {
            return NotFound();
        }

        var all = await views.OutlineAsync(id, me, null, ct);
        Id = report.Id;
        Title = report.Title;
        CanExport = me.SeesWholeCounty;
        MissingFigures = all.Sum(s => s.MissingFigures);
        Reviewed = all.Count(s => !s.IsGroup);
        Approved = all.Count(s => !s.IsGroup && s.Status == SectionStatus.Approved);
        Departments = all.Where(s => s.Department is not null).Select(s => s.Department!).DistinctBy(d => d.Id).OrderBy(d => d.Code, StringComparer.Ordinal).ToList();
        Department = Departments.Any(d => d.Code == department) ? department : null;
        // Each section's route (sections are pinned to the version they started on): chips and filters name its stages.
        var pins = await Db.Sections.AsNoTracking().Where(s => s.ReportId == id && !s.IsGroup).Select(s => new { s.Id, s.RouteDefinitionId, s.RouteVersion }).ToListAsync(ct);
        var found = new Dictionary<(string, int), Activities.Routes.RouteDefinition?>();
        foreach (var pin in pins.Select(p => (p.RouteDefinitionId, p.RouteVersion)).Append((report.RouteDefinitionId, report.RouteVersion)).Distinct())
        {
            found[pin] = await routes.FindAsync(Db, pin.Item1, pin.Item2, ct);
        }

        Routes = pins.ToDictionary(p => p.Id, p => found[(p.RouteDefinitionId, p.RouteVersion)]);
        var stageChips = found.Values.Where(r => r is not null).SelectMany(r => Enumerable.Range(1, r!.Stages.Length - 1).Select(i => Chip.OfStage(r, i, text)));
        Filters = [Chip.Of(Status(SectionStatus.Draft), null, text), .. stageChips.DistinctBy(c => c.Key), Chip.Of(Status(SectionStatus.Returned), null, text), Chip.Of(Status(SectionStatus.Approved), null, text)];
        State = Filters.Any(f => f.Key == state) ? state : null;
        CanRemind = me.IsInRole(Roles.Admin) || report.CreatedById == me.Id;
        if (CanRemind)
        {
            var pending = await (from t in Db.Tasks.AsNoTracking()
                                 where t.ReportId == id && t.Status == WorkTaskStatus.Pending
                                 join u in Db.Users on t.AssigneeId equals u.Id
                                 orderby t.Ordinal
                                 select new { t.Id, t.SectionId, u.DisplayName }).ToListAsync(ct);
            Remindable = pending.GroupBy(p => p.SectionId).ToDictionary(g => g.Key, g => g.Select(p => (p.Id, p.DisplayName)).ToList());
        }

        Sections = all.Where(s => s.IsGroup || ((Department is null || s.Department?.Code == Department) && (State is null || Chip.KeyOf(s) == State))).ToList();

        return Page();
    }

    /// <summary>The route of each section, by section id (null when it is missing).</summary>
    public Dictionary<Guid, Activities.Routes.RouteDefinition?> Routes { get; private set; } = [];

    /// <summary>The states the board filters by: draft, each review stage of the routes in use (by the route's names), returned, approved.</summary>
    public IReadOnlyList<Chip> Filters { get; private set; } = [];

    /// <summary>The chip of a section on this board, named from its route.</summary>
    public Chip ChipOf(SectionNode s) => Chip.Of(s, Routes.GetValueOrDefault(s.Id), text);

    private static SectionNode Status(SectionStatus status) => new(Guid.Empty, null, 0, "", "", false, null, null, null, null, status, null, null, [], 0);
}
