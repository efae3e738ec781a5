using Workflow.Activities.Engine;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;

namespace Workflow.Host.Features.Review;

/// <summary>What an actor does with a section they hold: send it on (送审), approve (同意), return (退回), pull it back (撤回).</summary>
public enum SectionDecision
{
    Submit,
    Approve,
    Return,
    Withdraw,
}

/// <summary>A decision on a section, naming the version the actor read (the engine binds it to that version's hash).</summary>
public sealed record DecideSection(CurrentUser Actor, Guid SectionId, SectionDecision Decision, int? Version, string? Opinion) : Command<SectionStateDto>(Actor)
{
    public override Refusal? Validate()
    {
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

    /// <summary>The engine's command for this decision.</summary>
    public SectionCommand ToEngine() => Decision switch
    {
        SectionDecision.Submit => new SubmitCommand(Actor.Id, Version!.Value, Opinion),
        SectionDecision.Approve => new ApproveCommand(Actor.Id, Version!.Value, Opinion),
        SectionDecision.Return => new ReturnCommand(Actor.Id, Version!.Value, Opinion),
        _ => new WithdrawCommand(Actor.Id, Version!.Value, Opinion),
    };
}

public sealed class DecideSectionHandler(SectionCommands sections) : ICommandHandler<DecideSection, SectionStateDto>
{
    public async Task<CommandResult<SectionStateDto>> HandleAsync(DecideSection command, CancellationToken ct)
    {
        var (loaded, missing) = await sections.LoadAsync(command.SectionId, command.Actor, ct);
        if (loaded is null)
        {
            return missing!;
        }

        var (_, refused) = await sections.DecideAsync(loaded, command.ToEngine(), command.Actor, new { seenVersion = command.Version, opinion = command.Opinion?.Trim() }, ct);
        return refused ?? CommandResult<SectionStateDto>.Done(SectionStateDto.From(loaded.Row, loaded.Route));
    }
}
