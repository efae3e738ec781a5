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
public sealed class BoardModel(WorkflowDbContext db, SectionViews views) : SignedInPage(db)
{
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

    public async Task<IActionResult> OnGetAsync(Guid id, string? department, string? state, CancellationToken ct)
    {
        var me = CurrentUser.From(User);
        var report = await SectionAccess.VisibleReports(Db, me).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (report is null)
        {
            return NotFound();
        }

        var all = await views.OutlineAsync(id, me, null, ct);
        var detail = new ReportDetail(report.Id, report.Title, report.Lead, report.Closing, new RouteRef(report.RouteDefinitionId, report.RouteVersion), report.CreatedAt, all);
        Id = report.Id;
        Title = report.Title;
        CanExport = me.SeesWholeCounty;
        MissingFigures = detail.MissingFigures;
        Reviewed = all.Count(s => !s.IsGroup);
        Approved = all.Count(s => !s.IsGroup && s.Status == SectionStatus.Approved);
        Departments = all.Where(s => s.Department is not null).Select(s => s.Department!).DistinctBy(d => d.Id).OrderBy(d => d.Code, StringComparer.Ordinal).ToList();
        Department = Departments.Any(d => d.Code == department) ? department : null;
        State = ChipKeys.Contains(state) ? state : null;
        Sections = all.Where(s => s.IsGroup || ((Department is null || s.Department?.Code == Department) && (State is null || ChipKey(s) == State))).ToList();

        return Page();
    }

    public static readonly string[] ChipKeys = ["draft", "department", "committee", "returned", "approved"];

    /// <summary>The chip of a section: its status, and for a review the stage it waits at.</summary>
    public static string ChipKey(SectionNode s) => s.Status switch
    {
        SectionStatus.Draft => "draft",
        SectionStatus.Returned => "returned",
        SectionStatus.Approved => "approved",
        SectionStatus.InReview when s.Stage == "department" => "department",
        SectionStatus.InReview => "committee",
        _ => "",
    };
}
