using Microsoft.EntityFrameworkCore;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Reports;

/// <summary>A section added to a report by hand: a grouping heading, or a reviewable section with its text, department and author.</summary>
public sealed record AddSection(CurrentUser Actor, Guid ReportId, string? Title, string? Number, string? Content, string? Department, string? Author, Guid? ParentId, bool IsGroup, string? Note)
    : Command<AddedSection>(Actor)
{
    public override Refusal? Validate()
    {
        var title = Title?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > WorkflowDbContext.MaxTitleLength)
        {
            return Refusal.Invalid("title", $"A section needs a title of 1 to {WorkflowDbContext.MaxTitleLength} characters.");
        }

        if ((Number?.Length ?? 0) > 16)
        {
            return Refusal.Invalid("number", "The outline number (such as （一）) is at most 16 characters.");
        }

        if (!IsGroup && string.IsNullOrWhiteSpace(Content))
        {
            return Refusal.Invalid("content", "A reviewable section needs its text (content); add a grouping heading with isGroup=true instead.");
        }

        if ((Content?.Length ?? 0) > HostLimits.MaxSectionCharacters)
        {
            return Refusal.Invalid("content", $"Section text is at most {HostLimits.MaxSectionCharacters:N0} characters; this one has {Content!.Length:N0}.");
        }

        if ((Note?.Length ?? 0) > HostLimits.MaxNoteCharacters)
        {
            return Refusal.Invalid("note", $"A version note is at most {HostLimits.MaxNoteCharacters} characters.");
        }

        return Refusal.UnstorableText("title", "The title", title) ?? Refusal.UnstorableText("number", "The number", Number)
            ?? Refusal.UnstorableText("content", "The section text", Content) ?? Refusal.UnstorableText("note", "The version note", Note);
    }
}

public sealed record AddedSection(Guid Id, Guid ReportId, Guid? ParentId, int Ordinal, string Number, string Title, bool IsGroup, int? Version);

public sealed class AddSectionHandler(WorkflowDbContext db, RouteCatalog routes, SectionCommands sections, AuditTrail audit, TimeProvider clock) : ICommandHandler<AddSection, AddedSection>
{
    public async Task<CommandResult<AddedSection>> HandleAsync(AddSection command, CancellationToken ct)
    {
        var (id, user, title) = (command.ReportId, command.Actor, command.Title!.Trim());
        var report = await db.Reports.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (report is null)
        {
            return Refusal.NotFound($"Report {id}");
        }

        if (Refusal.Unchangeable(report.ArchivedAt, report.LockedAt) is { } fixedReport)
        {
            return fixedReport;
        }

        if (command.ParentId is { } parentId && !await db.Sections.AnyAsync(s => s.Id == parentId && s.ReportId == id && s.IsGroup, ct))
        {
            return Refusal.Invalid("parentId", "The parent must be a grouping heading of the same report.");
        }

        var ordinal = await db.Sections.Where(s => s.ReportId == id).Select(s => (int?)s.Ordinal).MaxAsync(ct) ?? -1;
        var route = (await routes.FindAsync(db, report.RouteDefinitionId, report.RouteVersion, ct))!;
        var section = new Section
        {
            Id = Guid.NewGuid(),
            ReportId = id,
            ParentId = command.ParentId,
            Ordinal = ordinal + 1,
            Number = command.Number?.Trim() ?? "",
            Title = title,
            IsGroup = command.IsGroup,
            RouteDefinitionId = report.RouteDefinitionId,
            RouteVersion = report.RouteVersion,
            UpdatedAt = clock.GetUtcNow(),
        };

        if (command.IsGroup)
        {
            db.Sections.Add(section);
            await audit.AppendAsync(id, section.Id, user.Id, user.UserName, "section.create-group", new { section = title }, ct);
        }
        else
        {
            var assignment = await Assignment.ResolveAsync(db, command.Department, command.Author, ct);
            if (assignment.Refusal is not null)
            {
                return assignment.Refusal;
            }

            section.DepartmentId = assignment.Department!.Id;
            section.AuthorId = assignment.Author!.Id;
            await sections.CreateAsync(report, route, section, command.Content!, command.Note, user, ct);
        }

        return CommandResult<AddedSection>.Done(
            new AddedSection(section.Id, section.ReportId, section.ParentId, section.Ordinal, section.Number, section.Title, section.IsGroup, command.IsGroup ? null : 1),
            StatusCodes.Status201Created);
    }
}
