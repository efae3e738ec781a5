using Workflow.Host.Features.Review;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Features.Sections;

/// <summary>
/// The editor's 送审: saves the text if one is sent and it changed, then submits the resulting version, as one command,
/// so a refused submission leaves no new version behind.
/// </summary>
public sealed record SubmitText(CurrentUser Actor, Guid SectionId, string? Content, int BaseVersion, string? Note) : Command<SectionStateDto>(Actor)
{
    public override Refusal? Validate() => Content is null ? null : EditSection.Check(Content, BaseVersion, Note);
}

public sealed class SubmitTextHandler(WorkflowDbContext db, EditSectionHandler edits, DecideSectionHandler decisions) : ICommandHandler<SubmitText, SectionStateDto>
{
    public async Task<CommandResult<SectionStateDto>> HandleAsync(SubmitText command, CancellationToken ct)
    {
        var version = command.BaseVersion;
        if (command.Content is not null)
        {
            var edited = await edits.HandleAsync(new EditSection(command.Actor, command.SectionId, command.Content, command.BaseVersion, command.Note), ct);
            if (!edited.Succeeded)
            {
                return edited.Refusal;
            }

            version = edited.Value.Version;
            // Written inside the transaction, so the submission reads the section as the edit left it.
            await db.SaveChangesAsync(ct);
        }

        return await decisions.HandleAsync(new DecideSection(command.Actor, command.SectionId, SectionDecision.Submit, version, null), ct);
    }
}
