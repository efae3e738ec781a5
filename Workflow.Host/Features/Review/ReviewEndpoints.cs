using Workflow.Activities.Engine;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;

namespace Workflow.Host.Features.Review;

/// <summary>Body of submit / approve / return / withdraw: the version the actor saw, and an opinion (意见).</summary>
public sealed record DecisionRequest(int? Version, string? Opinion);

public static class ReviewEndpoints
{
    public static void MapReview(this IEndpointRouteBuilder api)
    {
        api.MapPost("/sections/{id:guid}/submit", (Guid id, DecisionRequest body, HttpContext http, CommandExecutor executor, SectionCommands commands) =>
            Decide(id, body, http, executor, commands, (actor, version, opinion) => new SubmitCommand(actor, version, opinion)));
        api.MapPost("/sections/{id:guid}/approve", (Guid id, DecisionRequest body, HttpContext http, CommandExecutor executor, SectionCommands commands) =>
            Decide(id, body, http, executor, commands, (actor, version, opinion) => new ApproveCommand(actor, version, opinion)));
        api.MapPost("/sections/{id:guid}/return", (Guid id, DecisionRequest body, HttpContext http, CommandExecutor executor, SectionCommands commands) =>
            Decide(id, body, http, executor, commands, (actor, version, opinion) => new ReturnCommand(actor, version, opinion)));
        api.MapPost("/sections/{id:guid}/withdraw", (Guid id, DecisionRequest body, HttpContext http, CommandExecutor executor, SectionCommands commands) =>
            Decide(id, body, http, executor, commands, (actor, version, opinion) => new WithdrawCommand(actor, version, opinion)));
    }

    /// <summary>A decision on a section, from the API or from the section and review pages.</summary>
    internal static async Task<IResult> Decide(Guid id, DecisionRequest body, HttpContext http, CommandExecutor executor, SectionCommands commands, Func<string, int, string?, SectionCommand> make)
    {
        if (body.Version is null)
        {
            return Problems.Invalid("version", "Say which version you are deciding on: the version number you read.");
        }

        if ((body.Opinion?.Length ?? 0) > HostLimits.MaxOpinionCharacters)
        {
            return Problems.TooLong("opinion", $"An opinion is at most {HostLimits.MaxOpinionCharacters:N0} characters; this one has {body.Opinion!.Length:N0}.", HostLimits.MaxOpinionCharacters);
        }

        if (Problems.UnstorableText("opinion", "The opinion", body.Opinion) is { } unstorable)
        {
            return unstorable;
        }

        var user = CurrentUser.From(http.User);
        return await executor.ExecuteAsync(http, body, ct => commands.RunAsync(
            id,
            user,
            _ => make(user.Id, body.Version.Value, body.Opinion),
            (loaded, _) => SectionStateDto.From(loaded.Row, loaded.Route),
            ct,
            _ => new { seenVersion = body.Version, opinion = body.Opinion?.Trim() }));
    }
}
