using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Documents;
using Workflow.Host.Infrastructure;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Reports;

/// <summary>A report as one reader sees it: its parts in order, their texts, its state and its current final.</summary>
public sealed class ReportDetails(WorkflowDbContext db, SectionViews views)
{
    public async Task<ReportDetail> BuildAsync(Report report, CurrentUser user, CancellationToken ct)
    {
        var outline = await views.OutlineAsync(report.Id, user, null, ct);
        var visible = outline.Where(s => s.Kind != SectionKind.Body).Select(s => s.Id).ToList();
        var texts = await (
                from s in db.Sections
                join v in db.SectionVersions on new { SectionId = s.Id, Number = s.CurrentVersion } equals new { v.SectionId, v.Number }
                where visible.Contains(s.Id)
                select new { s.Kind, v.Content })
            .ToDictionaryAsync(x => x.Kind, x => x.Content, ct);
        var progress = (await ReportProgress.OfAsync(db, db.Reports.Where(r => r.Id == report.Id), ct)).GetValueOrDefault(report.Id)
            ?? new ReportProgress(ReportState.Drafting, 0, 0, 0, null, null);
        var final = report.LockedAt is null
            ? null
            : await db.Finals.AsNoTracking().Where(f => f.ReportId == report.Id).OrderByDescending(f => f.Number)
                .Select(f => new FinalRef(f.Number, f.Hash, f.SignedAt, f.SignerName, f.SignerTitle, f.Opinion))
                .FirstOrDefaultAsync(ct);
        return new ReportDetail(
            report.Id,
            report.Title,
            texts.GetValueOrDefault(SectionKind.Lead, ""),
            texts.GetValueOrDefault(SectionKind.Closing, ""),
            new RouteRef(report.RouteDefinitionId, report.RouteVersion),
            report.CreatedAt,
            outline)
        {
            State = progress.State,
            Issuer = report.Issuer,
            Addressee = report.Addressee,
            Final = final,
            Finals = progress.Finals,
        };
    }
}
