using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;

namespace Workflow.Host.Features.Review;

/// <summary>
/// Body of submit / approve / return / withdraw / reclaim / advise: the version the actor saw, and an opinion (意见);
/// a return may name the stage it goes to (toStage) and where the resubmission goes (resubmitTo: rerun | returner);
/// a proxy may name whom they decide for (onBehalfOf, a user name).
/// </summary>
public sealed record DecisionRequest(int? Version, string? Opinion, string? ToStage = null, string? ResubmitTo = null, string? OnBehalfOf = null);

/// <summary>Body of POST /api/sections/{id}/cancel: why the review is cancelled.</summary>
public sealed record CancelRequest(string? Reason);

public static class ReviewEndpoints
{
    public static void MapReview(this IEndpointRouteBuilder api)
    {
        api.MapPost("/sections/{id:guid}/submit", (Guid id, DecisionRequest body, HttpContext http, CommandPipeline pipeline) => Decide(id, SectionDecision.Submit, body, http, pipeline));
        api.MapPost("/sections/{id:guid}/approve", (Guid id, DecisionRequest body, HttpContext http, CommandPipeline pipeline) => Decide(id, SectionDecision.Approve, body, http, pipeline));
        api.MapPost("/sections/{id:guid}/return", (Guid id, DecisionRequest body, HttpContext http, CommandPipeline pipeline) => Decide(id, SectionDecision.Return, body, http, pipeline));
        api.MapPost("/sections/{id:guid}/withdraw", (Guid id, DecisionRequest body, HttpContext http, CommandPipeline pipeline) => Decide(id, SectionDecision.Withdraw, body, http, pipeline));
        api.MapPost("/sections/{id:guid}/reclaim", (Guid id, DecisionRequest body, HttpContext http, CommandPipeline pipeline) => Decide(id, SectionDecision.Reclaim, body, http, pipeline));
        api.MapPost("/sections/{id:guid}/advise", (Guid id, DecisionRequest body, HttpContext http, CommandPipeline pipeline) => Decide(id, SectionDecision.Advise, body, http, pipeline));
        api.MapPost("/sections/{id:guid}/cancel", (Guid id, CancelRequest body, HttpContext http, CommandPipeline pipeline) =>
            pipeline.SendAsync(http, new CancelSection(CurrentUser.From(http.User), id, body.Reason))).RequireAuthorization(p => p.RequireRole(Roles.Admin));
    }

    private static Task<IResult> Decide(Guid id, SectionDecision decision, DecisionRequest body, HttpContext http, CommandPipeline pipeline) =>
        pipeline.SendAsync(http, new DecideSection(CurrentUser.From(http.User), id, decision, body.Version, body.Opinion) { ToStage = body.ToStage, ResubmitTo = body.ResubmitTo, OnBehalfOf = body.OnBehalfOf });
}
