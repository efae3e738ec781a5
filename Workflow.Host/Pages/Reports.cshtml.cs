using Microsoft.EntityFrameworkCore;
using Workflow.Host.Features.Reports;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Pages;

/// <summary>The reports this person may see, newest first, each with its state (起草中 … 已定稿), progress and final in force.</summary>
public sealed class ReportsModel(WorkflowDbContext db) : SignedInPage(db)
{
    public sealed record Row(Guid Id, string Title, ReportProgress Progress);

    public List<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var me = CurrentUser.From(User);
        var shown = SectionAccess.VisibleReports(Db, me)
            .Where(r => r.ArchivedAt == null)
            .OrderByDescending(r => r.CreatedAt)
            .Take(200);
        var reports = await shown.Select(r => new { r.Id, r.Title }).ToListAsync(ct);
        var progress = await ReportProgress.OfAsync(Db, shown, ct);
        // A report removed between the two reads is left out.
        Rows = [.. reports.Where(r => progress.ContainsKey(r.Id)).Select(r => new Row(r.Id, r.Title, progress[r.Id]))];
    }
}
