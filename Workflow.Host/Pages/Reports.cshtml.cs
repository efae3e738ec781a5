using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Engine;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Pages;

/// <summary>The reports this person may see, newest first, with their progress.</summary>
public sealed class ReportsModel(WorkflowDbContext db) : SignedInPage(db)
{
    public sealed record Row(Guid Id, string Title, int Sections, int Approved);

    public List<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var me = CurrentUser.From(User);
        Rows = await SectionAccess.VisibleReports(Db, me)
            .Where(r => r.ArchivedAt == null)
            .OrderByDescending(r => r.CreatedAt)
            .Select(r => new Row(
                r.Id,
                r.Title,
                Db.Sections.Count(s => s.ReportId == r.Id && !s.IsGroup),
                Db.Sections.Count(s => s.ReportId == r.Id && !s.IsGroup && s.Status == SectionStatus.Approved)))
            .Take(200)
            .ToListAsync(ct);
    }
}
