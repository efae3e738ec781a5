using System.Collections.Immutable;
using Workflow.Activities.Routes;

namespace Workflow.Activities.Engine;

/// <summary>
/// The section state machine: a pure function (route, state, participants, command, now) -> transition.
/// It performs no I/O and reads no clock, so the same inputs always give the same outcome.
/// A stage visit has branches (a department, a person); the stage's quorum counts approved branches, and a
/// branch is approved once one of its holders approved the current text and everyone added to it agreed.
/// </summary>
public static partial class SectionMachine
{
    public static Transition Start(RouteDefinition route, Participants participants, string creatorId, string hash, DateTimeOffset now, ImmutableArray<string> missingFigures = default)
    {
        var state = new SectionState(0, SectionStatus.Draft, 0, new VersionRef(1, hash, creatorId, missingFigures), [], []);
        var step = new Step(route, state, participants, creatorId, now);
        step.Events.Add(new SectionCreated(creatorId, now, 1, hash));
        step.EnterDraft(MoveReason.Start, SectionStatus.Draft, null, null);
        return step.Accept();
    }

    public static Transition Decide(RouteDefinition route, SectionState state, Participants participants, SectionCommand command, DateTimeOffset now)
    {
        var step = new Step(route, state, participants, command.ActorId, now);
        if (command is ReopenCommand reopen)
        {
            return Reopen(step, reopen);
        }

        if (state.Status == SectionStatus.Approved)
        {
            return Transition.Reject(RejectionCode.SectionClosed, "The section has been approved at every stage; its text is final.");
        }

        return command switch
        {
            EditCommand c => Edit(step, c),
            SubmitCommand c => Submit(step, c),
            ApproveCommand c => Approve(step, c),
            ReturnCommand c => Return(step, c),
            WithdrawCommand c => Withdraw(step, c),
            ReclaimCommand c => Reclaim(step, c),
            CancelCommand c => Cancel(step, c),
            AddSignerCommand c => AddSigner(step, c),
            RemoveSignerCommand c => RemoveSigner(step, c),
            TransferCommand c => Transfer(step, c),
            DelegateCommand c => Delegate(step, c),
            AdviseCommand c => Advise(step, c),
            ReassignCommand c => Reassign(step, c),
            RefreshReviewersCommand c => RefreshReviewers(step, c),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown command."),
        };
    }

    private static Transition Edit(Step step, EditCommand c)
    {
        var s = step.State;
        var own = step.OwnPendingTask(c.ActorId);
        if (own is null)
        {
            return step.Deny("edit");
        }

        if (s.Tasks[own.Value].Kind == TaskKind.Delegated)
        {
            return Transition.Reject(RejectionCode.DelegateAdvisesOnly, "You were asked for advice on this section; the one who asked you edits and decides.");
        }

        if (c.BaseVersion != s.Version.Number)
        {
            return step.Stale(c.BaseVersion);
        }

        if (c.NewHash == s.Version.Hash)
        {
            return step.Accept();
        }

        var unstaffed = s.Status == SectionStatus.InReview ? step.TurnsNobodyCouldHold() : [];
        var version = new VersionRef(s.Version.Number + 1, c.NewHash, c.ActorId, c.MissingFigures);
        step.State = s with { Version = version };
        step.Events.Add(new SectionEdited(c.ActorId, step.Now, step.StageKey, version.Number, version.Hash, c.Note));

        if (s.Status != SectionStatus.InReview)
        {
            return step.Accept();
        }

        // Invariant 2: an approval given at this visit to an earlier text no longer counts; its giver must look again.
        step.DismissStaleApprovals();
        step.ReopenEditors();

        // The editing reviewer now authors the text and may not approve it (invariant 4), so their tasks here are done
        // (every one of them: someone heading two departments of a countersign holds two); the others must still be
        // able to reach the quorum, or the section would wait forever.
        foreach (var index in step.OpenTasksOf(c.ActorId))
        {
            var task = step.State.Tasks[index];
            if (!task.Open)
            {
                // Closed with the branch of one closed before it.
                continue;
            }

            step.CloseTask(index, WorkTaskStatus.Completed);
            if (!step.Stage.FixedBranches && task.Kind == TaskKind.Regular)
            {
                // Their branch leaves the visit, and with it whoever they added or asked to advise.
                step.DropBranch(Step.KeyOf(task));
                step.CloseBranch(Step.KeyOf(task));
            }

            step.AfterEdit(index);
        }

        if (step.Evaluate() == Progress.Failed)
        {
            return Transition.Reject(
                RejectionCode.NoEligibleReviewers,
                $"If you edit the text at stage '{step.StageName}', too few other reviewers remain to approve it; return it to the author with your changes in the opinion instead.");
        }

        // In a sequence, the editor may hold a turn still to come that the route neither passes over nor gives to someone
        // else when its holder wrote the text: it would find nobody, and the turn before could never be approved.
        if (step.TurnsNobodyCouldHold().Except(unstaffed).FirstOrDefault() is { } turn)
        {
            return Transition.Reject(
                RejectionCode.NoEligibleReviewers,
                $"If you edit the text at stage '{step.StageName}', nobody could take the turn of {turn} later in it, since you may not review text you wrote; give your changes in an opinion instead.");
        }

        return step.Accept();
    }

    private static Transition Submit(Step step, SubmitCommand c)
    {
        var s = step.State;
        if (s.Status is not (SectionStatus.Draft or SectionStatus.Returned))
        {
            return step.HasEverHeldTask() && !s.HoldsPendingTask(c.ActorId)
                ? step.Deny("submit")
                : Transition.Reject(RejectionCode.WrongStage, $"The section is already under review at stage '{step.StageName}'.");
        }

        var own = step.OwnPendingTask(c.ActorId);
        if (own is null)
        {
            return step.Deny("submit");
        }

        if (c.Version != s.Version.Number)
        {
            return step.Stale(c.Version);
        }

        var resume = s.CurrentMove?.ResumeAt;
        step.CloseTask(own.Value, WorkTaskStatus.Completed);
        step.Events.Add(new SectionSubmitted(c.ActorId, step.Now, s.Version.Number, s.Version.Hash));
        return step.EnterStage(resume is > 0 && resume <= step.Route.LastStage ? resume.Value : 1, MoveReason.Submit, null);
    }

    private static Transition Approve(Step step, ApproveCommand c)
    {
        var s = step.State;

        // Checked before the task so the author of the text is told the real reason (invariant 4), whether or
        // not they still hold a task.
        if (s.Status == SectionStatus.InReview && c.Version == s.Version.Number && s.Version.AuthorId == c.ActorId)
        {
            return Transition.Reject(RejectionCode.SelfApprovalForbidden, $"You wrote version {s.Version.Number}; someone else must approve it (separation of duties).");
        }

        if (step.CheckDecider(c.ActorId, c.OnBehalfOf, c.Version, "approve", out var index) is { } refused)
        {
            return refused;
        }

        var task = step.State.Tasks[index];
        if (task.AssigneeId != c.ActorId && s.Version.AuthorId == task.AssigneeId)
        {
            return Transition.Reject(RejectionCode.SelfApprovalForbidden, $"Version {s.Version.Number} was written by the person you act for; someone else must approve it (separation of duties).");
        }

        if (step.Stage.BlockOnPlaceholders && s.Version.HasMissingFigures)
        {
            var shown = string.Join("、", s.Version.MissingFigures.Take(5).Select(f => $"“{f}”"));
            var more = s.Version.MissingFigures.Length > 5 ? $" and {s.Version.MissingFigures.Length - 5} more" : "";
            return Transition.Reject(
                RejectionCode.MissingFigures,
                $"Stage '{step.StageName}' cannot approve text with missing figures: {s.Version.MissingFigures.Length} placeholder(s) remain ({shown}{more}); return it so the author fills them in.");
        }

        var onBehalfOf = task.AssigneeId == c.ActorId ? null : task.AssigneeId;
        step.AddSignOff(Decision.Approved, c.Opinion, task, onBehalfOf);
        step.CloseTask(index, WorkTaskStatus.Completed);
        step.Events.Add(new SectionApproved(c.ActorId, step.Now, step.StageKey, s.Version.Number, s.Version.Hash, Clean(c.Opinion)) { OnBehalfOf = onBehalfOf, Branch = Step.KeyOf(task) });
        step.AfterDecision(index);
        return step.Advance(c.ActorId);
    }

    private static Transition Return(Step step, ReturnCommand c)
    {
        if (step.CheckDecider(c.ActorId, c.OnBehalfOf, c.Version, "return", out var index) is { } refused)
        {
            return refused;
        }

        var opinion = Clean(c.Opinion);
        if (opinion is null)
        {
            return Transition.Reject(RejectionCode.OpinionRequired, "A return must say why: give an opinion (意见) for the author.");
        }

        var s = step.State;
        var target = 0;
        if (c.ToStage is { } key && key != step.Route.Draft.Key)
        {
            target = step.Route.IndexOf(key);
            if (target <= 0 || target >= s.StageIndex)
            {
                var earlier = string.Join(", ", step.Route.Stages.Take(s.StageIndex).Select(x => $"'{x.Key}'"));
                return Transition.Reject(RejectionCode.InvalidReturnTarget, $"A return goes to a stage the section already passed ({earlier}); '{key}' is not one of them.");
            }
        }

        var task = s.Tasks[index];
        var onBehalfOf = task.AssigneeId == c.ActorId ? null : task.AssigneeId;
        step.AddSignOff(Decision.Returned, opinion, task, onBehalfOf);
        step.CloseTask(index, WorkTaskStatus.Completed);

        // Under "count as refusal" one branch's return is its vote against; the section goes back only once the
        // quorum can no longer be met (or when the reviewer names a stage to return to). The others may already have
        // met it (the refuser took back an approval the stage had passed without): then the stage passes on theirs.
        if (step.Stage.Kind == ActivityKind.Countersign && step.Stage.OnBranchReturn == BranchReturn.CountAsRefusal && c.ToStage is null && task.Kind is TaskKind.Regular or TaskKind.Fallback)
        {
            step.CloseBranch(Step.KeyOf(task));
            step.Events.Add(new BranchRefused(c.ActorId, step.Now, step.StageKey, Step.KeyOf(task), s.Version.Number, s.Version.Hash, opinion));
            switch (step.Evaluate())
            {
                case Progress.Met:
                    return step.Complete(c.ActorId);
                case Progress.Open:
                    return step.Accept();
            }
        }

        step.Events.Add(new SectionReturned(c.ActorId, step.Now, step.StageKey, s.Version.Number, s.Version.Hash, opinion)
        {
            ToStage = step.Route.Stages[target].Key,
            OnBehalfOf = onBehalfOf,
        });
        var mode = c.ResubmitTo ?? step.Route.ResubmitTo;
        int? resume = mode == ResubmitTo.Returner && target < s.StageIndex - 1 ? s.StageIndex : null;
        resume = mode == ResubmitTo.Returner && target == 0 && s.StageIndex > 1 ? s.StageIndex : resume;
        return step.GoBack(target, MoveReason.Return, resume, opinion);
    }

    private static Transition Withdraw(Step step, WithdrawCommand c)
    {
        var s = step.State;
        if (s.Status != SectionStatus.InReview)
        {
            return step.HasEverHeldTask()
                ? Transition.Reject(RejectionCode.NothingToWithdraw, "The section is not waiting on anyone, so there is nothing to withdraw.")
                : step.Deny("withdraw");
        }

        var (mover, previous) = step.WhoSentItHere();
        if (mover != c.ActorId || previous is null)
        {
            return step.HasEverHeldTask()
                ? Transition.Reject(RejectionCode.NothingToWithdraw, "Only the person who sent the section to this stage may withdraw it.")
                : step.Deny("withdraw");
        }

        if (c.Version != s.Version.Number)
        {
            return step.Stale(c.Version);
        }

        // Someone who sent it on without a decision of their own there (by removing the last signer still to agree, or
        // refreshing the reviewers) has nothing to take back; going back would leave that stage waiting on nobody.
        if (previous.StageIndex > 0 && !s.SignOffs.Any(o => o.StageIndex == previous.StageIndex && o.Cycle == s.Cycle && o.Visit == previous.Visit
            && !o.Dismissed && o.Decision == Decision.Approved && o.ActorId == c.ActorId))
        {
            return Transition.Reject(RejectionCode.NothingToWithdraw, "You sent the section on without an approval of your own at the stage before; there is nothing of yours to withdraw.");
        }

        if (step.HasActedAtVisit())
        {
            return Transition.Reject(RejectionCode.NothingToWithdraw, $"Stage '{step.StageName}' has already acted on the section; it can no longer be withdrawn.");
        }

        var from = step.StageKey;
        step.Reopen(previous, c.ActorId, MoveReason.Withdraw);
        step.Events.Add(new SectionWithdrawn(c.ActorId, step.Now, from, step.StageKey, Clean(c.Opinion)));
        return step.Accept();
    }

    private static Transition Reclaim(Step step, ReclaimCommand c)
    {
        var s = step.State;
        if (s.Status != SectionStatus.InReview)
        {
            return step.HasEverHeldTask()
                ? Transition.Reject(RejectionCode.NothingToWithdraw, "The section is with its author; there is no approval to take back.")
                : step.Deny("take back an approval on");
        }

        if (c.Version != s.Version.Number)
        {
            return step.Stale(c.Version);
        }

        var from = step.StageKey;

        // My approval at this visit, while nobody decided after me: it is taken back and my task reopens.
        var here = s.SignOffs.LastOrDefault(o => s.IsCurrent(o) && !o.Dismissed && o.Decision == Decision.Approved && o.ActorId == c.ActorId);
        if (here is not null)
        {
            if (s.SignOffs.Skip(s.SignOffs.LastIndexOf(here) + 1).Any(o => s.IsCurrent(o)))
            {
                return Transition.Reject(RejectionCode.NothingToWithdraw, "Someone has decided after you at this stage; your approval can no longer be taken back.");
            }

            step.TakeBack(here);
            if (step.Stage.Kind == ActivityKind.Sequential)
            {
                // The next in turn was asked because of this approval; they wait again until it is given anew.
                step.CancelAskedAfter(here);
            }

            step.Events.Add(new SectionReclaimed(c.ActorId, step.Now, from, from, Clean(c.Opinion)));
            return step.Accept();
        }

        // My approval completed (or helped complete) the stage before, and this stage has not acted yet.
        var (_, previous) = step.WhoSentItHere();
        var there = previous is null ? null
            : s.SignOffs.LastOrDefault(o => o.StageIndex == previous.StageIndex && o.Cycle == s.Cycle && o.Visit == previous.Visit && !o.Dismissed && o.Decision == Decision.Approved && o.ActorId == c.ActorId);
        if (there is null || previous!.StageIndex == 0)
        {
            return step.HasEverHeldTask()
                ? Transition.Reject(RejectionCode.NothingToWithdraw, "You have no approval here that can still be taken back.")
                : step.Deny("take back an approval on");
        }

        if (step.HasActedAtVisit())
        {
            return Transition.Reject(RejectionCode.NothingToWithdraw, $"Stage '{step.StageName}' has already acted on the section; your approval can no longer be taken back.");
        }

        step.Reopen(previous, c.ActorId, MoveReason.Reclaim);
        step.Events.Add(new SectionReclaimed(c.ActorId, step.Now, from, step.StageKey, Clean(c.Opinion)));
        return step.Accept();
    }

    private static Transition Cancel(Step step, CancelCommand c)
    {
        var reason = Clean(c.Reason);
        if (reason is null)
        {
            return Transition.Reject(RejectionCode.OpinionRequired, "Cancelling a section's review must say why: give a reason.");
        }

        if (step.State.Status != SectionStatus.InReview)
        {
            return Transition.Reject(RejectionCode.WrongStage, "The section is with its author and not under review; there is no review to cancel.");
        }

        step.Events.Add(new SectionCancelled(c.ActorId, step.Now, step.StageKey, reason));
        return step.GoBack(0, MoveReason.Cancel, null, reason);
    }

    private static Transition Reopen(Step step, ReopenCommand c)
    {
        var reason = Clean(c.Reason);
        if (reason is null)
        {
            return Transition.Reject(RejectionCode.OpinionRequired, "Reopening a section for re-review must say why: give a reason.");
        }

        if (step.State.Status != SectionStatus.Approved)
        {
            return Transition.Reject(RejectionCode.WrongStage, "Only an approved section is reopened for re-review; this one is still on its way.");
        }

        var target = c.ToStage is { } key && key != step.Route.Draft.Key ? step.Route.IndexOf(key) : 0;
        if (target < 0)
        {
            var stages = string.Join(", ", step.Route.Stages.Select(x => $"'{x.Key}'"));
            return Transition.Reject(RejectionCode.InvalidReturnTarget, $"A reopened section goes back to a stage of its route ({stages}); '{c.ToStage}' is not one of them.");
        }

        step.Events.Add(new SectionReopened(c.ActorId, step.Now, step.Route.Stages[target].Key, reason));
        return step.GoBack(target, MoveReason.Reopen, null, reason);
    }

    private static Transition AddSigner(Step step, AddSignerCommand c)
    {
        if (step.CheckOwnReviewTask(c.ActorId, c.Version, "add a signer to", out var index) is { } refused)
        {
            return refused;
        }

        var task = step.State.Tasks[index];
        if (task.Depth + 1 > step.Route.MaxSignerDepth)
        {
            return Transition.Reject(RejectionCode.SignerDepthExceeded, step.Route.MaxSignerDepth == 0
                ? "This route does not allow adding signers."
                : $"Signers added by added signers may nest only {step.Route.MaxSignerDepth} deep on this route.");
        }

        if (step.Ineligible(c.SignerId, c.ActorId) is { } why)
        {
            return Transition.Reject(RejectionCode.NotEligible, why);
        }

        var (kind, status) = c.Position switch
        {
            SignerPosition.Before => (TaskKind.AddedBefore, WorkTaskStatus.Pending),
            SignerPosition.After => (TaskKind.AddedAfter, WorkTaskStatus.Waiting),
            _ => (TaskKind.AddedParallel, WorkTaskStatus.Pending),
        };
        if (c.Position == SignerPosition.Before)
        {
            step.SetStatus(index, WorkTaskStatus.Waiting);
        }

        step.AssignTask(c.SignerId, Step.KeyOf(task), kind, status, index, c.ActorId, task.Depth + 1);
        step.Events.Add(new SignerAdded(c.ActorId, step.Now, step.StageKey, c.SignerId, c.Position, Clean(c.Note)));
        return step.Accept();
    }

    private static Transition RemoveSigner(Step step, RemoveSignerCommand c)
    {
        var s = step.State;
        var task = c.TaskIndex >= 0 && c.TaskIndex < s.Tasks.Count ? s.Tasks[c.TaskIndex] : null;
        if (task is null || !task.Open || !s.IsCurrent(task) || task.Kind is not (TaskKind.AddedBefore or TaskKind.AddedAfter or TaskKind.AddedParallel))
        {
            return Transition.Reject(RejectionCode.NoSuchTask, "There is no added signer on this section who is still to decide; only they can be removed.");
        }

        if (task.By != c.ActorId && !c.Privileged)
        {
            return Transition.Reject(RejectionCode.NotYourTask, "Only whoever added a signer, or an administrator, may remove them.");
        }

        step.CancelWithAdded(c.TaskIndex);
        step.Events.Add(new SignerRemoved(c.ActorId, step.Now, step.StageKey, task.AssigneeId));
        if (task.Kind == TaskKind.AddedBefore && task.Parent is { } parent)
        {
            step.Release(parent);
        }

        // Removing someone who was still to agree may complete the branch, and with it the stage.
        return step.Advance(c.ActorId);
    }

    private static Transition Transfer(Step step, TransferCommand c)
    {
        if (step.CheckHandOn(c.ActorId, null, c.ToId, "hand on", out var index) is { } refused)
        {
            return refused;
        }

        var task = step.State.Tasks[index];
        step.CloseTask(index, WorkTaskStatus.Cancelled);
        var moved = step.AssignTask(c.ToId, Step.KeyOf(task), task.Kind, WorkTaskStatus.Pending, task.Parent, c.ActorId, task.Depth);

        // Those added after the old holder now wait for the new one.
        for (var i = 0; i < step.State.Tasks.Count; i++)
        {
            if (step.State.Tasks[i].Parent == index && step.State.Tasks[i].Open)
            {
                step.State = step.State with { Tasks = step.State.Tasks.SetItem(i, step.State.Tasks[i] with { Parent = moved }) };
            }
        }

        step.Events.Add(new TaskTransferred(c.ActorId, step.Now, step.StageKey, c.ToId, Clean(c.Opinion)));
        return step.Accept();
    }

    private static Transition Delegate(Step step, DelegateCommand c)
    {
        if (step.CheckHandOn(c.ActorId, null, c.ToId, "ask for advice on", out var index) is { } refused)
        {
            return refused;
        }

        var task = step.State.Tasks[index];
        step.SetStatus(index, WorkTaskStatus.Waiting);
        step.AssignTask(c.ToId, Step.KeyOf(task), TaskKind.Delegated, WorkTaskStatus.Pending, index, c.ActorId, task.Depth);
        step.Events.Add(new TaskDelegated(c.ActorId, step.Now, step.StageKey, c.ToId, Clean(c.Note)));
        return step.Accept();
    }

    private static Transition Advise(Step step, AdviseCommand c)
    {
        var s = step.State;
        var own = s.Status == SectionStatus.InReview ? step.OwnPendingTask(c.ActorId) : null;
        if (own is null || s.Tasks[own.Value].Kind != TaskKind.Delegated)
        {
            return own is null ? step.Deny("advise on") : Transition.Reject(RejectionCode.WrongStage, "Nobody asked you for advice on this section; decide it with approve or return.");
        }

        if (c.Version != s.Version.Number)
        {
            return step.Stale(c.Version);
        }

        var opinion = Clean(c.Opinion);
        if (opinion is null)
        {
            return Transition.Reject(RejectionCode.OpinionRequired, "Advice must say something: give an opinion for the one who asked you.");
        }

        var task = s.Tasks[own.Value];
        step.AddSignOff(Decision.Advised, opinion, task, null);
        step.CloseTask(own.Value, WorkTaskStatus.Completed);
        var parent = task.Parent!.Value;
        step.Release(parent);
        step.Events.Add(new SectionAdvised(c.ActorId, step.Now, step.StageKey, s.Version.Number, s.Version.Hash, opinion, s.Tasks[parent].AssigneeId));
        return step.Accept();
    }

    private static Transition Reassign(Step step, ReassignCommand c)
    {
        var s = step.State;
        if (s.Status is not (SectionStatus.Draft or SectionStatus.Returned))
        {
            return Transition.Reject(RejectionCode.WrongStage, $"The section is under review at stage '{step.StageName}'; it can be handed to another author only while it is with its author.");
        }

        var holder = s.Tasks.Select((t, i) => (t, i)).Single(x => x.t.Status == WorkTaskStatus.Pending && s.IsCurrent(x.t));
        if (holder.t.AssigneeId == c.NewAuthorId)
        {
            return step.Accept();
        }

        step.CloseTask(holder.i, WorkTaskStatus.Cancelled);
        step.Events.Add(new SectionReassigned(c.ActorId, step.Now, holder.t.AssigneeId, c.NewAuthorId));
        step.AssignTask(c.NewAuthorId, c.NewAuthorId, TaskKind.Regular, WorkTaskStatus.Pending, null, null, 0);
        return step.Accept();
    }

    /// <summary>
    /// Brings the current stage's task holders in line with the directory: holders who may no longer act
    /// (disabled, moved, no longer in the role) lose their task and newly eligible people get one. Without
    /// it, a stage waiting on someone who left would wait forever.
    /// </summary>
    private static Transition RefreshReviewers(Step step, RefreshReviewersCommand c)
    {
        var s = step.State;
        if (s.Status != SectionStatus.InReview)
        {
            return Transition.Reject(RejectionCode.WrongStage, "The section is with its author; only a stage under review has reviewers to refresh.");
        }

        step.Restaff();
        if (step.Evaluate() == Progress.Met)
        {
            return step.Complete(c.ActorId);
        }

        return step.Evaluate() == Progress.Failed || !step.State.Tasks.Any(t => t.Open && s.IsCurrent(t))
            ? Transition.Reject(RejectionCode.NoEligibleReviewers, $"Stage '{step.StageName}' would still need more reviewers than can act; assign reviewers in the directory first.")
            : step.Accept();
    }

    internal static string? Clean(string? opinion) => string.IsNullOrWhiteSpace(opinion) ? null : opinion.Trim();
}
