using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Documents;
using Workflow.Host.Infrastructure;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Export;

/// <summary>
/// Assembles a report for export: its title, lead and closing parts around every heading and current text in outline
/// order. A report signed off and locked (定稿) is the final text with its issuer and the day it was signed; any other
/// is a draft for comment (征求意见稿).
/// </summary>
public sealed class ReportAssembler(WorkflowDbContext db, Workflow.AuditCheckpoints checkpoints)
{
    public async Task<ReportDocument?> BuildAsync(Guid reportId, CancellationToken ct)
    {
        var report = await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == reportId, ct);
        if (report is null)
        {
            return null;
        }

        var doc = await AssembleAsync(report, ct);
        var final = report.LockedAt is null
            ? null
            : await db.Finals.AsNoTracking().Where(f => f.ReportId == reportId).OrderByDescending(f => f.Number).FirstOrDefaultAsync(ct);
        // The file says which trail entry it reflects and which signed checkpoint vouches for it, so a copy can be checked later.
        var provenance = checkpoints.Latest().TryGetValue(reportId, out var signed)
            ? $"审计链第 {report.AuditSequence} 条；库外签名检查点止于第 {signed.Sequence} 条，指纹 {signed.Mac[..16]}"
            : $"审计链第 {report.AuditSequence} 条";
        return doc with
        {
            Draft = final is null,
            Provenance = final is null ? provenance : $"定稿 {final.Number}，签发文本指纹 {final.Hash[..16]}；{provenance}",
            SignedOn = final is null ? null : DateOnly.FromDateTime(CountyTime.Local(final.SignedAt).DateTime),
            Issuer = final is null ? report.Issuer : final.Issuer,
            Addressee = final is null ? report.Addressee : final.Addressee,
        };
    }

    /// <summary>The report's current text as a final would print it (what a 签发 now would be bound to).</summary>
    public async Task<ReportDocument> AssembleAsync(Report report, CancellationToken ct)
    {
        var sections = await db.Sections.AsNoTracking().Where(s => s.ReportId == report.Id).ToListAsync(ct);
        var texts = await (
                from s in db.Sections
                join v in db.SectionVersions on new { SectionId = s.Id, Number = s.CurrentVersion } equals new { v.SectionId, v.Number }
                where s.ReportId == report.Id
                select new { s.Id, v.Content })
            .ToDictionaryAsync(x => x.Id, x => x.Content, ct);
        return Assemble(report, sections, texts);
    }

    /// <summary>
    /// A final as it was signed: each part at the version the 签发 bound (the outline's headings as they stand), with
    /// the issuer, addressee and date of that 签发.
    /// </summary>
    public async Task<ReportDocument?> FinalAsync(Guid reportId, int number, CancellationToken ct)
    {
        var report = await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == reportId, ct);
        var final = await db.Finals.AsNoTracking().FirstOrDefaultAsync(f => f.ReportId == reportId && f.Number == number, ct);
        if (report is null || final is null)
        {
            return null;
        }

        var parts = JsonSerializer.Deserialize<List<Reports.SignedPart>>(final.Parts, Workflow.JsonDefaults.Storage) ?? [];
        var sections = await db.Sections.AsNoTracking().Where(s => s.ReportId == reportId).ToListAsync(ct);
        var signed = parts.Select(p => p.Section).ToHashSet();
        var versions = await db.SectionVersions.AsNoTracking().Where(v => signed.Contains(v.SectionId)).Select(v => new { v.SectionId, v.Number, v.Content }).ToListAsync(ct);
        var texts = parts.ToDictionary(p => p.Section, p => versions.FirstOrDefault(v => v.SectionId == p.Section && v.Number == p.Version)?.Content ?? "");
        // Parts added after this 签发 were not in it.
        var doc = Assemble(report, [.. sections.Where(s => s.IsGroup || signed.Contains(s.Id))], texts);
        return doc with
        {
            Draft = false,
            Issuer = final.Issuer,
            Addressee = final.Addressee,
            Provenance = $"定稿 {final.Number}，签发文本指纹 {final.Hash[..16]}",
            SignedOn = DateOnly.FromDateTime(CountyTime.Local(final.SignedAt).DateTime),
        };
    }

    private static ReportDocument Assemble(Report report, List<Section> sections, Dictionary<Guid, string> texts)
    {
        string Part(SectionKind kind) =>
            sections.FirstOrDefault(s => s.Kind == kind) is { } part ? TextDecoder.WithoutControls(texts.GetValueOrDefault(part.Id, "")) : "";

        var blocks = new List<DocumentBlock>();
        void Walk(Guid? parent)
        {
            foreach (var s in sections.Where(x => x.ParentId == parent && x.Kind == SectionKind.Body).OrderBy(x => x.Ordinal))
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
        var title = Part(SectionKind.Title);
        return new ReportDocument(title.Trim().Length > 0 ? title.Trim() : TextDecoder.WithoutControls(report.Title), Part(SectionKind.Lead), blocks, Part(SectionKind.Closing), Draft: false)
        {
            Issuer = report.Issuer,
            Addressee = report.Addressee,
        };
    }

    public static string FileName(string title, string extension)
    {
        // A title part may hold the clerk's line breaks (where the printed title wraps); a file name is one line.
        var safe = string.Concat(title.Where(c => !char.IsControl(c)).Select(c => Path.GetInvalidFileNameChars().Contains(c) || c is '"' or '\\' or '/' ? '_' : c)).Trim();
        return (safe.Length == 0 ? "report" : safe) + "." + extension;
    }
}
