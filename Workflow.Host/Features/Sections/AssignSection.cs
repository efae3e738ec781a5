using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Engine;
using Workflow.Host.Features.Reports;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Features.Sections;

/// <summary>Moves a section to a department and author (PUT /api/sections/{id}/assignment and the assignment page).</summary>
public sealed record AssignSection(CurrentUser Actor, Guid SectionId, string? Department, string? Author) : Command<AssignmentResult>(Actor);

/// <summary>Where a section went: the department's code and the author's user name.</summary>
public sealed record AssignmentResult(Guid Id, string Department, string Author);

public sealed class AssignSectionHandler(WorkflowDbContext db, SectionCommands sections) : ICommandHandler<AssignSection, AssignmentResult>
{
    public async Task<CommandResult<AssignmentResult>> HandleAsync(AssignSection command, CancellationToken ct)
    {
        var assignment = await Assignment.ResolveAsync(db, command.Department, command.Author, ct);
        if (assignment.Refusal is not null)
        {
            return assignment.Refusal;
        }

        var (department, author) = (assignment.Department!, assignment.Author!);
        // Loaded first: a report archived or signed off says so before anything about the section's stage.
        var (loaded, missing) = await sections.LoadAsync(command.SectionId, command.Actor, ct);
        if (loaded is null)
        {
            return missing!;
        }

        if (loaded.Row.DepartmentId != department.Id && loaded.Row.Status is not (SectionStatus.Draft or SectionStatus.Returned))
        {
            return Refusal.Conflict("The section is under review; it can move to another department only while it is with its author.", "wrong-stage");
        }

        // The department decides who reviews; set it before the engine hands the draft task on.
        loaded.Row.DepartmentId = department.Id;
        loaded.Row.AuthorId = author.Id;
        var (_, refused) = await sections.DecideAsync(loaded, new ReassignCommand(command.Actor.Id, author.Id), command.Actor, new { department = department.Code, author = author.UserName }, ct);
        return refused ?? CommandResult<AssignmentResult>.Done(new AssignmentResult(loaded.Row.Id, department.Code, author.UserName!));
    }
}

/// <summary>After someone left, moved or joined: the current review stage's tasks follow the directory.</summary>
public sealed record RefreshReviewers(CurrentUser Actor, Guid SectionId) : Command<SectionStateDto>(Actor);

public sealed class RefreshReviewersHandler(SectionCommands sections) : ICommandHandler<RefreshReviewers, SectionStateDto>
{
    public async Task<CommandResult<SectionStateDto>> HandleAsync(RefreshReviewers command, CancellationToken ct)
    {
        var (loaded, missing) = await sections.LoadAsync(command.SectionId, command.Actor, ct);
        if (loaded is null)
        {
            return missing!;
        }

        var (_, refused) = await sections.DecideAsync(loaded, new RefreshReviewersCommand(command.Actor.Id), command.Actor, null, ct);
        return refused ?? CommandResult<SectionStateDto>.Done(SectionStateDto.From(loaded.Row, loaded.Route));
    }
}
