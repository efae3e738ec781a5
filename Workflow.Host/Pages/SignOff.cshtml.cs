using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Workflow.Host.Features.Reports;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Pages;

/// <summary>
/// The sign-off sheet (审批单), laid out like a 发文单: one block per stage of the route, each opinion with the
/// person's name and department, the full date and time and the version it applies to; superseded rounds stay
/// visible, marked, because the sheet is the record of who said what.
/// </summary>
public sealed class SignOffModel(WorkflowDbContext db, SectionViews views, RouteCatalog routes, AuditCheckpoints checkpoints) : SignedInPage(db)
{
    public SectionContext Section { get; private set; } = null!;

    /// <summary>The sheet's last entry in the report's audit chain, to quote when the sheet is printed or filed.</summary>
    public long LastEntry { get; private set; }

    /// <summary>The latest signed checkpoint of the report's chain (outside the database), if any yet.</summary>
    public CheckpointRef? Checkpoint { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var loaded = await SectionContext.LoadAsync(Db, views, routes, CurrentUser.From(User), id, ct, Now);
        if (loaded is null)
        {
            return NotFound();
        }

        Section = loaded;
        LastEntry = await Db.AuditEntries.Where(e => e.SectionId == id).Select(e => (long?)e.Sequence).MaxAsync(ct) ?? 0;
        Checkpoint = checkpoints.Latest().TryGetValue(loaded.Row.ReportId, out var signed) ? CheckpointRef.Of(signed) : null;
        return Page();
    }
}
