using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Workflow.Host.Features.Reports;
using Workflow.Host.Features.Sections;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Pages.Admin;

/// <summary>
/// Who drafts each reviewable section of a report. Saving a row runs the very command of
/// PUT /api/sections/{id}/assignment, so the page refuses what the API refuses (a section under review stays in its department).
/// </summary>
[Authorize(Roles = Roles.Admin)]
public sealed class AssignmentModel(WorkflowDbContext db, IStringLocalizer<SharedResource> text, SectionViews views, CommandPipeline pipeline) : AdminPage(db, text)
{
    public Guid ReportId { get; private set; }

    public string Title { get; private set; } = "";

    public IReadOnlyList<SectionNode> Sections { get; private set; } = [];

    public People People { get; private set; } = new([], Array.Empty<Candidate>().ToLookup(c => c.DepartmentCode));

    /// <summary>The row whose save was refused, so the message stands beside it.</summary>
    public Guid? FailedSection { get; private set; }

    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, string? done, CancellationToken ct)
    {
        Done = done;
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid section, string? department, string? author, CancellationToken ct)
    {
        if (!await Db.Sections.AnyAsync(s => s.Id == section && s.ReportId == id && !s.IsGroup, ct))
        {
            return NotFound();
        }

        if (Succeeded(await pipeline.SendAsync(new AssignSection(CurrentUser.From(User), section, department, author), ct)))
        {
            return Redirect($"/admin/reports/{id}/assignment?done=assigned#s-{section}");
        }

        FailedSection = section;
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var title = await Db.Reports.AsNoTracking().Where(r => r.Id == id).Select(r => r.Title).FirstOrDefaultAsync(ct);
        if (title is null)
        {
            return false;
        }

        ReportId = id;
        Title = title;
        Sections = await views.OutlineAsync(id, CurrentUser.From(User), null, ct);
        People = await People.LoadAsync(Db, ct);
        return true;
    }
}
