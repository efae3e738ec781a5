using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;

namespace Workflow.Host.Features.Review;

/// <summary>Body of submit / approve / return / withdraw: the version the actor saw, and an opinion (意见).</summary>
public sealed record DecisionRequest(int? Version, string? Opinion);

public static class ReviewEndpoints
{
    public static void MapReview(this IEndpointRouteBuilder api)
    {
        api.MapPost("/sections/{id:guid}/submit", (Guid id, DecisionRequest body, HttpContext http, CommandPipeline pipeline) => Decide(id, SectionDecision.Submit, body, http, pipeline));
        api.MapPost("/sections/{id:guid}/approve", (Guid id, DecisionRequest body, HttpContext http, CommandPipeline pipeline) => Decide(id, SectionDecision.Approve, body, http, pipeline));
        api.MapPost("/sections/{id:guid}/return", (Guid id, DecisionRequest body, HttpContext http, CommandPipeline pipeline) => Decide(id, SectionDecision.Return, body, http, pipeline));
        api.MapPost("/sections/{id:guid}/withdraw", (Guid id, DecisionRequest body, HttpContext http, CommandPipeline pipeline) => Decide(id, SectionDecision.Withdraw, body, http, pipeline));
    }

    private static Task<IResult> Decide(Guid id, SectionDecision decision, DecisionRequest body, HttpContext http, CommandPipeline pipeline) =>
        pipeline.SendAsync(http, new DecideSection(CurrentUser.From(http.User), id, decision, body.Version, body.Opinion));
}
