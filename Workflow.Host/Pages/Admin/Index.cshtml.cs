using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Workflow.Host.Infrastructure;
using Workflow.Persistence;

namespace Workflow.Host.Pages.Admin;

/// <summary>The administration start page: accounts, departments, import, and every report's section assignment.</summary>
[Authorize(Roles = Roles.Admin)]
public sealed class IndexModel(WorkflowDbContext db, IStringLocalizer<SharedResource> text) : AdminPage(db, text)
{
    public sealed record Row(Guid Id, string Title, int Sections);

    public List<Row> Reports { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Reports = await Db.Reports.AsNoTracking()
            .OrderByDescending(r => r.CreatedAt)
            .Select(r => new Row(r.Id, r.Title, Db.Sections.Count(s => s.ReportId == r.Id && !s.IsGroup)))
            .Take(200)
            .ToListAsync(ct);
}
