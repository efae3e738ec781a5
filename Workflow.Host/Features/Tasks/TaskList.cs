using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Engine;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Features.Tasks;

/// <summary>The query behind GET /api/tasks and the inbox page.</summary>
public static class TaskList
{
    /// <summary>A user's tasks in one state, oldest first (the API's 待办 / 已办 and the inbox page).</summary>
    public static async Task<List<TaskDto>> LoadAsync(WorkflowDbContext db, RouteCatalog routes, TimeProvider clock, string userId, WorkTaskStatus wanted, CancellationToken ct)
    {
        var rows = await (
                from t in db.Tasks.AsNoTracking()
                join s in db.Sections on t.SectionId equals s.Id
                join r in db.Reports on s.ReportId equals r.Id
                where t.AssigneeId == userId && t.Status == wanted
                orderby t.CreatedAt
                select new { Task = t, Section = s, ReportTitle = r.Title })
            .Take(500)
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
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
                t.Cycle));
        }

        return result;
    }
}
