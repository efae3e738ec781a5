using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using Workflow.Activities.Engine;
using Workflow.Activities.Routes;

namespace Workflow.Tests.Unit;

/// <summary>
/// Random walks of commands by random people against every combination of review quorums and several ways of
/// staffing the stages. After every step the engine's invariants must hold, whatever was accepted or rejected
/// along the way.
/// </summary>
public sealed class SectionMachinePropertyTests
{
    private static readonly string[] Quorums = ["\"any\"", "\"all\"", "{ \"atLeast\": 2 }"];
    private static readonly RouteDefinition[] Routes = [.. from d in Quorums from c in Quorums select TestRoutes.ThreeStage(d, c)];

    // Few hashes, so edits often return to a text that an earlier version already had.
    private static readonly string[] Hashes = ["hash-a", "hash-b", "hash-c"];
    private static readonly string?[] Opinions = [null, " \u3000", "请补充二季度数据。"];
    private const string ReturnOpinion = "请补充二季度数据。";

    /// <summary>
    /// Department heads and committee members. Overlaps put one person on both stages (and, after a reassignment,
    /// possibly the author too), so separation of duties decides who gets a task; the thin office cannot staff a
    /// department that needs two heads, so walks there must cope with every submission being refused.
    /// </summary>
    private static readonly (string Name, string[] Heads, string[] Members)[] Staffs =
    [
        ("office", People.Heads, People.Members),
        ("overlapping", [People.Head1, People.Head2, People.Member1], [People.Member1, People.Member2, People.Member3, People.Head1]),
        ("thin", [People.Head1], [People.Member1, People.Member2]),
    ];

    private const int PendingHolder = 7;
    private const int Sender = 10;

    private enum Verb
    {
        Edit,
        Submit,
        Approve,
        Return,
        Withdraw,
        Reassign,
    }

    /// <summary>
    /// One intent, resolved against the state when it is played. A plausible move is what someone who can act would
    /// do next (the section's holder edits or submits, a reviewer decides, the sender withdraws), which keeps walks
    /// deep; the others pick the verb and the actor (a fixed person, a task holder or the sender) blindly to probe
    /// rejections. Either kind may still aim at a stale version or give a blank opinion.
    /// </summary>
    private sealed record Move(bool Plausible, Verb Verb, int Actor, int Holder, int VersionOffset, int Opinion, int Hash, int NewAuthor);

    private sealed record Walk(int Route, int Staff, ImmutableArray<Move> Moves)
    {
        public override string ToString() =>
            $"route department={Routes[Route].Stages[1].Quorum}, committee={Routes[Route].Stages[2].Quorum}; {Staffs[Staff].Name} staff; {Moves.Length} moves";
    }

    private static readonly Gen<Move> MoveGen =
        from plausible in Gen.Frequency((3, Gen.Constant(true)), (2, Gen.Constant(false)))
        from verb in Gen.Frequency(
            (3, Gen.Constant(Verb.Edit)),
            (3, Gen.Constant(Verb.Submit)),
            (6, Gen.Constant(Verb.Approve)),
            (2, Gen.Constant(Verb.Return)),
            (3, Gen.Constant(Verb.Withdraw)),
            (1, Gen.Constant(Verb.Reassign)))
        from actor in Gen.Choose(0, Sender)
        from holder in Gen.Choose(0, 5)
        from versionOffset in Gen.Frequency((8, Gen.Constant(0)), (1, Gen.Constant(-1)), (1, Gen.Constant(1)))
        from opinion in Gen.Choose(0, Opinions.Length - 1)
        from hash in Gen.Choose(0, Hashes.Length - 1)
        from newAuthor in Gen.Choose(0, People.Everyone.Length - 1)
        select new Move(plausible, verb, actor, holder, versionOffset, opinion, hash, newAuthor);

    private static readonly Gen<Walk> WalkGen =
        from route in Gen.Choose(0, Routes.Length - 1)
        from staff in Gen.Frequency((2, Gen.Constant(0)), (2, Gen.Constant(1)), (1, Gen.Constant(2)))
        from moves in Gen.ListOf(MoveGen)
        select new Walk(route, staff, [.. moves]);

    [Fact]
    public void Every_reachable_state_keeps_the_engine_invariants()
    {
        var property = Prop.ForAll(Arb.From(WalkGen, Shrink), Play);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), property);
    }

    private static IEnumerable<Walk> Shrink(Walk walk)
    {
        if (walk.Moves.Length > 1)
        {
            yield return walk with { Moves = walk.Moves[..(walk.Moves.Length / 2)] };
        }

        for (var i = walk.Moves.Length - 1; i >= 0; i--)
        {
            yield return walk with { Moves = walk.Moves.RemoveAt(i) };
        }
    }

    private static void Play(Walk walk)
    {
        var route = Routes[walk.Route];
        var (_, heads, members) = Staffs[walk.Staff];
        var participants = Participants.For(People.Author, heads, members);
        var now = SectionScenario.T0;
        var start = SectionMachine.Start(route, participants, People.Author, Hashes[0], now);
        var state = start.State!;
        var trail = new Trail(walk);
        var versions = new Dictionary<int, VersionRef> { [1] = state.Version };
        CheckState(route, state, versions, trail);
        CheckProgress(route, state, participants, now, trail);

        foreach (var move in walk.Moves)
        {
            now += TimeSpan.FromHours(1);
            var command = Resolve(move, state);
            var before = state;
            var snapshot = Snapshot.Of(state);
            var t = SectionMachine.Decide(route, state, participants, command, now);
            trail.Add(command, t);

            if (!t.Accepted)
            {
                trail.Require(t.State is null && t.Events.IsEmpty, "a rejection carries neither a state nor events");
                trail.Require(snapshot.Matches(state), "a rejection leaves the kept state unchanged");
                continue;
            }

            state = t.State!;
            if (state.Version != before.Version)
            {
                trail.Require(state.Version.Number == before.Version.Number + 1, "versions are numbered one after another");
                versions.Add(state.Version.Number, state.Version);
            }

            if (command is ReassignCommand reassign)
            {
                participants = Participants.For(reassign.NewAuthorId, heads, members);
            }

            CheckStep(route, before, state, command, t.Events, trail);
            CheckState(route, state, versions, trail);
            CheckProgress(route, state, participants, now, trail);
        }
    }

    private static SectionCommand Resolve(Move move, SectionState state)
    {
        var holders = state.PendingTasks.Select(t => t.AssigneeId).ToList();
        var holder = holders.Count == 0 ? People.Stranger : holders[move.Holder % holders.Count];
        var withAuthor = state.Status is SectionStatus.Draft or SectionStatus.Returned;
        var (verb, actor) = move.Plausible
            ? move.Verb switch
            {
                Verb.Edit => (Verb.Edit, holder),
                Verb.Withdraw or Verb.Reassign when !withAuthor => (Verb.Withdraw, SenderOf(state)),
                Verb.Return when !withAuthor => (Verb.Return, holder),
                _ => (withAuthor ? Verb.Submit : Verb.Approve, holder),
            }
            : (move.Verb, move.Actor switch
            {
                Sender => SenderOf(state),
                >= PendingHolder => holder,
                _ => People.Everyone[move.Actor],
            });
        var version = state.Version.Number + move.VersionOffset;
        var opinion = Opinions[move.Opinion];
        return verb switch
        {
            Verb.Edit => new EditCommand(actor, version, Hashes[move.Hash], null),
            Verb.Submit => new SubmitCommand(actor, version, opinion),
            Verb.Approve => new ApproveCommand(actor, version, opinion),
            Verb.Return => new ReturnCommand(actor, version, opinion),
            Verb.Withdraw => new WithdrawCommand(actor, version, opinion),
            Verb.Reassign => new ReassignCommand(actor, People.Everyone[move.NewAuthor]),
            _ => throw new ArgumentOutOfRangeException(nameof(move)),
        };
    }

    /// <summary>Who sent the section to its current stage, i.e. who may try to withdraw it; only used to steer moves.</summary>
    private static string SenderOf(SectionState s) =>
        (s.StageIndex <= 1
            ? s.Tasks.LastOrDefault(t => t.StageIndex == 0 && t.Cycle == s.Cycle && t.Status == WorkTaskStatus.Completed)?.AssigneeId
            : s.LiveSignOffsAt(s.StageIndex - 1).LastOrDefault(a => a.Decision == Decision.Approved)?.ActorId)
        ?? People.Author;

    private static void CheckStep(RouteDefinition route, SectionState before, SectionState after, SectionCommand command, ImmutableArray<SectionEvent> events, Trail trail)
    {
        trail.Require(after.SignOffs.Count >= before.SignOffs.Count, "sign-offs are never removed");
        for (var i = 0; i < before.SignOffs.Count; i++)
        {
            var was = before.SignOffs[i];
            var now = after.SignOffs[i];
            trail.Require(now == was || (!was.Dismissed && now == was with { Dismissed = true }), $"sign-off {i} may only be dismissed, never rewritten");
        }

        foreach (var added in after.SignOffs.Skip(before.SignOffs.Count))
        {
            trail.Require(
                added.ActorId == command.ActorId && added.StageIndex == before.StageIndex && added.Cycle == before.Cycle,
                "a sign-off is given by the actor at the stage the section was at");
            trail.Require(
                added.VersionNumber == before.Version.Number && added.VersionHash == before.Version.Hash,
                $"{added.ActorId}'s sign-off is bound to the current version {before.Version.Number} ({before.Version.Hash}), not {added.VersionNumber} ({added.VersionHash})");
        }

        trail.Require(after.Tasks.Count >= before.Tasks.Count, "tasks are never removed");
        for (var i = 0; i < before.Tasks.Count; i++)
        {
            var was = before.Tasks[i];
            var now = after.Tasks[i];
            trail.Require(
                now == was || (was.Status == WorkTaskStatus.Pending && now.Status != WorkTaskStatus.Pending && now with { Status = was.Status, ClosedAt = was.ClosedAt } == was),
                $"task {i} may only be closed, never rewritten");
        }

        foreach (var e in events)
        {
            switch (e)
            {
                case SectionApproved a:
                    trail.Require(a.Hash == before.Version.Hash, "an approval event names the hash that was current");
                    break;
                case SectionReturned r:
                    trail.Require(r.Hash == before.Version.Hash && !string.IsNullOrWhiteSpace(r.Opinion), "a return event names the current hash and an opinion");
                    break;
                case StageCompleted c:
                    trail.Require(c.Hash == before.Version.Hash, "a stage completes on the current hash");
                    var stage = route.Stages.Select((s, i) => (s.Key, i)).Single(s => s.Key == c.Stage).i;
                    RequireQuorum(route, after, stage, c.Hash, trail, $"stage '{c.Stage}' completed");
                    break;
                case SectionFinalized f:
                    trail.Require(f.Hash == before.Version.Hash, "the section is finalized on the current hash");
                    break;
            }
        }
    }

    private static void CheckState(RouteDefinition route, SectionState state, Dictionary<int, VersionRef> versions, Trail trail)
    {
        trail.Require(versions[state.Version.Number] == state.Version, "the current version is the one that was recorded under its number");
        trail.Require(
            (state.StageIndex == 0) == (state.Status is SectionStatus.Draft or SectionStatus.Returned),
            $"status {state.Status} matches stage {state.StageIndex}");

        var pending = state.PendingTasks.ToList();
        trail.Require(
            pending.GroupBy(t => (t.StageIndex, t.Cycle, t.AssigneeId)).All(g => g.Count() == 1),
            "at most one pending task per stage, cycle and person");
        trail.Require(
            pending.All(t => t.StageIndex == state.StageIndex && t.Cycle == state.Cycle),
            "pending tasks exist only at the current stage and cycle");
        trail.Require(
            state.Status == SectionStatus.Approved ? pending.Count == 0 : pending.Count > 0,
            state.Status == SectionStatus.Approved ? "an approved section waits on nobody" : "an open section always waits on somebody");

        foreach (var signOff in state.SignOffs)
        {
            if (signOff.Decision == Decision.Returned)
            {
                trail.Require(!string.IsNullOrWhiteSpace(signOff.Opinion), "a return carries an opinion");
                continue;
            }

            var approved = versions[signOff.VersionNumber];
            trail.Require(approved.Hash == signOff.VersionHash, $"approval by {signOff.ActorId} names the hash of version {signOff.VersionNumber}");
            trail.Require(approved.AuthorId != signOff.ActorId, $"{signOff.ActorId} approved version {signOff.VersionNumber}, which they wrote");
        }

        if (state.Status == SectionStatus.InReview)
        {
            trail.Require(
                state.LiveSignOffsAt(state.StageIndex).All(a => a.VersionHash == state.Version.Hash),
                "approvals still counting at the current stage are all for the current text");

            var submitters = state.Tasks.Where(t => t.StageIndex == 0 && t.Cycle == state.Cycle && t.Status == WorkTaskStatus.Completed).Select(t => t.AssigneeId).ToHashSet();
            var earlierApprovers = state.SignOffs
                .Where(a => a.Cycle == state.Cycle && a.StageIndex < state.StageIndex && !a.Dismissed && a.Decision == Decision.Approved)
                .Select(a => a.ActorId)
                .ToHashSet();
            foreach (var holder in pending.Select(t => t.AssigneeId))
            {
                trail.Require(holder != state.Version.AuthorId, $"{holder} reviews version {state.Version.Number}, which they wrote");
                trail.Require(!submitters.Contains(holder), $"{holder} reviews a text they submitted in this round");
                trail.Require(!earlierApprovers.Contains(holder), $"{holder} reviews a text they already approved at an earlier stage of this round");
            }

            var quorum = route.Stages[state.StageIndex].Quorum;
            if (!quorum.All)
            {
                var approvals = state.LiveSignOffsAt(state.StageIndex).Count(a => a.Decision == Decision.Approved);
                trail.Require(
                    approvals + pending.Count >= quorum.AtLeast,
                    $"{approvals} approval(s) and {pending.Count} open task(s) can still reach the quorum of {quorum.AtLeast}");
            }
        }

        if (state.Status == SectionStatus.Approved)
        {
            trail.Require(state.StageIndex == route.LastStage, "only the last stage can approve the section");
            RequireQuorum(route, state, route.LastStage, state.Version.Hash, trail, "section approved");
        }
    }

    /// <summary>
    /// An open section is never stuck on its holders: at a review stage every holder may approve (or is refused only
    /// because the next stage cannot be staffed) and some holder's approval or return goes through; with the author,
    /// submitting goes through unless the directory has too few reviewers, which the administrator must fix.
    /// </summary>
    private static void CheckProgress(RouteDefinition route, SectionState state, Participants participants, DateTimeOffset now, Trail trail)
    {
        Transition Try(SectionCommand c) => SectionMachine.Decide(route, state, participants, c, now);
        var version = state.Version.Number;
        var holders = state.PendingTasks.Select(t => t.AssigneeId).ToList();
        switch (state.Status)
        {
            case SectionStatus.Draft or SectionStatus.Returned:
                var submit = Try(new SubmitCommand(holders.Single(), version, null));
                trail.Require(
                    submit.Accepted || submit.Rejection!.Code == RejectionCode.NoEligibleReviewers,
                    $"the author {holders.Single()} can submit (refused: {submit.Rejection?.Code})");
                break;
            case SectionStatus.InReview:
                var moved = false;
                foreach (var holder in holders)
                {
                    var approve = Try(new ApproveCommand(holder, version, null));
                    trail.Require(
                        approve.Accepted || approve.Rejection!.Code == RejectionCode.NoEligibleReviewers,
                        $"{holder} holds a task they cannot use to approve (refused: {approve.Rejection?.Code})");
                    moved |= approve.Accepted || Try(new ReturnCommand(holder, version, ReturnOpinion)).Accepted;
                }

                trail.Require(moved, "some holder can approve or return the section");
                break;
        }
    }

    private static void RequireQuorum(RouteDefinition route, SectionState state, int stage, string hash, Trail trail, string what)
    {
        var live = state.LiveSignOffsAt(stage).Where(a => a.Decision == Decision.Approved).ToList();
        trail.Require(live.All(a => a.VersionHash == hash), $"{what}: every approval still counting is for {hash}");
        var approvers = live.Select(a => a.ActorId).ToHashSet();
        var quorum = route.Stages[stage].Quorum;
        if (quorum.All)
        {
            // A withdrawal out of the stage cancels its open tasks and ends that visit; everyone asked since must agree.
            var atStage = state.Tasks.Where(t => t.StageIndex == stage && t.Cycle == state.Cycle).ToList();
            var visitStart = atStage.Where(t => t.Status == WorkTaskStatus.Cancelled).Select(t => t.ClosedAt).Max() ?? DateTimeOffset.MinValue;
            var asked = atStage.Where(t => t.CreatedAt >= visitStart && t.Status != WorkTaskStatus.Cancelled).Select(t => t.AssigneeId);
            // Whoever edited the final text there wrote it and may not approve it; their edit stands for their consent.
            var stoodBehind = approvers.Append(state.Version.AuthorId).ToHashSet();
            trail.Require(approvers.Count > 0 && stoodBehind.IsSupersetOf(asked), $"{what}: everyone asked approved {hash} or wrote it");
        }
        else
        {
            trail.Require(approvers.Count >= quorum.AtLeast, $"{what}: {approvers.Count} approval(s) of {hash}, {quorum.AtLeast} needed");
        }
    }

    /// <summary>A copy by value, so the check does not rest on the state's lists being immutable.</summary>
    private sealed record Snapshot(int StageIndex, SectionStatus Status, int Cycle, VersionRef Version, WorkTask[] Tasks, SignOff[] SignOffs)
    {
        public static Snapshot Of(SectionState s) => new(s.StageIndex, s.Status, s.Cycle, s.Version, [.. s.Tasks], [.. s.SignOffs]);

        public bool Matches(SectionState s) =>
            (StageIndex, Status, Cycle, Version) == (s.StageIndex, s.Status, s.Cycle, s.Version)
            && Tasks.SequenceEqual(s.Tasks)
            && SignOffs.SequenceEqual(s.SignOffs);
    }

    /// <summary>What was played so far, so a failure shows the (shrunk) sequence that broke an invariant.</summary>
    private sealed class Trail(Walk walk)
    {
        private readonly List<(SectionCommand Command, Transition Outcome)> played = [];

        public void Add(SectionCommand command, Transition outcome) => played.Add((command, outcome));

        public void Require(bool condition, string invariant)
        {
            if (!condition)
            {
                var lines = played.Select(p => $"{p.Command} -> {(p.Outcome.Accepted ? string.Join(", ", p.Outcome.Events.Select(e => e.GetType().Name)) : p.Outcome.Rejection!.Code.ToString())}");
                throw new InvalidOperationException($"Broken: {invariant}\n  {walk}\n  {string.Join("\n  ", lines)}");
            }
        }
    }
}
