using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Engine;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Reports;

/// <summary>Where a report stands as a whole: 起草中, 审核中, 待签发, 已定稿, 复审中.</summary>
public enum ReportState
{
    Drafting,
    InReview,
    AwaitingSignOff,
    Final,
    Rereview,
}

/// <summary>
/// A report's state and progress over all its reviewable parts (title, lead, closing and sections alike): how many are
/// approved, and its current final (定稿 N with the hash it was signed on) when it is locked.
/// </summary>
public sealed record ReportProgress(ReportState State, int Parts, int Approved, int Finals, int? FinalNumber, string? FinalHash)
{
    public static ReportState StateOf(bool locked, int finals, int parts, int approved, int inDraft) =>
        locked ? ReportState.Final
        : finals > 0 ? ReportState.Rereview
        : parts > 0 && approved == parts ? ReportState.AwaitingSignOff
        : inDraft == parts ? ReportState.Drafting
        : ReportState.InReview;

    /// <summary>The progress of each of the given reports, in one query.</summary>
    public static async Task<Dictionary<Guid, ReportProgress>> OfAsync(WorkflowDbContext db, IQueryable<Report> reports, CancellationToken ct)
    {
        var rows = await reports.Select(r => new
        {
            r.Id,
            Locked = r.LockedAt != null,
            Parts = db.Sections.Count(s => s.ReportId == r.Id && !s.IsGroup),
            Approved = db.Sections.Count(s => s.ReportId == r.Id && !s.IsGroup && s.Status == SectionStatus.Approved),
            InDraft = db.Sections.Count(s => s.ReportId == r.Id && !s.IsGroup && s.Status == SectionStatus.Draft),
            Finals = db.Finals.Count(f => f.ReportId == r.Id),
            Last = db.Finals.Where(f => f.ReportId == r.Id).OrderByDescending(f => f.Number).Select(f => new { f.Number, f.Hash }).FirstOrDefault(),
        }).ToListAsync(ct);
        return rows.ToDictionary(
            r => r.Id,
            r => new ReportProgress(StateOf(r.Locked, r.Finals, r.Parts, r.Approved, r.InDraft), r.Parts, r.Approved, r.Finals, r.Locked ? r.Last?.Number : null, r.Locked ? r.Last?.Hash : null));
    }
}
