using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Documents;
using Workflow.Activities.Engine;
using Workflow.Activities.Routes;
using Workflow.Host.Infrastructure;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Workflow;

/// <summary>A section loaded for a command: its row, route, current engine state, the candidates per stage and the rows the state came from.</summary>
public sealed record LoadedSection(Section Row, RouteDefinition Route, SectionState State, Participants Participants, List<SectionTask> Tasks, List<SectionSignOff> SignOffs, List<SectionMove> Moves);

/// <summary>The position of a section after a command, returned by every decision endpoint.</summary>
public sealed record SectionStateDto(Guid Id, string Stage, string StageName, SectionStatus Status, int Version, string Hash, int Cycle)
{
    public static SectionStateDto From(Section s, RouteDefinition route) =>
        new(s.Id, route.Stages[s.StageIndex].Key, route.Stages[s.StageIndex].Name, s.Status, s.CurrentVersion, s.CurrentHash, s.Cycle);
}

/// <summary>
/// The steps every section command takes inside <see cref="CommandPipeline"/>'s transaction: load a section with its
/// route, engine state and candidates; let the pure engine decide; write the outcome (section position, tasks,
/// sign-offs, one audit entry and the outbox events).
/// </summary>
public sealed class SectionCommands(WorkflowDbContext db, RouteCatalog routes, UserDirectory directory, AuditTrail audit, TimeProvider clock)
{
    /// <summary>The section as the engine sees it, or a refusal: missing or not readable (404 alike), or a grouping heading.</summary>
    public async Task<(LoadedSection? Section, Refusal? Refusal)> LoadAsync(Guid sectionId, CurrentUser user, CancellationToken ct)
    {
        var section = await db.Sections.FirstOrDefaultAsync(s => s.Id == sectionId, ct);
        if (section is null || !await SectionAccess.CanReadAsync(db, user, section, ct, clock.GetUtcNow()))
        {
            return (null, Refusal.NotFound($"Section {sectionId}"));
        }

        if (section.IsGroup)
        {
            return (null, Refusal.Conflict("This is a grouping heading; its subsections are reviewed, not the heading itself.", "group-heading"));
        }

        var report = await db.Reports.AsNoTracking().Where(r => r.Id == section.ReportId).Select(r => new { r.ArchivedAt, r.LockedAt }).SingleAsync(ct);
        if (Refusal.Unchangeable(report.ArchivedAt, report.LockedAt) is { } fixedReport)
        {
            return (null, fixedReport);
        }

        var route = await routes.FindAsync(db, section.RouteDefinitionId, section.RouteVersion, ct)
            ?? throw new InvalidOperationException($"Route {section.RouteDefinitionId} v{section.RouteVersion} is missing.");
        var tasks = await db.Tasks.Where(t => t.SectionId == sectionId).OrderBy(t => t.Ordinal).ToListAsync(ct);
        var signOffs = await db.SignOffs.Where(o => o.SectionId == sectionId).OrderBy(o => o.Ordinal).ToListAsync(ct);
        var content = await db.SectionVersions.Where(v => v.SectionId == sectionId && v.Number == section.CurrentVersion).Select(v => v.Content).SingleAsync(ct);
        var moves = await db.Moves.Where(m => m.SectionId == sectionId).OrderBy(m => m.Ordinal).ToListAsync(ct);
        var state = SectionStateMapper.ToState(section, tasks, signOffs, MissingFigures(content), moves);
        return (new LoadedSection(section, route, state, await directory.ParticipantsAsync(route, section, ct), tasks, signOffs, moves), null);
    }

    /// <summary>
    /// Lets the engine decide <paramref name="command"/> and, when it accepts, writes the outcome with its audit entry
    /// (<paramref name="details"/> beside the position) and outbox events. A command that changes nothing (the same
    /// text saved again, the same author assigned) writes nothing.
    /// </summary>
    public async Task<(Transition? Transition, Refusal? Refusal)> DecideAsync(LoadedSection loaded, SectionCommand command, CurrentUser user, object? details, CancellationToken ct)
    {
        var (section, route, state) = (loaded.Row, loaded.Route, loaded.State);
        var now = clock.GetUtcNow();
        var transition = SectionMachine.Decide(route, state, loaded.Participants, command, now);
        if (!transition.Accepted)
        {
            return (null, Refusal.From(transition.Rejection!));
        }

        if (transition.Events.IsEmpty && !db.ChangeTracker.HasChanges())
        {
            return (transition, null);
        }

        var stageBefore = route.Stages[state.StageIndex].Key;
        var signer = await directory.SignerAsync(user, ct);
        SectionStateMapper.Apply(db, route, section, transition.State!, loaded.Tasks, loaded.SignOffs, now, signer, loaded.Moves);
        foreach (var decided in db.ChangeTracker.Entries<SectionSignOff>().Where(e => e.State == EntityState.Added && e.Entity.OnBehalfOfId is not null).Select(e => e.Entity))
        {
            // A proxy's decision keeps the name of the one it was for, as it was on the day.
            decided.OnBehalfOfName = (await directory.NamesAsync([decided.OnBehalfOfId], ct)).GetValueOrDefault(decided.OnBehalfOfId!)?.DisplayName;
        }

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
            details,
            events = transition.Events.Select(e => e.GetType().Name),
            // What a sign-off sheet shows of the actor, as they were on the day.
            signer = new { name = signer.Name, roles = signer.Roles, department = signer.Department },
        }, ct);
        return (transition, null);
    }

    /// <summary>
    /// What <paramref name="user"/> may do on the section now, as the engine answers it, read without writing anything,
    /// so a page offers what the engine allows instead of re-deriving its rules; null when the section is not theirs to see.
    /// </summary>
    public async Task<AllowedActions?> AllowedAsync(Guid sectionId, CurrentUser user, CancellationToken ct)
    {
        var (loaded, _) = await LoadAsync(sectionId, user, ct);
        var allowed = loaded is null ? null : SectionMachine.Allowed(loaded.Route, loaded.State, loaded.Participants, user.Id, user.IsInRole(Roles.Admin), clock.GetUtcNow());
        // The rows were read to ask, not to change; the caller's context stays as it was.
        db.ChangeTracker.Clear();
        return allowed;
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
