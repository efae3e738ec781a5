using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Workflow.Activities.Documents;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Pages;

/// <summary>
/// Two finals of a report (定稿 N and M) compared like Word's track changes, the same comparison GET
/// /api/reports/{id}/finals/compare answers; by default the last final against the one before it.
/// </summary>
public sealed class FinalCompareModel(WorkflowDbContext db, IStringLocalizer<SharedResource> text) : SignedInPage(db)
{
    public Guid Id { get; private set; }

    public string Title { get; private set; } = "";

    public ReportFinal From { get; private set; } = null!;

    public ReportFinal To { get; private set; } = null!;

    /// <summary>Every final's number, for choosing another pair.</summary>
    public IReadOnlyList<int> Numbers { get; private set; } = [];

    public TrackedView Changes { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, int? from, int? to, CancellationToken ct)
    {
        var report = await SectionAccess.VisibleReports(Db, CurrentUser.From(User)).AsNoTracking().Select(r => new { r.Id, r.Title }).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (report is null)
        {
            return NotFound();
        }

        Numbers = await Db.Finals.AsNoTracking().Where(f => f.ReportId == id).OrderBy(f => f.Number).Select(f => f.Number).ToListAsync(ct);
        var last = Numbers.Count > 0 ? Numbers[^1] : 0;
        var (a, b) = (from ?? (to ?? last) - 1, to ?? last);
        var pair = await Db.Finals.AsNoTracking().Where(f => f.ReportId == id && (f.Number == a || f.Number == b)).ToListAsync(ct);
        if (pair.FirstOrDefault(f => f.Number == a) is not { } older || pair.FirstOrDefault(f => f.Number == b) is not { } newer)
        {
            return NotFound();
        }

        (Id, Title, From, To) = (report.Id, report.Title, older, newer);
        // The texts are the signed ones; the changes are nobody's in particular (many people's edits lie between two finals).
        var runs = TrackedChanges.Compute([new AuthoredText(older.Text, ""), new AuthoredText(newer.Text, "")]);
        Changes = new TrackedView(a, b, runs, [])
        {
            Caption = text["ComparedFinals", a, b],
            Unchanged = text["FinalsUnchanged"],
        };
        return Page();
    }
}
