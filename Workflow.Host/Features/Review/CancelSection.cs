using Workflow.Activities.Engine;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;

namespace Workflow.Host.Features.Review;

/// <summary>撤销: an administrator ends a section's review run, with a reason; the section goes back to its author as a new draft.</summary>
public sealed record CancelSection(CurrentUser Actor, Guid SectionId, string? Reason) : Command<SectionStateDto>(Actor)
{
    public override Refusal? Validate()
    {
        if ((Reason?.Length ?? 0) > HostLimits.MaxOpinionCharacters)
        {
            return Refusal.TooLong("reason", $"A reason is at most {HostLimits.MaxOpinionCharacters:N0} characters.", HostLimits.MaxOpinionCharacters);
        }

        return Refusal.UnstorableText("reason", "The reason", Reason);
    }
}

public sealed class CancelSectionHandler(SectionCommands sections) : ICommandHandler<CancelSection, SectionStateDto>
{
    public async Task<CommandResult<SectionStateDto>> HandleAsync(CancelSection command, CancellationToken ct)
    {
        if (!command.Actor.IsInRole(Roles.Admin))
        {
            return Refusal.Forbidden("Only an administrator may cancel a section's review.");
        }

        var (loaded, missing) = await sections.LoadAsync(command.SectionId, command.Actor, ct);
        if (loaded is null)
        {
            return missing!;
        }

        var (_, refused) = await sections.DecideAsync(loaded, new CancelCommand(command.Actor.Id, command.Reason), command.Actor, new { reason = command.Reason?.Trim() }, ct);
        return refused ?? CommandResult<SectionStateDto>.Done(SectionStateDto.From(loaded.Row, loaded.Route));
    }
}
