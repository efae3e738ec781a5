using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Engine;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Tasks;

/// <summary>The query behind GET /api/tasks and the inbox page.</summary>
public static class TaskList
{
    /// <summary>A user's tasks in one state, oldest first (the API's 待办 / 已办 and the inbox page).</summary>
    public static async Task<List<TaskDto>> LoadAsync(WorkflowDbContext db, RouteCatalog routes, TimeProvider clock, string userId, WorkTaskStatus wanted, CancellationToken ct)
    {
        var now = clock.GetUtcNow();

        // 委托: a proxy's 待办 also lists the pending tasks of those they stand in for, while the window is in force.
        var principals = wanted == WorkTaskStatus.Pending
            ? await db.ProxyWindows.AsNoTracking().Where(ProxyWindow.InForceAt(now)).Where(w => w.ProxyId == userId)
                .Select(w => new { w.UserId, w.Routes }).ToListAsync(ct)
            : [];
        var principalIds = principals.Select(p => p.UserId).ToList();
        var rows = await (
                from t in db.Tasks.AsNoTracking()
                join s in db.Sections on t.SectionId equals s.Id
                join r in db.Reports on s.ReportId equals r.Id
                where (t.AssigneeId == userId || principalIds.Contains(t.AssigneeId)) && t.Status == wanted
                orderby t.CreatedAt
                select new { Task = t, Section = s, ReportTitle = r.Title })
            .Take(500)
            .ToListAsync(ct);
        rows = [.. rows.Where(x => x.Task.AssigneeId == userId || principals.Any(p => p.UserId == x.Task.AssigneeId && ProxyWindow.Covers(p.Routes, x.Section.RouteDefinitionId)))];
        var names = principalIds.Count == 0 ? [] : await db.Users.AsNoTracking().Where(u => principalIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => new UserRef(u.Id, u.UserName!, u.DisplayName), ct);
        var result = new List<TaskDto>();
        foreach (var row in rows)
        {
            var route = await routes.FindAsync(db, row.Section.RouteDefinitionId, row.Section.RouteVersion, ct);
            var t = row.Task;
            result.Add(new TaskDto(
                t.Id, row.Section.ReportId, row.ReportTitle, row.Section.Id, row.Section.Number, row.Section.Title,
                t.StageKey, route?.Stages.ElementAtOrDefault(t.StageIndex)?.Name ?? t.StageKey,
                t.Status, t.CreatedAt, t.DueAt, t.ClosedAt,
                t.Status == WorkTaskStatus.Pending && t.DueAt < now,
                row.Section.CurrentVersion,
                t.StageIndex,
                t.Cycle,
                t.AssigneeId == userId ? null : names.GetValueOrDefault(t.AssigneeId),
                t.Kind));
        }

        return result;
    }
}
