using Workflow.Activities.Engine;
using Workflow.Activities.Routes;

namespace Workflow.Host.Pages;

/// <summary>A decision as the diagram shows it: the names as kept on the sign-off row, what, when, and the kind of task it decided.</summary>
public sealed record DiagramDecision(string Name, string? OnBehalfOf, Decision Decision, TaskKind Kind, DateTimeOffset At);

/// <summary>Someone the stage waits for now: their name, the kind of task (加签, 委派 …), whether it waits itself, and who stands in for them.</summary>
public sealed record DiagramPending(Guid TaskId, string Name, TaskKind Kind, bool Waiting, string? Proxy, string? AddedBy);

/// <summary>One branch of a stage (a department of a countersign); a stage that is not a countersign has one, unnamed.</summary>
public sealed record DiagramBranch(string Key, string? Label, IReadOnlyList<DiagramDecision> Decisions, IReadOnlyList<DiagramPending> Pending);

/// <summary>A stage of the route: its name and kind from the route, where the section stands with it, and its branches.</summary>
public sealed record DiagramStage(int Index, string Key, string Name, ActivityKind Kind, string State, IReadOnlyList<DiagramBranch> Branches);

/// <summary>A step of the section's path that went backwards or was pulled back: a return, withdrawal, reclaim or cancellation.</summary>
public sealed record DiagramTurn(MoveReason Reason, string From, string To, string Actor, DateTimeOffset At, string? Note);

/// <summary>
/// The route as the section page draws it: the route's stages in order (names and kinds from the route, never from
/// code), countersign branches side by side, who decided what and when at each stage's latest visit, who the current
/// stage waits for, and where returns and other steps back went (from the section's moves).
/// </summary>
public sealed record RouteDiagram(IReadOnlyList<DiagramStage> Stages, IReadOnlyList<DiagramTurn> Turns)
{
    public static RouteDiagram Of(SectionContext s)
    {
        var route = s.Route;
        var row = s.Row;
        var moves = s.MoveRows;
        var currentVisit = moves.Count == 0 ? 0 : moves[^1].Visit;
        string Name(string id) => s.Names.GetValueOrDefault(id, id);
        string BranchLabel(string key) => s.DepartmentNames.TryGetValue(key, out var d) ? d : s.Names.TryGetValue(key, out var n) ? n : key;

        var stages = new List<DiagramStage>();
        for (var i = 0; i < route.Stages.Length; i++)
        {
            var stage = route.Stages[i];
            var lastMove = moves.LastOrDefault(m => m.StageIndex == i);
            var visit = lastMove?.Visit;
            var current = i == row.StageIndex && row.Status != SectionStatus.Approved;
            var state = row.Status == SectionStatus.Approved ? (lastMove?.Reason == MoveReason.Skip ? "skipped" : "done")
                : current ? "current"
                : i < row.StageIndex ? (lastMove?.Reason == MoveReason.Skip ? "skipped" : "done")
                : "todo";
            var decisions = visit is null ? [] : s.SignOffRows.Where(o => o.StageIndex == i && o.Visit == visit && !o.Dismissed).ToList();
            var pending = current ? s.TaskRows.Where(t => t.StageIndex == i && t.Visit == currentVisit && t.Status is WorkTaskStatus.Pending or WorkTaskStatus.Waiting).ToList() : [];

            DiagramBranch Branch(string key, string? label, Func<string, bool> holds) => new(
                key,
                label,
                [.. decisions.Where(o => holds(o.Branch)).Select(o => new DiagramDecision(o.ActorName ?? Name(o.ActorId), o.OnBehalfOfId is null ? null : o.OnBehalfOfName ?? Name(o.OnBehalfOfId), o.Decision, o.Kind, o.At))],
                [.. pending.Where(t => holds(t.Branch)).Select(t => new DiagramPending(t.Id, Name(t.AssigneeId), t.Kind, t.Status == WorkTaskStatus.Waiting, s.Proxies.GetValueOrDefault(t.AssigneeId), t.ById is null ? null : Name(t.ById)))]);

            IReadOnlyList<DiagramBranch> branches;
            if (stage.Kind == ActivityKind.Countersign)
            {
                // The branches of the latest visit as the engine laid them out, else those the route names.
                var keys = lastMove is { Branches.Length: > 0 } ? lastMove.Branches.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList()
                    : [.. stage.Branches.SelectMany(b => b.Kind == AssigneeKind.DepartmentHeads ? b.Departments.AsEnumerable() : b.Kind == AssigneeKind.Users && !b.Users.IsDefaultOrEmpty ? b.Users.AsEnumerable() : [b.Role ?? b.Kind.ToString()])];
                var skipped = lastMove?.Skipped.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? [];
                branches = [.. keys.Where(k => !skipped.Contains(k)).Select(k => Branch(k, BranchLabel(k), b => b == k))];
            }
            else
            {
                branches = [Branch("", null, _ => true)];
            }

            stages.Add(new DiagramStage(i, stage.Key, stage.Name, stage.Kind, state, branches));
        }

        var turns = new List<DiagramTurn>();
        for (var k = 1; k < moves.Count; k++)
        {
            var m = moves[k];
            if (m.Reason is MoveReason.Return or MoveReason.Withdraw or MoveReason.Reclaim or MoveReason.Cancel)
            {
                var from = moves[k - 1].StageIndex;
                turns.Add(new DiagramTurn(m.Reason, StageName(route, from), StageName(route, m.StageIndex), Name(m.ActorId), m.At, m.Note));
            }
        }

        return new RouteDiagram(stages, turns);
    }

    private static string StageName(RouteDefinition route, int index) => index >= 0 && index < route.Stages.Length ? route.Stages[index].Name : index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
