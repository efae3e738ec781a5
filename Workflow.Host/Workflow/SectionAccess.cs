using Microsoft.EntityFrameworkCore;
using Workflow.Host.Infrastructure;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Workflow;

/// <summary>
/// Who may read what. County-wide readers see everything; department users see their department's
/// sections; anyone who holds or held a task on a section sees that section, since they were asked to
/// act on it (a route may name reviewers outside the department). A report, and its grouping headings,
/// is visible to whoever may see one of its sections.
/// </summary>
public static class SectionAccess
{
    /// <summary>
    /// The section if it exists and the user may read it; otherwise null (both answer 404 alike). Given the time, a proxy
    /// (委托) whose window is in force also reads the sections their principal holds tasks on.
    /// </summary>
    public static async Task<Section?> VisibleAsync(WorkflowDbContext db, Guid id, CurrentUser user, CancellationToken ct, DateTimeOffset? now = null)
    {
        var s = await db.Sections.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        var visible = s is not null && await CanReadAsync(db, user, s, ct, now);
        return visible ? s : null;
    }

    public static async Task<bool> CanReadAsync(WorkflowDbContext db, CurrentUser user, Section section, CancellationToken ct, DateTimeOffset? now = null)
    {
        if (section.IsGroup)
        {
            return await VisibleReports(db, user).AnyAsync(r => r.Id == section.ReportId, ct);
        }

        if (user.CanSeeDepartment(section.DepartmentId) || await db.Tasks.AnyAsync(t => t.SectionId == section.Id && t.AssigneeId == user.Id, ct))
        {
            return true;
        }

        return now is { } at && await db.ProxyWindows.Where(ProxyWindow.InForceAt(at))
            .AnyAsync(w => w.ProxyId == user.Id && db.Tasks.Any(t => t.SectionId == section.Id && t.AssigneeId == w.UserId), ct);
    }

    public static IQueryable<Report> VisibleReports(WorkflowDbContext db, CurrentUser user) =>
        user.SeesWholeCounty
            ? db.Reports.AsNoTracking()
            : db.Reports.AsNoTracking().Where(r =>
                db.Sections.Any(s => s.ReportId == r.Id && !s.IsGroup && s.DepartmentId == user.DepartmentId)
                || db.Tasks.Any(t => t.ReportId == r.Id && t.AssigneeId == user.Id));

    /// <summary>Sections of a report the user holds or held tasks on, for filtering an outline in one query.</summary>
    public static async Task<HashSet<Guid>> TaskSectionsAsync(WorkflowDbContext db, CurrentUser user, Guid reportId, CancellationToken ct) =>
        user.SeesWholeCounty
            ? []
            : (await db.Tasks.AsNoTracking().Where(t => t.ReportId == reportId && t.AssigneeId == user.Id).Select(t => t.SectionId).Distinct().ToListAsync(ct)).ToHashSet();
}
