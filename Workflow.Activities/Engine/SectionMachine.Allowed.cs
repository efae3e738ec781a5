using System.Collections.Immutable;
using Workflow.Activities.Routes;

namespace Workflow.Activities.Engine;

/// <summary>
/// What one person may do on a section now, as the engine would decide it: pages offer exactly these operations
/// instead of re-deriving the rules. ReturnTargets are stage keys (the draft first); RemovableSigners are task
/// positions; OnBehalfOf names the holder a proxy would decide for; SentBy who sent the section to its stage.
/// </summary>
public sealed record AllowedActions(
    bool Edit,
    bool Submit,
    bool Decide,
    ImmutableArray<string> ReturnTargets,
    bool Withdraw,
    bool Reclaim,
    bool Cancel,
    bool AddSigner,
    bool Transfer,
    bool Delegate,
    bool Advise,
    ImmutableArray<int> RemovableSigners,
    string? OnBehalfOf,
    string? SentBy)
{
    public bool Any => Edit || Submit || Decide || Withdraw || Reclaim || Cancel || AddSigner || Transfer || Delegate || Advise || !RemovableSigners.IsEmpty;
}

public static partial class SectionMachine
{
    private const string ProbeHash = "\u0000probe";
    private const string ProbeText = "\u0000probe";

    public static AllowedActions Allowed(RouteDefinition route, SectionState state, Participants participants, string actorId, bool admin, DateTimeOffset now)
    {
        bool Accepts(SectionCommand command) => Decide(route, state, participants, command, now).Accepted;

        var v = state.Version.Number;
        var step = new Step(route, state, participants, actorId, now);
        var open = state.Status != SectionStatus.Approved;
        var acting = -1;
        var ownTask = -1;
        var decide = open && step.CheckDecider(actorId, null, v, "decide", out acting) is null;
        var own = open && step.CheckOwnReviewTask(actorId, v, "share", out ownTask) is null;
        var removable = open && state.Status == SectionStatus.InReview
            ? state.Tasks.Select((t, i) => (t, i))
                .Where(x => x.t.Open && state.IsCurrent(x.t) && x.t.Kind is TaskKind.AddedBefore or TaskKind.AddedAfter or TaskKind.AddedParallel && (admin || x.t.By == actorId))
                .Select(x => x.i)
                .ToImmutableArray()
            : [];
        return new AllowedActions(
            Edit: open && Accepts(new EditCommand(actorId, v, ProbeHash, null)),
            Submit: open && Accepts(new SubmitCommand(actorId, v, null)),
            Decide: decide,
            ReturnTargets: decide ? [.. route.Stages.Take(state.StageIndex).Select(s => s.Key)] : [],
            Withdraw: open && Accepts(new WithdrawCommand(actorId, v, null)),
            Reclaim: open && Accepts(new ReclaimCommand(actorId, v, null)),
            Cancel: admin && open && state.Status == SectionStatus.InReview,
            AddSigner: own && state.Tasks[ownTask].Depth + 1 <= route.MaxSignerDepth,
            Transfer: own,
            Delegate: own,
            Advise: open && Accepts(new AdviseCommand(actorId, v, ProbeText)),
            RemovableSigners: removable,
            OnBehalfOf: decide && state.Tasks[acting].AssigneeId != actorId ? state.Tasks[acting].AssigneeId : null,
            SentBy: state.Status == SectionStatus.InReview ? step.WhoSentItHere().Mover : null);
    }
}
