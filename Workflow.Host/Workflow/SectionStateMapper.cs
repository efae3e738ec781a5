using System.Collections.Immutable;
using Workflow.Activities.Engine;
using Workflow.Activities.Routes;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Workflow;

/// <summary>
/// Rows <-> engine state. The engine's task and sign-off lists are append-only with stable positions,
/// so row N (Ordinal) is always list entry N: new entries are inserted, changed ones updated.
/// </summary>
public static class SectionStateMapper
{
    public static SectionState ToState(Section s, IReadOnlyList<SectionTask> tasks, IReadOnlyList<SectionSignOff> signOffs, ImmutableArray<string> missingFigures, IReadOnlyList<SectionMove>? moves = null) => new(
        s.StageIndex,
        s.Status,
        s.Cycle,
        new VersionRef(s.CurrentVersion, s.CurrentHash, s.CurrentVersionAuthorId, missingFigures),
        [.. tasks.OrderBy(t => t.Ordinal).Select(t => new WorkTask(t.StageIndex, t.Cycle, t.AssigneeId, t.Status, t.CreatedAt, t.DueAt, t.ClosedAt)
        {
            Visit = t.Visit,
            Branch = t.Branch,
            Kind = t.Kind,
            Parent = t.ParentOrdinal,
            By = t.ById,
            Depth = t.Depth,
        })],
        [.. signOffs.OrderBy(o => o.Ordinal).Select(o => new SignOff(o.StageIndex, o.Cycle, o.ActorId, o.Decision, o.VersionNumber, o.VersionHash, o.Opinion, o.At, o.Dismissed)
        {
            Visit = o.Visit,
            Branch = o.Branch,
            Kind = o.Kind,
            OnBehalfOf = o.OnBehalfOfId,
        })])
    {
        Moves = [.. (moves ?? []).OrderBy(m => m.Ordinal).Select(m => new Move(m.Visit, m.StageIndex, m.Cycle, m.ActorId, m.Reason, m.At)
        {
            Branches = Lines(m.Branches),
            Skipped = Lines(m.Skipped),
            ResumeAt = m.ResumeAt,
            Note = m.Note,
        })],
    };

    private static ImmutableArray<string> Lines(string text) => text.Length == 0 ? [] : [.. text.Split('\n')];

    /// <summary>Writes the engine's state; a new sign-off by <paramref name="actor"/> keeps their name, roles and department as of now.</summary>
    public static void Apply(WorkflowDbContext db, RouteDefinition route, Section section, SectionState state, IReadOnlyList<SectionTask> taskRows, IReadOnlyList<SectionSignOff> signOffRows, DateTimeOffset now, Signer? actor, IReadOnlyList<SectionMove>? moveRows = null)
    {
        section.StageIndex = state.StageIndex;
        section.Status = state.Status;
        section.Cycle = state.Cycle;
        section.CurrentVersion = state.Version.Number;
        section.CurrentHash = state.Version.Hash;
        section.CurrentVersionAuthorId = state.Version.AuthorId;
        section.UpdatedAt = now;
        section.Revision++;

        Sync(state.Tasks, taskRows.OrderBy(t => t.Ordinal).ToList(), (t, row) =>
        {
            row.Status = t.Status;
            row.ClosedAt = t.ClosedAt;
            row.DueAt = t.DueAt;
            row.ParentOrdinal = t.Parent;
        }, (t, i) => db.Tasks.Add(new SectionTask
        {
            Id = Guid.NewGuid(),
            SectionId = section.Id,
            ReportId = section.ReportId,
            Ordinal = i,
            StageIndex = t.StageIndex,
            StageKey = route.Stages[t.StageIndex].Key,
            Cycle = t.Cycle,
            AssigneeId = t.AssigneeId,
            Status = t.Status,
            CreatedAt = t.CreatedAt,
            DueAt = t.DueAt,
            ClosedAt = t.ClosedAt,
            Visit = t.Visit,
            Branch = t.Branch,
            Kind = t.Kind,
            ParentOrdinal = t.Parent,
            ById = t.By,
            Depth = t.Depth,
        }));

        Sync(state.SignOffs, signOffRows.OrderBy(o => o.Ordinal).ToList(), (o, row) => row.Dismissed = o.Dismissed, (o, i) => db.SignOffs.Add(new SectionSignOff
        {
            Id = Guid.NewGuid(),
            SectionId = section.Id,
            ReportId = section.ReportId,
            Ordinal = i,
            StageIndex = o.StageIndex,
            StageKey = route.Stages[o.StageIndex].Key,
            Cycle = o.Cycle,
            ActorId = o.ActorId,
            ActorName = actor?.UserId == o.ActorId ? actor.Name : null,
            ActorRoles = actor?.UserId == o.ActorId ? actor.Roles : null,
            ActorDepartment = actor?.UserId == o.ActorId ? actor.Department : null,
            Decision = o.Decision,
            Opinion = o.Opinion,
            VersionNumber = o.VersionNumber,
            VersionHash = o.VersionHash,
            At = o.At,
            Dismissed = o.Dismissed,
            OnBehalfOfId = o.OnBehalfOf,
            Visit = o.Visit,
            Branch = o.Branch,
            Kind = o.Kind,
        }));

        // A move's branches change while its visit is under way (a reviewer who edits leaves, newcomers join).
        Sync(state.Moves, (moveRows ?? []).OrderBy(m => m.Ordinal).ToList(), (m, row) =>
        {
            row.Branches = string.Join('\n', m.Branches);
            row.Skipped = string.Join('\n', m.Skipped);
        }, (m, i) => db.Moves.Add(new SectionMove
        {
            Id = Guid.NewGuid(),
            SectionId = section.Id,
            ReportId = section.ReportId,
            Ordinal = i,
            Visit = m.Visit,
            StageIndex = m.StageIndex,
            StageKey = route.Stages[m.StageIndex].Key,
            Cycle = m.Cycle,
            ActorId = m.ActorId,
            Reason = m.Reason,
            At = m.At,
            Branches = string.Join('\n', m.Branches),
            Skipped = string.Join('\n', m.Skipped),
            ResumeAt = m.ResumeAt,
            Note = m.Note,
        }));
    }

    /// <summary>Entry i of the engine's list is row i: existing rows take the entry's mutable fields, new entries become rows.</summary>
    private static void Sync<TEntry, TRow>(IReadOnlyList<TEntry> entries, IReadOnlyList<TRow> rows, Action<TEntry, TRow> update, Action<TEntry, int> insert)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            if (i < rows.Count)
            {
                update(entries[i], rows[i]);
            }
            else
            {
                insert(entries[i], i);
            }
        }
    }
}
