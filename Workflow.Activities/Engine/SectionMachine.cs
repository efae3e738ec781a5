using System.Collections.Immutable;
using Workflow.Activities.Routes;

namespace Workflow.Activities.Engine;

/// <summary>
/// The section state machine: a pure function (route, state, participants, command, now) -> transition.
/// It performs no I/O and reads no clock, so the same inputs always give the same outcome.
/// </summary>
public static class SectionMachine
{
    public static Transition Start(RouteDefinition route, Participants participants, string creatorId, string hash, DateTimeOffset now, ImmutableArray<string> missingFigures = default)
    {
        var state = new SectionState(0, SectionStatus.Draft, 0, new VersionRef(1, hash, creatorId, missingFigures), [], []);
        var step = new Step(route, state, creatorId, now);
        step.Events.Add(new SectionCreated(creatorId, now, 1, hash));
        step.AssignDraftTask(participants.AuthorId);
        return step.Accept();
    }

    public static Transition Decide(RouteDefinition route, SectionState state, Participants participants, SectionCommand command, DateTimeOffset now)
    {
        if (state.Status == SectionStatus.Approved)
        {
            return Transition.Reject(RejectionCode.SectionClosed, "The section has been approved at every stage; its text is final.");
        }

        var step = new Step(route, state, command.ActorId, now);
        return command switch
        {
            EditCommand c => Edit(step, c),
            SubmitCommand c => Submit(step, participants, c),
            ApproveCommand c => Approve(step, participants, c),
            ReturnCommand c => Return(step, participants, c),
            WithdrawCommand c => Withdraw(step, participants, c),
            ReassignCommand c => Reassign(step, c),
            RefreshReviewersCommand c => RefreshReviewers(step, participants, c),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown command."),
        };
    }

    private static Transition Edit(Step step, EditCommand c)
    {
        var s = step.State;
        if (!s.HoldsPendingTask(c.ActorId))
        {
            return step.Deny("edit");
        }

        if (c.BaseVersion != s.Version.Number)
        {
            return step.Stale(c.BaseVersion);
        }

        if (c.NewHash == s.Version.Hash)
        {
            return step.Accept();
        }

        var version = new VersionRef(s.Version.Number + 1, c.NewHash, c.ActorId, c.MissingFigures);
        step.State = s with { Version = version };
        step.Events.Add(new SectionEdited(c.ActorId, step.Now, step.StageKey, version.Number, version.Hash, c.Note));

        if (s.Status != SectionStatus.InReview)
        {
            return step.Accept();
        }

        // Invariant 2: an approval given at this stage to an earlier text no longer counts; its giver must look again.
        foreach (var approval in s.LiveSignOffsAt(s.StageIndex).Where(a => a.Decision == Decision.Approved && a.VersionHash != version.Hash).ToList())
        {
            step.Dismiss(approval);
            step.AssignTask(approval.ActorId);
        }

        step.ReopenEditors();

        // The editing reviewer now authors the text and may not approve it (invariant 4), so their task is done;
        // the others must still be able to reach the quorum, or the section would wait forever.
        step.CloseTask(c.ActorId, WorkTaskStatus.Completed);
        var quorum = step.Route.Stages[s.StageIndex].Quorum;
        var needed = quorum.All ? 1 : quorum.AtLeast;
        var left = step.State.PendingTasks.Count(t => t.StageIndex == s.StageIndex && t.Cycle == s.Cycle);
        if (left < needed)
        {
            return Transition.Reject(
                RejectionCode.NoEligibleReviewers,
                $"If you edit the text at stage '{step.StageName}', only {left} other reviewer(s) remain to approve it but {needed} are needed; return it to the author with your changes in the opinion instead.");
        }

        return step.Accept();
    }

    private static Transition Submit(Step step, Participants participants, SubmitCommand c)
    {
        var s = step.State;
        if (s.Status is not (SectionStatus.Draft or SectionStatus.Returned))
        {
            return step.HasEverHeldTask() && !s.HoldsPendingTask(c.ActorId)
                ? step.Deny("submit")
                : Transition.Reject(RejectionCode.WrongStage, $"The section is already under review at stage '{step.StageName}'.");
        }

        if (!s.HoldsPendingTask(c.ActorId))
        {
            return step.Deny("submit");
        }

        if (c.Version != s.Version.Number)
        {
            return step.Stale(c.Version);
        }

        step.CloseTask(c.ActorId, WorkTaskStatus.Completed);
        step.Events.Add(new SectionSubmitted(c.ActorId, step.Now, s.Version.Number, s.Version.Hash));
        return step.EnterStage(1, participants);
    }

    private static Transition Approve(Step step, Participants participants, ApproveCommand c)
    {
        var s = step.State;
        // Checked before the task so the author of the text is told the real reason (invariant 4), whether or
        // not they still hold a task.
        if (s.Status == SectionStatus.InReview && c.Version == s.Version.Number && s.Version.AuthorId == c.ActorId)
        {
            return Transition.Reject(RejectionCode.SelfApprovalForbidden, $"You wrote version {s.Version.Number}; someone else must approve it (separation of duties).");
        }

        var check = CheckReviewer(step, c.ActorId, c.Version, "approve");
        if (check is not null)
        {
            return check;
        }

        if (step.Route.Stages[s.StageIndex].BlockOnPlaceholders && s.Version.HasMissingFigures)
        {
            var shown = string.Join("、", s.Version.MissingFigures.Take(5).Select(f => $"“{f}”"));
            var more = s.Version.MissingFigures.Length > 5 ? $" and {s.Version.MissingFigures.Length - 5} more" : "";
            return Transition.Reject(
                RejectionCode.MissingFigures,
                $"Stage '{step.StageName}' cannot approve text with missing figures: {s.Version.MissingFigures.Length} placeholder(s) remain ({shown}{more}); return it so the author fills them in.");
        }

        step.AddSignOff(Decision.Approved, c.Opinion);
        step.CloseTask(c.ActorId, WorkTaskStatus.Completed);
        step.Events.Add(new SectionApproved(c.ActorId, step.Now, step.StageKey, s.Version.Number, s.Version.Hash, Clean(c.Opinion)));

        return QuorumMet(step) ? CompleteStage(step, participants, c.ActorId) : step.Accept();
    }

    private static Transition CompleteStage(Step step, Participants participants, string actorId)
    {
        var s = step.State;
        step.CancelPendingAtStage();
        step.Events.Add(new StageCompleted(actorId, step.Now, step.StageKey, s.Version.Hash));
        if (s.StageIndex == step.Route.LastStage)
        {
            step.State = step.State with { Status = SectionStatus.Approved };
            step.Events.Add(new SectionFinalized(actorId, step.Now, s.Version.Number, s.Version.Hash));
            return step.Accept();
        }

        return step.EnterStage(s.StageIndex + 1, participants);
    }

    /// <summary>
    /// Brings the current stage's task holders in line with the directory: holders who may no longer act
    /// (disabled, moved, no longer in the role) lose their task and newly eligible people get one. Without
    /// it, a stage waiting on someone who left would wait forever.
    /// </summary>
    private static Transition RefreshReviewers(Step step, Participants participants, RefreshReviewersCommand c)
    {
        var s = step.State;
        if (s.Status != SectionStatus.InReview)
        {
            return Transition.Reject(RejectionCode.WrongStage, "The section is with its author; only a stage under review has reviewers to refresh.");
        }

        var excluded = step.Excluded();
        var eligible = participants.StageCandidates.Length > s.StageIndex
            ? participants.StageCandidates[s.StageIndex].Where(id => !excluded.Contains(id)).ToHashSet(StringComparer.Ordinal)
            : [];
        var atStage = s.Tasks.Where(t => t.StageIndex == s.StageIndex && t.Cycle == s.Cycle).ToList();
        foreach (var gone in atStage.Where(t => t.Status == WorkTaskStatus.Pending && !eligible.Contains(t.AssigneeId)).ToList())
        {
            step.CloseTask(gone.AssigneeId, WorkTaskStatus.Cancelled);
        }

        var approved = s.LiveSignOffsAt(s.StageIndex).Select(a => a.ActorId).ToHashSet(StringComparer.Ordinal);
        var asked = atStage.Where(t => t.Status == WorkTaskStatus.Pending).Select(t => t.AssigneeId).ToHashSet(StringComparer.Ordinal);
        foreach (var id in eligible.Order(StringComparer.Ordinal).Where(id => !approved.Contains(id) && !asked.Contains(id)))
        {
            step.AssignTask(id);
        }

        var quorum = step.Route.Stages[s.StageIndex].Quorum;
        var pending = step.State.PendingTasks.Count(t => t.StageIndex == s.StageIndex && t.Cycle == s.Cycle);
        var approvals = s.LiveSignOffsAt(s.StageIndex).Count(a => a.Decision == Decision.Approved && a.VersionHash == s.Version.Hash);
        if (quorum.All ? pending == 0 && approvals > 0 : approvals >= quorum.AtLeast)
        {
            return CompleteStage(step, participants, c.ActorId);
        }

        var needed = quorum.All ? 1 : quorum.AtLeast - approvals;
        return pending < needed
            ? Transition.Reject(RejectionCode.NoEligibleReviewers, $"Stage '{step.StageName}' would still need {needed} more reviewer(s) but only {pending} can act; assign reviewers in the directory first.")
            : step.Accept();
    }

    private static Transition Return(Step step, Participants participants, ReturnCommand c)
    {
        var check = CheckReviewer(step, c.ActorId, c.Version, "return");
        if (check is not null)
        {
            return check;
        }

        var opinion = Clean(c.Opinion);
        if (opinion is null)
        {
            return Transition.Reject(RejectionCode.OpinionRequired, "A return must say why: give an opinion (意见) for the author.");
        }

        var s = step.State;
        var stageKey = step.StageKey;
        step.AddSignOff(Decision.Returned, opinion);
        step.CloseTask(c.ActorId, WorkTaskStatus.Completed);
        step.CancelPendingAtStage();
        step.Events.Add(new SectionReturned(c.ActorId, step.Now, stageKey, s.Version.Number, s.Version.Hash, opinion));
        step.State = step.State with { StageIndex = 0, Status = SectionStatus.Returned, Cycle = s.Cycle + 1 };
        step.AssignDraftTask(participants.AuthorId);
        return step.Accept();
    }

    private static Transition Withdraw(Step step, Participants participants, WithdrawCommand c)
    {
        var s = step.State;
        if (s.Status != SectionStatus.InReview)
        {
            return step.HasEverHeldTask()
                ? Transition.Reject(RejectionCode.NothingToWithdraw, "The section is not waiting on anyone, so there is nothing to withdraw.")
                : step.Deny("withdraw");
        }

        var mover = WhoSentItHere(s);
        if (mover?.ActorId != c.ActorId)
        {
            return step.HasEverHeldTask()
                ? Transition.Reject(RejectionCode.NothingToWithdraw, "Only the person who sent the section to this stage may withdraw it.")
                : step.Deny("withdraw");
        }

        if (c.Version != s.Version.Number)
        {
            return step.Stale(c.Version);
        }

        if (s.LiveSignOffsAt(s.StageIndex).Any())
        {
            return Transition.Reject(RejectionCode.NothingToWithdraw, $"Stage '{step.StageName}' has already acted on the section; it can no longer be withdrawn.");
        }

        var from = step.StageKey;
        step.CancelPendingAtStage();
        var target = s.StageIndex - 1;
        step.State = step.State with { StageIndex = target };
        if (target == 0)
        {
            step.State = step.State with { Status = SectionStatus.Draft };
            step.AssignDraftTask(participants.AuthorId);
        }
        else
        {
            step.Dismiss((SignOff)mover);
            step.AssignTask(c.ActorId);

            // Invariant 2: the text may have been edited at the later stage; approvals given here to an earlier
            // version no longer count, and their givers must look again.
            foreach (var approval in step.State.LiveSignOffsAt(target).Where(a => a.Decision == Decision.Approved && a.VersionHash != s.Version.Hash).ToList())
            {
                step.Dismiss(approval);
                step.AssignTask(approval.ActorId);
            }

            step.ReopenEditors();
        }

        step.Events.Add(new SectionWithdrawn(c.ActorId, step.Now, from, step.StageKey, Clean(c.Opinion)));
        return step.Accept();
    }

    private static Transition Reassign(Step step, ReassignCommand c)
    {
        var s = step.State;
        if (s.Status is not (SectionStatus.Draft or SectionStatus.Returned))
        {
            return Transition.Reject(RejectionCode.WrongStage, $"The section is under review at stage '{step.StageName}'; it can be handed to another author only while it is with its author.");
        }

        var holder = s.PendingTasks.Single(t => t.StageIndex == 0 && t.Cycle == s.Cycle);
        if (holder.AssigneeId == c.NewAuthorId)
        {
            return step.Accept();
        }

        step.CloseTask(holder.AssigneeId, WorkTaskStatus.Cancelled);
        step.Events.Add(new SectionReassigned(c.ActorId, step.Now, holder.AssigneeId, c.NewAuthorId));
        step.AssignDraftTask(c.NewAuthorId);
        return step.Accept();
    }

    private static Transition? CheckReviewer(Step step, string actorId, int version, string verb)
    {
        var s = step.State;
        if (s.Status != SectionStatus.InReview)
        {
            return step.HasEverHeldTask() && !s.HoldsPendingTask(actorId)
                ? step.Deny(verb)
                : Transition.Reject(RejectionCode.WrongStage, "The section is with its author and has not been submitted for review.");
        }

        if (!s.HoldsPendingTask(actorId))
        {
            return step.Deny(verb);
        }

        return version != s.Version.Number ? step.Stale(version) : null;
    }

    private static bool QuorumMet(Step step)
    {
        var s = step.State;
        var quorum = step.Route.Stages[s.StageIndex].Quorum;
        if (quorum.All)
        {
            return !s.PendingTasks.Any(t => t.StageIndex == s.StageIndex && t.Cycle == s.Cycle);
        }

        return s.LiveSignOffsAt(s.StageIndex).Count(a => a.Decision == Decision.Approved && a.VersionHash == s.Version.Hash) >= quorum.AtLeast;
    }

    /// <summary>
    /// Who moved the section into its current stage: the author who submitted (first review stage) or the
    /// last approver of the stage before. Derived from the trail rather than stored, so it cannot drift.
    /// </summary>
    private static SignOff? WhoSentItHere(SectionState s)
    {
        if (s.StageIndex == 1)
        {
            var submitted = s.Tasks.LastOrDefault(t => t.StageIndex == 0 && t.Cycle == s.Cycle && t.Status == WorkTaskStatus.Completed);
            return submitted is null ? null : new SignOff(0, s.Cycle, submitted.AssigneeId, Decision.Approved, s.Version.Number, s.Version.Hash, null, submitted.ClosedAt ?? default, false);
        }

        return s.LiveSignOffsAt(s.StageIndex - 1).LastOrDefault(a => a.Decision == Decision.Approved);
    }

    private static string? Clean(string? opinion) => string.IsNullOrWhiteSpace(opinion) ? null : opinion.Trim();

    /// <summary>Accumulates one transition: the evolving state and the events it raised.</summary>
    private sealed class Step(RouteDefinition route, SectionState state, string actorId, DateTimeOffset now)
    {
        public RouteDefinition Route { get; } = route;

        public SectionState State { get; set; } = state;

        public DateTimeOffset Now { get; } = now;

        public List<SectionEvent> Events { get; } = [];

        public string StageKey => Route.Stages[State.StageIndex].Key;

        public string StageName => Route.Stages[State.StageIndex].Name;

        public Transition Accept() => new(State, [.. Events], null);

        public bool HasEverHeldTask() => State.Tasks.Any(t => t.AssigneeId == actorId);

        public Transition Deny(string verb) => HasEverHeldTask()
            ? Transition.Reject(RejectionCode.TaskNoLongerPending, $"You can no longer {verb} this section: it has moved on and is now at stage '{StageName}' ({State.Status}).")
            : Transition.Reject(RejectionCode.NotYourTask, $"You hold no pending task on this section, so you cannot {verb} it.");

        public Transition Stale(int seen) => Transition.Reject(
            RejectionCode.StaleVersion,
            $"You acted on version {seen}, but the current version is {State.Version.Number}; reload the section and look at the latest text.");

        public Transition EnterStage(int index, Participants participants)
        {
            var stage = Route.Stages[index];
            var excluded = Excluded();
            var candidates = participants.StageCandidates.Length > index
                ? participants.StageCandidates[index].Where(id => !excluded.Contains(id)).Distinct().ToList()
                : [];
            var needed = stage.Quorum.All ? 1 : stage.Quorum.AtLeast;
            if (candidates.Count < needed)
            {
                return Transition.Reject(
                    RejectionCode.NoEligibleReviewers,
                    $"Stage '{stage.Name}' needs {needed} reviewer(s) who neither wrote, submitted nor already approved this text, but only {candidates.Count} can be found; ask the administrator to assign reviewers.");
            }

            State = State with { StageIndex = index, Status = SectionStatus.InReview };
            foreach (var id in candidates)
            {
                AssignTask(id);
            }

            return Accept();
        }

        /// <summary>
        /// Separation of duties: nobody reviews text they wrote, a submission they made, or a text they
        /// already approved at an earlier stage of this round.
        /// </summary>
        public HashSet<string> Excluded() => State.SignOffs
            .Where(o => o.Cycle == State.Cycle && !o.Dismissed && o.Decision == Decision.Approved)
            .Select(o => o.ActorId)
            .Concat(State.Tasks.Where(t => t.StageIndex == 0 && t.Cycle == State.Cycle && t.Status == WorkTaskStatus.Completed).Select(t => t.AssigneeId))
            .Append(State.Version.AuthorId)
            .ToHashSet(StringComparer.Ordinal);

        /// <summary>
        /// A reviewer who edited the text here stood behind that text instead of approving it; once the text changes
        /// again they have endorsed neither the new text nor written it, so, like an approver of an earlier version,
        /// they must look again (otherwise quorum "all" could complete without them). A closed task with no live
        /// approval behind it is such an edit, because every dismissed approval reopens its giver's task.
        /// </summary>
        public void ReopenEditors()
        {
            var excluded = Excluded();
            var editors = State.Tasks
                .Where(t => t.StageIndex == State.StageIndex && t.Cycle == State.Cycle)
                .GroupBy(t => t.AssigneeId)
                .Where(g => g.Last().Status == WorkTaskStatus.Completed && !excluded.Contains(g.Key))
                .Select(g => g.Key)
                .ToList();
            foreach (var id in editors)
            {
                AssignTask(id);
            }
        }

        public void AssignDraftTask(string authorId)
        {
            AssignTask(authorId);
        }

        public void AssignTask(string assigneeId)
        {
            var stage = Route.Stages[State.StageIndex];
            DateTimeOffset? due = stage.Deadline is { } d ? Now + d : null;
            State = State with { Tasks = State.Tasks.Add(new WorkTask(State.StageIndex, State.Cycle, assigneeId, WorkTaskStatus.Pending, Now, due, null)) };
            Events.Add(new TaskAssigned(actorId, Now, stage.Key, assigneeId, due));
        }

        public void CloseTask(string assigneeId, WorkTaskStatus outcome)
        {
            var task = State.Tasks.Single(t => t.Status == WorkTaskStatus.Pending && t.StageIndex == State.StageIndex && t.Cycle == State.Cycle && t.AssigneeId == assigneeId);
            State = State with { Tasks = State.Tasks.Replace(task, task with { Status = outcome, ClosedAt = Now }) };
            Events.Add(new TaskClosed(actorId, Now, StageKey, assigneeId, outcome));
        }

        public void CancelPendingAtStage()
        {
            foreach (var t in State.PendingTasks.Where(t => t.StageIndex == State.StageIndex && t.Cycle == State.Cycle).ToList())
            {
                CloseTask(t.AssigneeId, WorkTaskStatus.Cancelled);
            }
        }

        public void AddSignOff(Decision decision, string? opinion)
        {
            var v = State.Version;
            State = State with { SignOffs = State.SignOffs.Add(new SignOff(State.StageIndex, State.Cycle, actorId, decision, v.Number, v.Hash, Clean(opinion), Now, false)) };
        }

        public void Dismiss(SignOff signOff)
        {
            var live = State.SignOffs.Last(a => a.StageIndex == signOff.StageIndex && a.Cycle == signOff.Cycle && a.ActorId == signOff.ActorId && !a.Dismissed);
            State = State with { SignOffs = State.SignOffs.Replace(live, live with { Dismissed = true }) };
            Events.Add(new ApprovalDismissed(actorId, Now, Route.Stages[live.StageIndex].Key, live.ActorId, live.VersionHash));
        }
    }
}
