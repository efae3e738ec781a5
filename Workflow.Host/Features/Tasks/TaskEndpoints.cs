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
    int Cycle,
    UserRef? OnBehalfOf = null,
    TaskKind Kind = TaskKind.Regular);

/// <summary>Body of POST /api/tasks/{id}/remind: an optional note for the holder.</summary>
public sealed record RemindRequest(string? Note);

/// <summary>Body of POST /api/tasks/{id}/transfer (to, opinion) and /delegate (to, note): the user name of the person who receives it.</summary>
public sealed record HandOnRequest(string? To, string? Opinion, string? Note);

/// <summary>Body of POST /api/tasks/{id}/signers: who signs, and before, after or beside the holder.</summary>
public sealed record AddSignerRequest(string? User, string? Position, string? Note);

public static class TaskEndpoints
{
    public static void MapTasks(this IEndpointRouteBuilder api)
    {
        api.MapGet("/tasks", Mine);
        api.MapPost("/tasks/{id:guid}/remind", Remind);
        api.MapPost("/tasks/{id:guid}/transfer", (Guid id, HandOnRequest body, HttpContext http, CommandPipeline pipeline) =>
            pipeline.SendAsync(http, new OperateTask(CurrentUser.From(http.User), id, TaskOperation.Transfer, body.To, null, null, body.Opinion ?? body.Note)));
        api.MapPost("/tasks/{id:guid}/delegate", (Guid id, HandOnRequest body, HttpContext http, CommandPipeline pipeline) =>
            pipeline.SendAsync(http, new OperateTask(CurrentUser.From(http.User), id, TaskOperation.Delegate, body.To, null, null, body.Note ?? body.Opinion)));
        api.MapPost("/tasks/{id:guid}/signers", (Guid id, AddSignerRequest body, HttpContext http, CommandPipeline pipeline) =>
            pipeline.SendAsync(http, new OperateTask(CurrentUser.From(http.User), id, TaskOperation.AddSigner, body.User, body.Position, null, body.Note)));
        api.MapDelete("/tasks/{id:guid}/signers/{signer:guid}", (Guid id, Guid signer, HttpContext http, CommandPipeline pipeline) =>
            pipeline.SendAsync(http, new OperateTask(CurrentUser.From(http.User), id, TaskOperation.RemoveSigner, null, null, signer, null)));
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
