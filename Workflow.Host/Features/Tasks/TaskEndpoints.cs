using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Engine;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Features.Tasks;

public sealed record TaskDto(
    Guid Id,
    Guid ReportId,
    string ReportTitle,
    Guid SectionId,
    string SectionNumber,
    string SectionTitle,
    string Stage,
    string StageName,
    WorkTaskStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DueAt,
    DateTimeOffset? ClosedAt,
    bool Overdue,
    int SectionVersion,
    int StageIndex,
    int Cycle);

/// <summary>Body of POST /api/tasks/{id}/remind: an optional note for the holder.</summary>
public sealed record RemindRequest(string? Note);

public static class TaskEndpoints
{
    public static void MapTasks(this IEndpointRouteBuilder api)
    {
        api.MapGet("/tasks", Mine);
        api.MapPost("/tasks/{id:guid}/remind", Remind);
    }

    /// <summary>催办 by hand: the report's clerk (or an administrator) nudges the holder of a pending task.</summary>
    internal static async Task<IResult> Remind(Guid id, RemindRequest? body, HttpContext http, CommandExecutor executor, TaskReminders reminders, Microsoft.Extensions.Options.IOptions<DeadlineOptions> options)
    {
        if ((body?.Note?.Length ?? 0) > MaxNoteCharacters)
        {
            return Problems.Invalid("note", $"A reminder note is at most {MaxNoteCharacters} characters.");
        }

        var user = CurrentUser.From(http.User);
        return await executor.ExecuteAsync(http, body, ct => reminders.NudgeAsync(id, user, body?.Note, options.Value.ManualReminderInterval, http, ct));
    }

    private const int MaxNoteCharacters = 500;

    /// <summary>待办 (state=pending, the default) or 已办 (state=done: tasks I completed).</summary>
    private static async Task<Results<Ok<List<TaskDto>>, ValidationProblem>> Mine(string? state, HttpContext http, WorkflowDbContext db, RouteCatalog routes, TimeProvider clock, CancellationToken ct)
    {
        var wanted = (state ?? "pending").ToLowerInvariant() switch
        {
            "pending" => WorkTaskStatus.Pending,
            "done" => WorkTaskStatus.Completed,
            _ => (WorkTaskStatus?)null,
        };
        if (wanted is null)
        {
            return Problems.Invalid("state", "state is 'pending' (待办) or 'done' (已办).");
        }

        var user = CurrentUser.From(http.User);
        return TypedResults.Ok(await LoadAsync(db, routes, clock, user.Id, wanted.Value, ct));
    }

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
