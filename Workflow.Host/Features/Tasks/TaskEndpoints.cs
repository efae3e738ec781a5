using Microsoft.AspNetCore.Http.HttpResults;
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
    private static Task<IResult> Remind(Guid id, RemindRequest? body, HttpContext http, CommandPipeline pipeline) =>
        pipeline.SendAsync(http, new RemindTask(CurrentUser.From(http.User), id, body?.Note));

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
        return TypedResults.Ok(await TaskList.LoadAsync(db, routes, clock, user.Id, wanted.Value, ct));
    }
}
