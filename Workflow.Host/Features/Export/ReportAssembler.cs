using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Documents;
using Workflow.Activities.Engine;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Export;

/// <summary>Assembles a report for export: title, lead, every heading and current text in outline order, closing.</summary>
public sealed class ReportAssembler(WorkflowDbContext db, Workflow.AuditCheckpoints checkpoints)
{
    public async Task<ReportDocument?> BuildAsync(Guid reportId, CancellationToken ct)
    {
        var report = await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == reportId, ct);
        if (report is null)
        {
            return null;
        }

        var sections = await db.Sections.AsNoTracking().Where(s => s.ReportId == reportId).ToListAsync(ct);
        var texts = await (
                from s in db.Sections
                join v in db.SectionVersions on new { SectionId = s.Id, Number = s.CurrentVersion } equals new { v.SectionId, v.Number }
                where s.ReportId == reportId
                select new { s.Id, v.Content })
            .ToDictionaryAsync(x => x.Id, x => x.Content, ct);

        var blocks = new List<DocumentBlock>();
        void Walk(Guid? parent)
        {
            foreach (var s in sections.Where(x => x.ParentId == parent).OrderBy(x => x.Ordinal))
            {
                var level = s.Level > 0 ? s.Level : s.IsGroup ? 1 : 2;
                // A group's own text was imported as an untitled overview unit; it has no heading of its own to print.
                var title = !s.IsGroup && s.Number.Length == 0 && s.Title == ReviewUnits.OverviewTitle ? "" : s.Title + s.HeadingMark;
                var body = s.IsGroup ? "" : TextDecoder.WithoutControls(texts.GetValueOrDefault(s.Id, ""));
                blocks.Add(new DocumentBlock(level, s.Number, TextDecoder.WithoutControls(title), s.SharesLine && title.Length > 0, body));
                Walk(s.Id);
            }
        }

        Walk(null);
        var units = sections.Where(s => !s.IsGroup).ToList();
        // Until every section is approved, the document says it is a draft for comment (征求意见稿).
        var draft = units.Count == 0 || units.Any(s => s.Status != SectionStatus.Approved);
        // The file says which trail entry it reflects and which signed checkpoint vouches for it, so a copy can be checked later.
        var provenance = checkpoints.Latest().TryGetValue(reportId, out var signed)
            ? $"审计链第 {report.AuditSequence} 条；库外签名检查点止于第 {signed.Sequence} 条，指纹 {signed.Mac[..16]}"
            : $"审计链第 {report.AuditSequence} 条";
        return new ReportDocument(TextDecoder.WithoutControls(report.Title), TextDecoder.WithoutControls(report.Lead), blocks, TextDecoder.WithoutControls(report.Closing), draft)
        {
            Provenance = provenance,
        };
    }

    public static string FileName(string title, string extension)
    {
        var safe = string.Concat(title.Select(c => Path.GetInvalidFileNameChars().Contains(c) || c is '"' or '\\' or '/' ? '_' : c)).Trim();
        return (safe.Length == 0 ? "report" : safe) + "." + extension;
    }
}
