using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Documents;
using Workflow.Activities.Routes;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Reports;

/// <summary>
/// The report's own parts — title, lead (导语) and closing — kept as sections of their kind, so they have versions,
/// hashes, diffs, missing-figure counts and a review like every section. They are drafted by the report's clerk (who
/// may assign another author) and reviewed on the report-frame route (clerk → committee).
/// </summary>
public sealed class ReportParts(WorkflowDbContext db, RouteCatalog routes, SectionCommands sections, Sections.EditSectionHandler edits, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Creates the parts the text names (the title always; a lead or closing only when it has text).</summary>
    public async Task AddAsync(Report report, string title, string? lead, string? closing, CurrentUser actor, string note, CancellationToken ct)
    {
        await AddAsync(report, SectionKind.Title, title, actor, note, ct);
        foreach (var (kind, text) in new[] { (SectionKind.Lead, lead), (SectionKind.Closing, closing) })
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                await AddAsync(report, kind, text.Trim(), actor, note, ct);
            }
        }
    }

    /// <summary>
    /// Puts a text into a part: a new part when the report has none of that kind, otherwise the part's next version
    /// through the same edit every author makes (refused once the part left its draft, or for anyone but its author).
    /// </summary>
    public async Task<Refusal?> PutAsync(Report report, SectionKind kind, string text, CurrentUser actor, string note, CancellationToken ct)
    {
        if (await FindAsync(report.Id, kind, ct) is not { } existing)
        {
            await AddAsync(report, kind, text, actor, note, ct);
            return null;
        }

        if (db.Entry(existing).State == EntityState.Added)
        {
            // The edit loads the part from the database, inside the same transaction.
            await db.SaveChangesAsync(ct);
        }

        var edited = await edits.HandleAsync(new Sections.EditSection(actor, existing.Id, text, existing.CurrentVersion, note), ct);
        return edited.Refusal;
    }

    /// <summary>The report's part of a kind, also one added in this transaction and not yet saved.</summary>
    public async Task<Section?> FindAsync(Guid reportId, SectionKind kind, CancellationToken ct) =>
        db.Sections.Local.FirstOrDefault(s => s.ReportId == reportId && s.Kind == kind)
        ?? await db.Sections.FirstOrDefaultAsync(s => s.ReportId == reportId && s.Kind == kind, ct);

    /// <summary>One part, drafted by the report's clerk in the clerk's department, on the report-frame route.</summary>
    public async Task<Section> AddAsync(Report report, SectionKind kind, string content, CurrentUser actor, string? note, CancellationToken ct)
    {
        var stored = await routes.LatestAsync(db, DefaultRoutes.ReportFrameId, ct)
            ?? throw new InvalidOperationException("The built-in report-frame route is missing.");
        var route = (await routes.FindAsync(db, stored.DefinitionId, stored.Version, ct))!;
        var clerk = await db.Users.AsNoTracking().Where(u => u.Id == report.CreatedById).Select(u => new { u.Id, u.DepartmentId }).FirstOrDefaultAsync(ct);
        var section = new Section
        {
            Id = Guid.NewGuid(),
            ReportId = report.Id,
            Kind = kind,
            Ordinal = 0,
            Title = SectionKinds.Chinese(kind),
            Level = 0,
            DepartmentId = clerk?.DepartmentId ?? actor.DepartmentId,
            AuthorId = clerk?.Id ?? actor.Id,
            RouteDefinitionId = stored.DefinitionId,
            RouteVersion = stored.Version,
            UpdatedAt = clock.GetUtcNow(),
        };
        return await sections.CreateAsync(report, route, section, content, note, actor, ct);
    }

    /// <summary>
    /// Reports from before the parts were sections keep their title, lead and closing in the report row: each gets its
    /// parts once, as drafts of its clerk (nobody has reviewed that text), and the old columns are emptied.
    /// </summary>
    public async Task UpgradeAsync(CancellationToken ct)
    {
        var legacy = await db.Reports.AsNoTracking()
            .Where(r => !db.Sections.Any(s => s.ReportId == r.Id && s.Kind == SectionKind.Title))
            .Select(r => r.Id)
            .ToListAsync(ct);
        foreach (var id in legacy)
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Locked first and asked again: another host starting on the same database may have upgraded it meanwhile.
            var report = await audit.LockReportAsync(id, ct);
            if (await db.Sections.AnyAsync(s => s.ReportId == id && s.Kind == SectionKind.Title, ct))
            {
                continue;
            }

            await AddAsync(report, report.Title, report.Lead, report.Closing, CurrentUser.System, "升级：标题、导语与结尾成为审核部分", ct);
            (report.Lead, report.Closing) = ("", "");
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
    }
}
