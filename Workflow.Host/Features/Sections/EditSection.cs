using Workflow.Activities.Documents;
using Workflow.Activities.Engine;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Sections;

/// <summary>A new version of a section's text, based on the version the author started from.</summary>
public sealed record EditSection(CurrentUser Actor, Guid SectionId, string? Content, int? BaseVersion, string? Note) : Command<EditContentResponse>(Actor)
{
    public override Refusal? Validate() => Check(Content, BaseVersion, Note);

    /// <summary>The checks on an edit's text, base and note, before anything is loaded; null when it may go ahead.</summary>
    internal static Refusal? Check(string? content, int? baseVersion, string? note)
    {
        if (content is null || baseVersion is null)
        {
            return Refusal.Invalid("content", "Send content and baseVersion (the version number your edit starts from).");
        }

        if (string.IsNullOrWhiteSpace(content))
        {
            return Refusal.Invalid("content", "The section text cannot be empty.", "empty-content");
        }

        if (content.Length > HostLimits.MaxSectionCharacters)
        {
            return Refusal.TooLong("content", $"Section text is at most {HostLimits.MaxSectionCharacters:N0} characters; this one has {content.Length:N0}.", HostLimits.MaxSectionCharacters);
        }

        if ((note?.Length ?? 0) > HostLimits.MaxNoteCharacters)
        {
            return Refusal.TooLong("note", $"A version note is at most {HostLimits.MaxNoteCharacters} characters.", HostLimits.MaxNoteCharacters);
        }

        return Refusal.UnstorableText("content", "The section text", content) ?? Refusal.UnstorableText("note", "The version note", note);
    }
}

/// <summary>The engine decides the edit, and a changed text becomes the next version.</summary>
public sealed class EditSectionHandler(WorkflowDbContext db, SectionCommands sections, TimeProvider clock) : ICommandHandler<EditSection, EditContentResponse>
{
    public async Task<CommandResult<EditContentResponse>> HandleAsync(EditSection command, CancellationToken ct)
    {
        var (loaded, missing) = await sections.LoadAsync(command.SectionId, command.Actor, ct);
        if (loaded is null)
        {
            return missing!;
        }

        var content = command.Content!;
        var title = loaded.Row.Kind == SectionKind.Title ? TitleOf(content) : null;
        if (title is not null && title.Length > WorkflowDbContext.MaxTitleLength)
        {
            return Refusal.TooLong("content", $"A report's title is at most {WorkflowDbContext.MaxTitleLength} characters (line breaks aside); this one has {title.Length:N0}.", WorkflowDbContext.MaxTitleLength);
        }

        var edit = new EditCommand(command.Actor.Id, command.BaseVersion!.Value, ContentHash.Of(content), command.Note, SectionCommands.MissingFigures(content));
        var (transition, refused) = await sections.DecideAsync(loaded, edit, command.Actor, new { baseVersion = command.BaseVersion, note = command.Note }, ct);
        if (refused is not null)
        {
            return refused;
        }

        var v = transition!.State!.Version;
        if (v.Number != loaded.State.Version.Number)
        {
            db.SectionVersions.Add(new SectionVersion
            {
                Id = Guid.NewGuid(),
                SectionId = command.SectionId,
                Number = v.Number,
                Content = content,
                Hash = v.Hash,
                AuthorId = command.Actor.Id,
                CreatedAt = clock.GetUtcNow(),
                Note = command.Note?.Trim(),
            });

            // Lists and pages name the report by its title part's current text.
            if (title is not null && await db.Reports.FindAsync([loaded.Row.ReportId], ct) is { } report)
            {
                report.Title = title;
            }
        }

        return CommandResult<EditContentResponse>.Done(new EditContentResponse(v.Number, v.Hash));
    }

    /// <summary>A title part's text as one line: the clerk's line breaks only say where the printed title wraps.</summary>
    public static string TitleOf(string content) => string.Concat(content.Split('\n').Select(l => l.Trim()));
}
