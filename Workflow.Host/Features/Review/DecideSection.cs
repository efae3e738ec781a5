using Workflow.Activities.Engine;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;

namespace Workflow.Host.Features.Review;

/// <summary>
/// What an actor does with a section they hold: send it on (送审), approve (同意), return (退回), pull it back (撤回),
/// take back an approval (拿回), or give the advice they were asked for (委派的意见).
/// </summary>
public enum SectionDecision
{
    Submit,
    Approve,
    Return,
    Withdraw,
    Reclaim,
    Advise,
}

/// <summary>A decision on a section, naming the version the actor read (the engine binds it to that version's hash).</summary>
public sealed record DecideSection(CurrentUser Actor, Guid SectionId, SectionDecision Decision, int? Version, string? Opinion) : Command<SectionStateDto>(Actor)
{
    /// <summary>A return's target stage key (default: the author).</summary>
    public string? ToStage { get; init; }

    /// <summary>"rerun" or "returner": where the resubmission goes (default: the route's choice).</summary>
    public string? ResubmitTo { get; init; }

    /// <summary>For a proxy (委托): the user name of the holder they decide for, when they stand in for more than one.</summary>
    public string? OnBehalfOf { get; init; }

    public override Refusal? Validate()
    {
        if (ResubmitTo is not (null or "rerun" or "returner"))
        {
            return Refusal.Invalid("resubmitTo", "resubmitTo is 'rerun' (through the stages in between again) or 'returner' (straight back to the stage that returned it).");
        }

        if ((ToStage?.Length ?? 0) > 32 || (OnBehalfOf?.Length ?? 0) > 256)
        {
            return Refusal.Invalid(ToStage?.Length > 32 ? "toStage" : "onBehalfOf", "That is longer than any stage key or user name.");
        }

        if (Version is null)
        {
            return Refusal.Invalid("version", "Say which version you are deciding on: the version number you read.");
        }

        if ((Opinion?.Length ?? 0) > HostLimits.MaxOpinionCharacters)
        {
            return Refusal.TooLong("opinion", $"An opinion is at most {HostLimits.MaxOpinionCharacters:N0} characters; this one has {Opinion!.Length:N0}.", HostLimits.MaxOpinionCharacters);
        }

        return Refusal.UnstorableText("opinion", "The opinion", Opinion);
    }

    /// <summary>The engine's command for this decision; <paramref name="onBehalfOfId"/> is the resolved holder a proxy decides for.</summary>
    public SectionCommand ToEngine(string? onBehalfOfId = null) => Decision switch
    {
        SectionDecision.Submit => new SubmitCommand(Actor.Id, Version!.Value, Opinion),
        SectionDecision.Approve => new ApproveCommand(Actor.Id, Version!.Value, Opinion) { OnBehalfOf = onBehalfOfId },
        SectionDecision.Return => new ReturnCommand(Actor.Id, Version!.Value, Opinion)
        {
            ToStage = ToStage,
            ResubmitTo = ResubmitTo switch { "rerun" => Activities.Routes.ResubmitTo.Rerun, "returner" => Activities.Routes.ResubmitTo.Returner, _ => null },
            OnBehalfOf = onBehalfOfId,
        },
        SectionDecision.Reclaim => new ReclaimCommand(Actor.Id, Version!.Value, Opinion),
        SectionDecision.Advise => new AdviseCommand(Actor.Id, Version!.Value, Opinion),
        _ => new WithdrawCommand(Actor.Id, Version!.Value, Opinion),
    };
}

public sealed class DecideSectionHandler(SectionCommands sections, UserDirectory directory) : ICommandHandler<DecideSection, SectionStateDto>
{
    public async Task<CommandResult<SectionStateDto>> HandleAsync(DecideSection command, CancellationToken ct)
    {
        var (loaded, missing) = await sections.LoadAsync(command.SectionId, command.Actor, ct);
        if (loaded is null)
        {
            return missing!;
        }

        string? principal = null;
        if (command.OnBehalfOf is { Length: > 0 } name)
        {
            principal = await directory.IdOfAsync(name, ct);
            if (principal is null)
            {
                return Refusal.Invalid("onBehalfOf", $"There is no active user '{name}'.", "unknown-user");
            }
        }

        var details = new { seenVersion = command.Version, opinion = command.Opinion?.Trim(), toStage = command.ToStage, resubmitTo = command.ResubmitTo, onBehalfOf = principal };
        var (_, refused) = await sections.DecideAsync(loaded, command.ToEngine(principal), command.Actor, details, ct);
        return refused ?? CommandResult<SectionStateDto>.Done(SectionStateDto.From(loaded.Row, loaded.Route));
    }
}
