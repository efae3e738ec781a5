using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Documents;
using Workflow.Activities.Engine;
using Workflow.Activities.Routes;
using Workflow.Host.Infrastructure;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Workflow;

/// <summary>A section loaded for a command: its row, route, current engine state and the candidates per stage.</summary>
public sealed record LoadedSection(Section Row, RouteDefinition Route, SectionState State, Participants Participants);

/// <summary>The position of a section after a command, returned by every decision endpoint.</summary>
public sealed record SectionStateDto(Guid Id, string Stage, string StageName, SectionStatus Status, int Version, string Hash, int Cycle)
{
    public static SectionStateDto From(Section s, RouteDefinition route) =>
        new(s.Id, route.Stages[s.StageIndex].Key, route.Stages[s.StageIndex].Name, s.Status, s.CurrentVersion, s.CurrentHash, s.Cycle);
}

/// <summary>
/// Loads a section, lets the pure engine decide a command and writes the outcome: section position,
/// tasks, sign-offs, one audit entry and the outbox events. Runs inside <see cref="CommandExecutor"/>'s transaction.
/// </summary>
public sealed class SectionCommands(WorkflowDbContext db, RouteCatalog routes, UserDirectory directory, AuditTrail audit, TimeProvider clock)
{
    public async Task<CommandOutcome> RunAsync(
        Guid sectionId,
        CurrentUser user,
        Func<LoadedSection, SectionCommand> makeCommand,
        Func<LoadedSection, Transition, object> respond,
        CancellationToken ct,
        Func<LoadedSection, object>? auditData = null)
    {
        var section = await db.Sections.FirstOrDefaultAsync(s => s.Id == sectionId, ct);
        if (section is null || !await SectionAccess.CanReadAsync(db, user, section, ct))
        {
            return CommandOutcome.Refused(Problems.NotFound($"Section {sectionId}"));
        }

        if (section.IsGroup)
        {
            return CommandOutcome.Refused(Problems.Conflict("This is a grouping heading; its subsections are reviewed, not the heading itself.", "group-heading"));
        }

        var route = await routes.FindAsync(db, section.RouteDefinitionId, section.RouteVersion, ct)
            ?? throw new InvalidOperationException($"Route {section.RouteDefinitionId} v{section.RouteVersion} is missing.");
        var tasks = await db.Tasks.Where(t => t.SectionId == sectionId).OrderBy(t => t.Ordinal).ToListAsync(ct);
        var signOffs = await db.SignOffs.Where(o => o.SectionId == sectionId).OrderBy(o => o.Ordinal).ToListAsync(ct);
        var content = await db.SectionVersions.Where(v => v.SectionId == sectionId && v.Number == section.CurrentVersion).Select(v => v.Content).SingleAsync(ct);
        var moves = await db.Moves.Where(m => m.SectionId == sectionId).OrderBy(m => m.Ordinal).ToListAsync(ct);
        var state = SectionStateMapper.ToState(section, tasks, signOffs, MissingFigures(content), moves);
        var loaded = new LoadedSection(section, route, state, await directory.ParticipantsAsync(route, section, ct));

        var command = makeCommand(loaded);
        var now = clock.GetUtcNow();
        var transition = SectionMachine.Decide(route, state, loaded.Participants, command, now);
        if (!transition.Accepted)
        {
            return CommandOutcome.Refused(Problems.From(transition.Rejection!));
        }

        // Nothing changed (same text saved again, same author assigned): answer without writing anything.
        if (transition.Events.IsEmpty && !db.ChangeTracker.HasChanges())
        {
            return CommandOutcome.Done(respond(loaded, transition));
        }

        var stageBefore = route.Stages[state.StageIndex].Key;
        var signer = await directory.SignerAsync(user, ct);
        SectionStateMapper.Apply(db, route, section, transition.State!, tasks, signOffs, now, signer, moves);
        OutboxWriter.Add(db, section.ReportId, section.Id, transition.Events, transition.State!.Version);
        if (transition.Events.OfType<SectionFinalized>().Any()
            && !await db.Sections.AnyAsync(s => s.ReportId == section.ReportId && !s.IsGroup && s.Id != section.Id && s.Status != SectionStatus.Approved, ct))
        {
            // The last section of the report was just approved: the report is ready for sign-off (签发).
            OutboxWriter.Add(db, new Activities.Contracts.ReportCompleted(section.ReportId, user.Id, now), section.ReportId, null, now);
        }

        await audit.AppendAsync(section.ReportId, section.Id, user.Id, user.UserName, "section." + command.Name, new
        {
            section = section.Title,
            stageBefore,
            stageAfter = route.Stages[section.StageIndex].Key,
            status = section.Status,
            version = section.CurrentVersion,
            hash = section.CurrentHash,
            details = auditData?.Invoke(loaded),
            events = transition.Events.Select(e => e.GetType().Name),
            // What a sign-off sheet shows of the actor, as they were on the day.
            signer = new { name = signer.Name, roles = signer.Roles, department = signer.Department },
        }, ct);
        return CommandOutcome.Done(respond(loaded, transition));
    }

    /// <summary>What the engine needs to know of a text's placeholders: a short excerpt around each.</summary>
    public static ImmutableArray<string> MissingFigures(string content) =>
        [.. PlaceholderScanner.Find(content).Select(p => p.Context)];

    /// <summary>Creates a reviewable section with version 1 and hands the draft task to its author.</summary>
    public async Task<Section> CreateAsync(Report report, RouteDefinition route, Section section, string content, string? note, CurrentUser user, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var hash = ContentHash.Of(content);
        var participants = await directory.ParticipantsAsync(route, section, ct);
        var transition = SectionMachine.Start(route, participants, user.Id, hash, now, MissingFigures(content));
        db.Sections.Add(section);
        db.SectionVersions.Add(new SectionVersion
        {
            Id = Guid.NewGuid(),
            SectionId = section.Id,
            Number = 1,
            Content = content,
            Hash = hash,
            AuthorId = user.Id,
            CreatedAt = now,
            Note = note,
        });
        SectionStateMapper.Apply(db, route, section, transition.State!, [], [], now, null);
        OutboxWriter.Add(db, report.Id, section.Id, transition.Events, transition.State!.Version);
        // Names beside the ids, as they are today, so the trail reads without looking anyone up.
        var authorName = await db.Users.AsNoTracking().Where(u => u.Id == section.AuthorId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
        var departmentName = await db.Departments.AsNoTracking().Where(d => d.Id == section.DepartmentId).Select(d => d.Name).FirstOrDefaultAsync(ct);
        await audit.AppendAsync(report.Id, section.Id, user.Id, user.UserName, "section.create", new { section = section.Title, version = 1, hash, author = section.AuthorId, authorName, department = section.DepartmentId, departmentName }, ct);
        return section;
    }
}
