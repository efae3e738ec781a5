using System.Collections.Immutable;
using Workflow.Activities.Routes;

namespace Workflow.Activities.Engine;

public static partial class SectionMachine
{
    private enum Progress
    {
        Open,
        Met,
        Failed,
    }

    /// <summary>Accumulates one transition: the evolving state and the events it raised.</summary>
    private sealed class Step(RouteDefinition route, SectionState state, Participants participants, string actorId, DateTimeOffset now)
    {
        public RouteDefinition Route { get; } = route;

        public SectionState State { get; set; } = state;

        public DateTimeOffset Now { get; } = now;

        public List<SectionEvent> Events { get; } = [];

        public StageDefinition Stage => Route.Stages[State.StageIndex];

        public string StageKey => Stage.Key;

        public string StageName => Stage.Name;

        /// <summary>A task's branch; tasks kept before branches existed belong to a branch of their own holder.</summary>
        public static string KeyOf(WorkTask t) => t.Branch.Length > 0 ? t.Branch : t.AssigneeId;

        public static string KeyOf(SignOff o) => o.Branch.Length > 0 ? o.Branch : o.OnBehalfOf ?? o.ActorId;

        public Transition Accept() => new(State, [.. Events], null);

        public bool HasEverHeldTask() => State.Tasks.Any(t => t.AssigneeId == actorId);

        public Transition Deny(string verb) => State.Tasks.Any(t => t.Status == WorkTaskStatus.Waiting && State.IsCurrent(t) && t.AssigneeId == actorId)
            ? Transition.Reject(RejectionCode.TaskWaiting, $"Your task waits for the signer you added before you or the advice you asked for; you can {verb} this section once they have answered.")
            : HasEverHeldTask()
            ? Transition.Reject(RejectionCode.TaskNoLongerPending, $"You can no longer {verb} this section: it has moved on and is now at stage '{StageName}' ({State.Status}).")
            : Transition.Reject(RejectionCode.NotYourTask, $"You hold no pending task on this section, so you cannot {verb} it.");

        public Transition Stale(int seen) => Transition.Reject(
            RejectionCode.StaleVersion,
            $"You acted on version {seen}, but the current version is {State.Version.Number}; reload the section and look at the latest text.");

        // ---- finding the task an actor acts on ----

        public int? OwnPendingTask(string who)
        {
            for (var i = 0; i < State.Tasks.Count; i++)
            {
                var t = State.Tasks[i];
                if (t.Status == WorkTaskStatus.Pending && State.IsCurrent(t) && t.AssigneeId == who)
                {
                    return i;
                }
            }

            return null;
        }

        /// <summary>Every task the person holds at this visit that is still open (pending or waiting), their pending one first.</summary>
        public List<int> OpenTasksOf(string who) =>
            [.. Enumerable.Range(0, State.Tasks.Count)
                .Where(i => State.Tasks[i].Open && State.IsCurrent(State.Tasks[i]) && State.Tasks[i].AssigneeId == who)
                .OrderBy(i => State.Tasks[i].Status == WorkTaskStatus.Pending ? 0 : 1)];

        /// <summary>The actor's own pending task, else one of a person they are proxy for (委托), optionally the one named.</summary>
        private int? ActingTask(string who, string? onBehalfOf)
        {
            if ((onBehalfOf is null || onBehalfOf == who) && OwnPendingTask(who) is { } own)
            {
                return own;
            }

            for (var i = 0; i < State.Tasks.Count; i++)
            {
                var t = State.Tasks[i];
                if (t.Status == WorkTaskStatus.Pending && State.IsCurrent(t) && t.AssigneeId != who
                    && (onBehalfOf is null || t.AssigneeId == onBehalfOf) && participants.IsProxyFor(who, t.AssigneeId))
                {
                    return i;
                }
            }

            return null;
        }

        /// <summary>Checks that the actor may decide (approve, return) now, and finds the task they decide.</summary>
        public Transition? CheckDecider(string who, string? onBehalfOf, int version, string verb, out int index)
        {
            index = -1;
            if (State.Status != SectionStatus.InReview)
            {
                return HasEverHeldTask() && !State.HoldsPendingTask(who)
                    ? Deny(verb)
                    : Transition.Reject(RejectionCode.WrongStage, "The section is with its author and has not been submitted for review.");
            }

            if (ActingTask(who, onBehalfOf) is not { } found)
            {
                return Deny(verb);
            }

            index = found;
            var task = State.Tasks[found];
            if (task.Kind == TaskKind.Delegated)
            {
                return Transition.Reject(RejectionCode.DelegateAdvisesOnly, "You were asked for advice: give it with 'advise'; the decision stays with the one who asked you.");
            }

            if (version != State.Version.Number)
            {
                return Stale(version);
            }

            return task.AssigneeId != who && Excluded(State.StageIndex).Contains(who)
                ? Transition.Reject(RejectionCode.NotEligible, "You wrote, submitted or already approved this text in this round, so you cannot decide it for someone else either.")
                : null;
        }

        /// <summary>Checks that the actor holds a pending review task of their own (to add signers, transfer, delegate).</summary>
        public Transition? CheckOwnReviewTask(string who, int? version, string verb, out int index)
        {
            index = -1;
            if (State.Status != SectionStatus.InReview)
            {
                return HasEverHeldTask() && !State.HoldsPendingTask(who)
                    ? Deny(verb)
                    : Transition.Reject(RejectionCode.WrongStage, "The section is with its author; only a task under review can be handed on or shared.");
            }

            if (OwnPendingTask(who) is not { } own)
            {
                return Deny(verb);
            }

            index = own;
            if (State.Tasks[own].Kind == TaskKind.Delegated)
            {
                return Transition.Reject(RejectionCode.DelegateAdvisesOnly, "You were asked for advice: give it with 'advise'; the task itself stays with the one who asked you.");
            }

            return version is { } v && v != State.Version.Number ? Stale(v) : null;
        }

        /// <summary>Checks that the actor may hand their own review task (or a share of it) to <paramref name="target"/>.</summary>
        public Transition? CheckHandOn(string who, int? version, string target, string verb, out int index) =>
            CheckOwnReviewTask(who, version, verb, out index)
            ?? (Ineligible(target, who) is { } why ? Transition.Reject(RejectionCode.NotEligible, why) : null);

        /// <summary>Why a person may not receive a task at this visit (added, transferred, delegated), or null.</summary>
        public string? Ineligible(string target, string who)
        {
            if (string.IsNullOrWhiteSpace(target))
            {
                return "Say who should receive the task.";
            }

            if (target == who)
            {
                return "You already hold this task.";
            }

            if (target == State.Version.AuthorId || Excluded(State.StageIndex).Contains(target))
            {
                return "That person wrote, submitted or already approved this text in this round, so they may not review it (separation of duties).";
            }

            return State.Tasks.Any(t => t.Open && State.IsCurrent(t) && t.AssigneeId == target)
                ? "That person already has a task at this stage."
                : null;
        }

        // ---- tasks and sign-offs ----

        public int AssignTask(string assignee, string branch, TaskKind kind, WorkTaskStatus status, int? parent, string? by, int depth)
        {
            DateTimeOffset? due = status == WorkTaskStatus.Pending && Stage.Deadline is { } d ? Now + d : null;
            var task = new WorkTask(State.StageIndex, State.Cycle, assignee, status, Now, due, null)
            {
                Visit = State.Visit,
                Branch = branch,
                Kind = kind,
                Parent = parent,
                By = by,
                Depth = depth,
            };
            State = State with { Tasks = State.Tasks.Add(task) };
            if (status == WorkTaskStatus.Pending)
            {
                Events.Add(new TaskAssigned(actorId, Now, StageKey, assignee, due) { Kind = kind, Branch = branch });
            }

            return State.Tasks.Count - 1;
        }

        /// <summary>A waiting task becomes the holder's to act on (again).</summary>
        public void Activate(int index)
        {
            var t = State.Tasks[index];
            DateTimeOffset? due = Route.Stages[t.StageIndex].Deadline is { } d ? Now + d : null;
            State = State with { Tasks = State.Tasks.SetItem(index, t with { Status = WorkTaskStatus.Pending, DueAt = due }) };
            Events.Add(new TaskAssigned(actorId, Now, Route.Stages[t.StageIndex].Key, t.AssigneeId, due) { Kind = t.Kind, Branch = KeyOf(t) });
        }

        /// <summary>
        /// A task that waited on someone added before it or asked to advise is asked again once none of them is still to
        /// act; a task that no longer waits (decided, cancelled, or already asked again) is left as it is.
        /// </summary>
        public void Release(int index)
        {
            if (State.Tasks[index].Status == WorkTaskStatus.Waiting
                && !State.Tasks.Any(t => t.Open && t.Parent == index && t.Kind is TaskKind.AddedBefore or TaskKind.Delegated))
            {
                Activate(index);
            }
        }

        public void SetStatus(int index, WorkTaskStatus status) =>
            State = State with { Tasks = State.Tasks.SetItem(index, State.Tasks[index] with { Status = status }) };

        public void CloseTask(int index, WorkTaskStatus outcome)
        {
            var t = State.Tasks[index];
            State = State with { Tasks = State.Tasks.SetItem(index, t with { Status = outcome, ClosedAt = Now }) };
            Events.Add(new TaskClosed(actorId, Now, Route.Stages[t.StageIndex].Key, t.AssigneeId, outcome));
        }

        public void CancelOpenAtVisit()
        {
            for (var i = 0; i < State.Tasks.Count; i++)
            {
                if (State.Tasks[i].Open && State.IsCurrent(State.Tasks[i]))
                {
                    CloseTask(i, WorkTaskStatus.Cancelled);
                }
            }
        }

        /// <summary>Cancels a task and, with it, whoever was added to it or asked by it and has not decided.</summary>
        public void CancelWithAdded(int index)
        {
            CloseTask(index, WorkTaskStatus.Cancelled);
            for (var i = 0; i < State.Tasks.Count; i++)
            {
                if (State.Tasks[i].Parent == index && State.Tasks[i].Open)
                {
                    CancelWithAdded(i);
                }
            }
        }

        /// <summary>A branch was decided against (a refusal): its other holders need not act.</summary>
        public void CloseBranch(string key)
        {
            for (var i = 0; i < State.Tasks.Count; i++)
            {
                if (State.Tasks[i].Open && State.IsCurrent(State.Tasks[i]) && KeyOf(State.Tasks[i]) == key)
                {
                    CloseTask(i, WorkTaskStatus.Cancelled);
                }
            }
        }

        public void AddSignOff(Decision decision, string? opinion, WorkTask task, string? onBehalfOf)
        {
            var v = State.Version;
            var signOff = new SignOff(State.StageIndex, State.Cycle, actorId, decision, v.Number, v.Hash, Clean(opinion), Now, false)
            {
                Visit = State.Visit,
                Branch = KeyOf(task),
                Kind = task.Kind,
                OnBehalfOf = onBehalfOf,
            };
            State = State with { SignOffs = State.SignOffs.Add(signOff) };
        }

        public void Dismiss(SignOff signOff)
        {
            var at = State.SignOffs.IndexOf(signOff);
            State = State with { SignOffs = State.SignOffs.SetItem(at, signOff with { Dismissed = true }) };
            Events.Add(new ApprovalDismissed(actorId, Now, Route.Stages[signOff.StageIndex].Key, signOff.ActorId, signOff.VersionHash));
        }

        /// <summary>
        /// An approval no longer counts (taken back, or given to an earlier text): it is dismissed and the task it decided
        /// is asked again; those added after it wait again for the new decision.
        /// </summary>
        public void TakeBack(SignOff approval)
        {
            Dismiss(approval);
            var holder = approval.OnBehalfOf ?? approval.ActorId;
            // The task of the kind decided: one person may hold two in a branch (a holder handed back the task of the
            // signer they added after them), and each approval reopens its own.
            var decided = LastIndex(t => t.StageIndex == approval.StageIndex && t.Cycle == approval.Cycle && t.Visit == approval.Visit
                && t.AssigneeId == holder && KeyOf(t) == KeyOf(approval) && t.Kind == approval.Kind && t.Status == WorkTaskStatus.Completed);
            var task = decided >= 0 ? State.Tasks[decided] : new WorkTask(approval.StageIndex, approval.Cycle, holder, WorkTaskStatus.Completed, Now, null, null) { Branch = KeyOf(approval), Visit = approval.Visit, Kind = approval.Kind };
            var reopened = AssignTask(holder, KeyOf(task), task.Kind, WorkTaskStatus.Pending, task.Parent, task.By, task.Depth);
            for (var i = 0; i < State.Tasks.Count; i++)
            {
                var t = State.Tasks[i];
                if (decided >= 0 && t.Parent == decided && t.Kind == TaskKind.AddedAfter && t.Status == WorkTaskStatus.Pending)
                {
                    State = State with { Tasks = State.Tasks.SetItem(i, t with { Status = WorkTaskStatus.Waiting, Parent = reopened }) };
                }
            }
        }

        /// <summary>Cancels the tasks of the branches after the given decision's branch (a sequential stage's later turns).</summary>
        public void CancelAskedAfter(SignOff decision)
        {
            var order = VisitBranches().ToList();
            var at = order.IndexOf(KeyOf(decision));
            for (var i = 0; i < State.Tasks.Count; i++)
            {
                var t = State.Tasks[i];
                if (t.Open && State.IsCurrent(t) && order.IndexOf(KeyOf(t)) > at)
                {
                    CloseTask(i, WorkTaskStatus.Cancelled);
                }
            }
        }

        /// <summary>Invariant 2: approvals at this visit of an earlier text no longer count; their givers must look again.</summary>
        public void DismissStaleApprovals()
        {
            foreach (var approval in State.SignOffs.Where(o => State.IsCurrent(o) && !o.Dismissed && o.Decision == Decision.Approved && o.VersionHash != State.Version.Hash).ToList())
            {
                TakeBack(approval);
            }
        }

        /// <summary>
        /// A reviewer who edited the text here stood behind that text instead of approving it; once the text changes
        /// again they have endorsed neither the new text nor written it, so, like an approver of an earlier version,
        /// they must look again (otherwise quorum "all" could complete without them). A closed task with no live
        /// approval behind it is such an edit, because every dismissed approval reopens its giver's task. Signers added
        /// after or beside a holder are asked again the same way, and so is each branch of someone holding several.
        /// </summary>
        public void ReopenEditors()
        {
            var excluded = Excluded(State.StageIndex);
            var editors = State.Tasks
                .Where(t => State.IsCurrent(t) && t.Kind is TaskKind.Regular or TaskKind.Fallback or TaskKind.AddedAfter or TaskKind.AddedParallel)
                .GroupBy(t => (t.AssigneeId, Branch: KeyOf(t)))
                .Where(g => g.Last().Status == WorkTaskStatus.Completed && !excluded.Contains(g.Key.AssigneeId)
                    && !State.SignOffs.Any(o => State.IsCurrent(o) && !o.Dismissed && (o.OnBehalfOf ?? o.ActorId) == g.Key.AssigneeId && KeyOf(o) == g.Key.Branch))
                .Select(g => g.Last())
                .ToList();
            foreach (var t in editors)
            {
                AddBranch(KeyOf(t));
                AssignTask(t.AssigneeId, KeyOf(t), t.Kind, WorkTaskStatus.Pending, t.Parent, t.By, t.Depth);
            }
        }

        // ---- after a decision ----

        /// <summary>
        /// An edit ends the editor's task; for those around it that is as a decision: whoever they were added before is
        /// asked again, and whoever was added after them is asked now, to look at the text the editor stands behind.
        /// </summary>
        public void AfterEdit(int index)
        {
            var task = State.Tasks[index];
            if (task.Kind == TaskKind.AddedBefore && task.Parent is { } parent)
            {
                Release(parent);
            }

            for (var i = 0; i < State.Tasks.Count; i++)
            {
                if (State.Tasks[i].Parent == index && State.Tasks[i].Kind == TaskKind.AddedAfter && State.Tasks[i].Status == WorkTaskStatus.Waiting)
                {
                    Activate(i);
                }
            }
        }

        public void AfterDecision(int index)
        {
            var task = State.Tasks[index];
            if (task.Kind == TaskKind.AddedBefore && task.Parent is { } parent)
            {
                Release(parent);
            }

            for (var i = 0; i < State.Tasks.Count; i++)
            {
                var t = State.Tasks[i];
                if (t.Parent == index && t.Kind == TaskKind.AddedAfter && t.Status == WorkTaskStatus.Waiting)
                {
                    Activate(i);
                }

                // One holder decided for the branch (any of a department's heads): the others need not, nor need anyone
                // they added or asked to advise (a signer added after them would otherwise wait for good).
                if (i != index && task.Kind is TaskKind.Regular or TaskKind.Fallback && t.Open && State.IsCurrent(t)
                    && t.Kind is TaskKind.Regular or TaskKind.Fallback && KeyOf(t) == KeyOf(task))
                {
                    CancelWithAdded(i);
                }
            }
        }

        public Transition Advance(string who)
        {
            switch (Evaluate())
            {
                case Progress.Met:
                    return Complete(who);
                case Progress.Open when Stage.Kind == ActivityKind.Sequential:
                    if (ActivateNextInSequence() is { } refused)
                    {
                        return refused;
                    }

                    // The turns still to come may all have been passed over (their holder wrote the text since the stage
                    // was entered): then nobody is left to ask and the stage is done.
                    return Evaluate() == Progress.Met ? Complete(who) : Accept();
                default:
                    return Accept();
            }
        }

        public Transition Complete(string who)
        {
            var s = State;
            CancelOpenAtVisit();
            Events.Add(new StageCompleted(who, Now, StageKey, s.Version.Hash));
            if (s.StageIndex == Route.LastStage)
            {
                State = State with { Status = SectionStatus.Approved };
                Events.Add(new SectionFinalized(who, Now, s.Version.Number, s.Version.Hash));
                return Accept();
            }

            var next = s.CurrentMove?.ResumeAt is { } resume && resume > s.StageIndex && resume <= Route.LastStage ? resume : s.StageIndex + 1;
            return EnterStage(next, MoveReason.Advance, null);
        }

        // ---- quorum ----

        private IReadOnlyList<string> VisitBranches()
        {
            if (State.CurrentMove is { Branches.Length: > 0 } move && move.StageIndex == State.StageIndex)
            {
                return move.Branches;
            }

            // Visits kept before branches were: every holder who is still asked or approved is a branch.
            return State.Tasks
                .Where(t => State.IsCurrent(t) && t.Kind is TaskKind.Regular or TaskKind.Fallback
                    && (t.Open || State.SignOffs.Any(o => State.IsCurrent(o) && !o.Dismissed && KeyOf(o) == KeyOf(t))))
                .Select(KeyOf)
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }

        private ImmutableArray<string> SkippedBranches() =>
            State.CurrentMove is { } move && move.StageIndex == State.StageIndex ? move.Skipped : [];

        private bool BranchApproved(string key)
        {
            var hash = State.Version.Hash;
            bool Approved(string holder, Func<SignOff, bool> kind) => State.SignOffs.Any(o => State.IsCurrent(o) && !o.Dismissed && o.Decision == Decision.Approved
                && KeyOf(o) == key && o.VersionHash == hash && kind(o) && (holder.Length == 0 || (o.OnBehalfOf ?? o.ActorId) == holder));

            if (!Approved("", o => o.Kind is TaskKind.Regular or TaskKind.Fallback))
            {
                return false;
            }

            // Everyone added after or beside the branch's holder must agree too; one who edited stands behind the text
            // while it is theirs (and is asked again once someone else changes it). Only each signer's latest task
            // counts: one asked again, then removed or handed on, no longer has to agree.
            return State.Tasks
                .Where(t => State.IsCurrent(t) && KeyOf(t) == key && t.Kind is TaskKind.AddedAfter or TaskKind.AddedParallel)
                .GroupBy(t => t.AssigneeId, StringComparer.Ordinal)
                .Select(g => g.Last())
                .Where(t => t.Status != WorkTaskStatus.Cancelled)
                .All(t => t.Status == WorkTaskStatus.Completed && (Approved(t.AssigneeId, o => o.Kind == t.Kind) || t.AssigneeId == State.Version.AuthorId));
        }

        /// <summary>Whether a holder of the branch (or the clerk standing in) approved the current text.</summary>
        private bool HolderApproved(string key) => State.SignOffs.Any(o => State.IsCurrent(o) && !o.Dismissed && o.Decision == Decision.Approved
            && KeyOf(o) == key && o.VersionHash == State.Version.Hash && o.Kind is TaskKind.Regular or TaskKind.Fallback);

        private bool BranchRefused(string key) =>
            State.SignOffs.Any(o => State.IsCurrent(o) && !o.Dismissed && o.Decision == Decision.Returned && KeyOf(o) == key);

        /// <summary>
        /// Whether the branch can still be approved: one of its holders is still to act, or one approved and those added
        /// to them are still to agree. Signers added to a holder who has since edited the text cannot approve it for them.
        /// </summary>
        private bool BranchOpen(string key) =>
            State.Tasks.Any(t => t.Open && State.IsCurrent(t) && KeyOf(t) == key && (t.Kind is TaskKind.Regular or TaskKind.Fallback || HolderApproved(key)))
            || (Stage.Kind == ActivityKind.Sequential && !Asked(key));

        /// <summary>
        /// In a sequential stage, whether the branch's turn has come and stands: its latest holder's task (handed on or
        /// not) is open or decided. One cancelled (taken back by a reclaim before it, say) must be asked again, even when
        /// an earlier task of the branch was decided on a text that has since changed.
        /// </summary>
        private bool Asked(string key) =>
            State.Tasks.LastOrDefault(t => State.IsCurrent(t) && KeyOf(t) == key && t.Kind is TaskKind.Regular or TaskKind.Fallback) is { } last
            && last.Status != WorkTaskStatus.Cancelled;

        public Progress Evaluate()
        {
            var keys = VisitBranches();
            if (keys.Count == 0)
            {
                return Progress.Failed;
            }

            var skipped = SkippedBranches();
            var approved = keys.Count(k => skipped.Contains(k) || BranchApproved(k));
            var open = keys.Count(k => !skipped.Contains(k) && !BranchApproved(k) && !BranchRefused(k) && BranchOpen(k));
            var required = Stage.Quorum.Required(keys.Count);
            return approved >= required ? Progress.Met : approved + open < required ? Progress.Failed : Progress.Open;
        }

        public void DropBranch(string key) => EditMove(b => b.Remove(key));

        public void AddBranch(string key) => EditMove(b => b.Contains(key) ? b : b.Add(key));

        private void EditMove(Func<ImmutableArray<string>, ImmutableArray<string>> change)
        {
            if (State.CurrentMove is { Branches.Length: > 0 } move && move.StageIndex == State.StageIndex)
            {
                State = State with { Moves = State.Moves.SetItem(State.Moves.Count - 1, move with { Branches = change(move.Branches) }) };
            }
        }

        // ---- entering stages ----

        /// <summary>
        /// Separation of duties: nobody reviews text they wrote, a submission they made, or a text they already approved
        /// at an earlier stage of this round.
        /// </summary>
        public HashSet<string> Excluded(int stage)
        {
            var set = Self();
            foreach (var o in State.SignOffs.Where(o => o.Cycle == State.Cycle && !o.Dismissed && o.Decision == Decision.Approved && o.StageIndex > 0 && o.StageIndex < stage))
            {
                set.Add(o.ActorId);
                if (o.OnBehalfOf is { } principal)
                {
                    set.Add(principal);
                }
            }

            return set;
        }

        /// <summary>Who wrote the current text or submitted it in this round.</summary>
        private HashSet<string> Self() => State.Tasks
            .Where(t => t.StageIndex == 0 && t.Cycle == State.Cycle && t.Status == WorkTaskStatus.Completed)
            .Select(t => t.AssigneeId)
            .Append(State.Version.AuthorId)
            .ToHashSet(StringComparer.Ordinal);

        private int NextVisit() =>
            1 + Math.Max(State.Moves.IsEmpty ? 0 : State.Moves.Max(m => m.Visit), State.Tasks.IsEmpty ? 0 : State.Tasks.Max(t => t.Visit));

        public void EnterDraft(MoveReason reason, SectionStatus status, int? resume, string? note)
        {
            var author = participants.AuthorId;
            State = State with
            {
                StageIndex = 0,
                Status = status,
                Moves = State.Moves.Add(new Move(NextVisit(), 0, State.Cycle, actorId, reason, Now) { Branches = [author], ResumeAt = resume, Note = note }),
            };
            AssignTask(author, author, TaskKind.Regular, WorkTaskStatus.Pending, null, null, 0);
        }

        /// <summary>The people who may hold a branch now, and the kind of task they get (the clerk's is a fallback).</summary>
        private (List<string> People, TaskKind Kind, bool Skip) Staff(int index, Branch branch, HashSet<string> excluded)
        {
            var eligible = branch.Candidates.Where(id => id.Length > 0 && !excluded.Contains(id)).Distinct(StringComparer.Ordinal).ToList();
            if (eligible.Count > 0)
            {
                return (eligible, TaskKind.Regular, false);
            }

            var stage = Route.Stages[index];
            if (branch.Candidates.Any(Self().Contains))
            {
                if (stage.WhenSubmitter == WhenSubmitter.Skip)
                {
                    return ([], TaskKind.Regular, true);
                }

                if (stage.WhenSubmitter == WhenSubmitter.Deputy && participants.Deputies.TryGetValue(index, out var deputy) && !excluded.Contains(deputy))
                {
                    return ([deputy], TaskKind.Regular, false);
                }
            }

            return stage.WhenNobody == WhenNobody.Clerk && participants.ClerkId is { Length: > 0 } clerk && !excluded.Contains(clerk)
                ? ([clerk], TaskKind.Fallback, false)
                : ([], TaskKind.Regular, false);
        }

        /// <summary>
        /// The stage's branches as the directory gives them, each key once: a person both named and holding the role, or a
        /// department named twice, is one branch (with everyone who may hold it), so a quorum never counts it twice.
        /// </summary>
        private ImmutableArray<Branch> Defined(int index) =>
            index < participants.Stages.Length
                ? [.. participants.Stages[index].GroupBy(b => b.Key, StringComparer.Ordinal)
                    .Select(g => g.Skip(1).Any() ? g.First() with { Candidates = [.. g.SelectMany(b => b.Candidates).Distinct(StringComparer.Ordinal)] } : g.First())]
                : [];

        public Transition EnterStage(int index, MoveReason reason, int? resume)
        {
            var stage = Route.Stages[index];
            var excluded = Excluded(index);
            var defined = Defined(index);
            var keys = new List<string>();
            var skipped = new List<string>();
            var staff = new Dictionary<string, (List<string> People, TaskKind Kind)>(StringComparer.Ordinal);
            if (stage.FixedBranches)
            {
                foreach (var b in defined)
                {
                    keys.Add(b.Key);
                    var (people, kind, skip) = Staff(index, b, excluded);
                    if (skip)
                    {
                        skipped.Add(b.Key);
                    }
                    else if (people.Count > 0)
                    {
                        staff[b.Key] = (people, kind);
                    }
                }
            }
            else
            {
                foreach (var b in defined)
                {
                    var people = b.Candidates.Where(id => id.Length > 0 && !excluded.Contains(id)).Distinct(StringComparer.Ordinal).ToList();
                    if (people.Count > 0 && !keys.Contains(b.Key))
                    {
                        keys.Add(b.Key);
                        staff[b.Key] = (people, TaskKind.Regular);
                    }
                }

                // Nobody left to hold a stage of a role or a department's heads: the stage's rules say who, if anyone.
                if (keys.Count == 0)
                {
                    var all = new Branch(stage.Key, stage.Name, [.. defined.SelectMany(b => b.Candidates)]);
                    var (people, kind, skip) = Staff(index, all, excluded);
                    if (skip)
                    {
                        keys.Add(all.Key);
                        skipped.Add(all.Key);
                    }
                    else if (people.Count > 0)
                    {
                        keys.Add(people[0]);
                        staff[people[0]] = (people, kind);
                    }
                }
            }

            var required = keys.Count == 0 ? 1 : stage.Quorum.Required(keys.Count);
            if (skipped.Count + staff.Count < required)
            {
                return Transition.Reject(
                    RejectionCode.NoEligibleReviewers,
                    $"Stage '{stage.Name}' needs {required} reviewer(s) who neither wrote, submitted nor already approved this text, but only {skipped.Count + staff.Count} can be found; ask the administrator to assign reviewers.");
            }

            State = State with
            {
                StageIndex = index,
                Status = SectionStatus.InReview,
                Moves = State.Moves.Add(new Move(NextVisit(), index, State.Cycle, actorId, reason, Now) { Branches = [.. keys], Skipped = [.. skipped], ResumeAt = resume }),
            };
            if (skipped.Count >= required)
            {
                Events.Add(new StageSkipped(actorId, Now, stage.Key, [.. skipped]));
                return Complete(actorId);
            }

            if (skipped.Count > 0)
            {
                Events.Add(new StageSkipped(actorId, Now, stage.Key, [.. skipped]));
            }

            foreach (var key in keys.Where(staff.ContainsKey))
            {
                foreach (var person in staff[key].People)
                {
                    AssignTask(person, key, staff[key].Kind, WorkTaskStatus.Pending, null, null, 0);
                }

                // 依次审批: only the first who is still to approve is asked.
                if (stage.Kind == ActivityKind.Sequential)
                {
                    break;
                }
            }

            return Accept();
        }

        /// <summary>
        /// In a sequential stage, asks the next person once the one before approved. A turn whose holder now wrote the
        /// text or submitted it (an added signer who edited it, say) is passed over as on entering the stage when the
        /// route says to skip the submitter: it is recorded with the visit's skipped branches, so the quorum counts it.
        /// </summary>
        private Transition? ActivateNextInSequence()
        {
            var skipped = SkippedBranches();
            var passed = new List<string>();
            foreach (var key in VisitBranches())
            {
                if (skipped.Contains(key) || BranchApproved(key))
                {
                    continue;
                }

                if (Asked(key))
                {
                    break;
                }

                var branch = Defined(State.StageIndex).FirstOrDefault(b => b.Key == key) ?? new Branch(key, key, []);
                var (people, kind, skip) = Staff(State.StageIndex, branch, Excluded(State.StageIndex));
                if (skip)
                {
                    passed.Add(key);
                    continue;
                }

                if (people.Count == 0)
                {
                    return Transition.Reject(RejectionCode.NoEligibleReviewers, $"The next person in stage '{StageName}' ({branch.Name}) cannot act now; ask the administrator to assign reviewers.");
                }

                foreach (var person in people)
                {
                    AssignTask(person, key, kind, WorkTaskStatus.Pending, null, null, 0);
                }

                break;
            }

            if (passed.Count > 0 && State.CurrentMove is { Branches.Length: > 0 } move && move.StageIndex == State.StageIndex)
            {
                State = State with { Moves = State.Moves.SetItem(State.Moves.Count - 1, move with { Skipped = move.Skipped.AddRange(passed) }) };
                Events.Add(new StageSkipped(actorId, Now, StageKey, [.. passed]));
            }

            return null;
        }

        /// <summary>The names of a sequence's turns still to come (not asked yet, nor passed over) that nobody could hold now.</summary>
        public List<string> TurnsNobodyCouldHold()
        {
            if (Stage.Kind != ActivityKind.Sequential)
            {
                return [];
            }

            var skipped = SkippedBranches();
            var excluded = Excluded(State.StageIndex);
            return [.. VisitBranches()
                .Where(key => !skipped.Contains(key) && !Asked(key) && !BranchApproved(key))
                .Select(key => Defined(State.StageIndex).FirstOrDefault(b => b.Key == key) ?? new Branch(key, key, []))
                .Where(b => Staff(State.StageIndex, b, excluded) is { People.Count: 0, Skip: false })
                .Select(b => b.Name)];
        }

        // ---- going back ----

        /// <summary>Sends the section back to an earlier stage (a return or a cancellation): a new visit there.</summary>
        public Transition GoBack(int target, MoveReason reason, int? resume, string? note)
        {
            CancelOpenAtVisit();
            if (target > 0)
            {
                return EnterStage(target, reason, resume);
            }

            State = State with { Cycle = State.Cycle + 1 };
            EnterDraft(reason, reason == MoveReason.Cancel ? SectionStatus.Draft : SectionStatus.Returned, resume, note);
            return Accept();
        }

        /// <summary>Who sent the section to the stage it is at, and the visit they sent it from; (null, null) after a return.</summary>
        public (string? Mover, Move? Previous) WhoSentItHere()
        {
            var s = State;
            if (s.CurrentMove is not { } move)
            {
                // Sections started before moves were kept: the submitter, or the last approver of the stage before.
                var mover = s.StageIndex == 1
                    ? s.Tasks.LastOrDefault(t => t.StageIndex == 0 && t.Cycle == s.Cycle && t.Status == WorkTaskStatus.Completed)?.AssigneeId
                    : s.LiveSignOffsAt(s.StageIndex - 1).LastOrDefault(a => a.Decision == Decision.Approved)?.ActorId;
                return (mover, new Move(0, s.StageIndex - 1, s.Cycle, mover ?? "", MoveReason.Advance, default));
            }

            if (move.Reason is not (MoveReason.Submit or MoveReason.Advance))
            {
                return (null, null);
            }

            // The visit before, passing over stages passed by skipping (the submitter's own branches met the quorum on
            // entry, so nobody there had a task to go back to). A skipped visit that a return, a cancellation or a reopening
            // led to ends the way back: the visits before it belong to the run that return ended.
            for (var i = s.Moves.Count - 2; i >= 0; i--)
            {
                var m = s.Moves[i];
                if (m.Visit == move.Visit)
                {
                    continue;
                }

                if (m.Skipped.Length == 0 || m.Skipped.Length < Route.Stages[m.StageIndex].Quorum.Required(m.Branches.Length))
                {
                    return (move.ActorId, m);
                }

                if (m.Reason is not (MoveReason.Submit or MoveReason.Advance))
                {
                    break;
                }
            }

            return (move.ActorId, null);
        }

        /// <summary>Whether anyone decided at this visit or added, delegated or handed on a task (an edit alone does not count).</summary>
        public bool HasActedAtVisit() =>
            State.SignOffs.Any(o => State.IsCurrent(o))
            || State.Tasks.Any(t => State.IsCurrent(t) && (t.Kind is not (TaskKind.Regular or TaskKind.Fallback) || t.By is not null));

        /// <summary>Goes back to an earlier visit (withdraw, reclaim): the actor's decision there is taken back and their task reopens.</summary>
        public void Reopen(Move previous, string who, MoveReason reason)
        {
            CancelOpenAtVisit();
            var back = new Move(previous.Visit, previous.StageIndex, State.Cycle, who, reason, Now) { Branches = previous.Branches, Skipped = previous.Skipped, ResumeAt = previous.ResumeAt };
            if (previous.StageIndex == 0)
            {
                State = State with { StageIndex = 0, Status = SectionStatus.Draft, Moves = State.Moves.Add(back) };
                AssignTask(participants.AuthorId, participants.AuthorId, TaskKind.Regular, WorkTaskStatus.Pending, null, null, 0);
                return;
            }

            State = State with { StageIndex = previous.StageIndex, Status = SectionStatus.InReview, Moves = State.Moves.Add(back) };
            if (State.SignOffs.LastOrDefault(o => State.IsCurrent(o) && !o.Dismissed && o.Decision == Decision.Approved && o.ActorId == who) is { } mine)
            {
                TakeBack(mine);
            }

            // Invariant 2: the text may have been edited at the later stage; approvals given here to an earlier
            // version no longer count, and their givers must look again.
            DismissStaleApprovals();
            ReopenEditors();
        }

        /// <summary>Re-reads who may hold the current stage: departed holders lose their task, newly eligible people get one.</summary>
        public void Restaff()
        {
            var index = State.StageIndex;
            var excluded = Excluded(index);
            var defined = Defined(index);
            var candidates = defined.ToDictionary(b => b.Key, b => b.Candidates.Where(id => id.Length > 0 && !excluded.Contains(id)).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
            for (var i = 0; i < State.Tasks.Count; i++)
            {
                var t = State.Tasks[i];
                var stillMay = candidates.TryGetValue(KeyOf(t), out var people) ? people.Contains(t.AssigneeId) : candidates.Values.Any(p => p.Contains(t.AssigneeId));
                // A task handed on (转办: By names who handed it on) is its new holder's for good, whoever the directory lists.
                if (t.Status == WorkTaskStatus.Pending && State.IsCurrent(t) && t.Kind == TaskKind.Regular && t.By is null && !stillMay)
                {
                    // Whoever they added or asked to advise goes with them, or would wait on them for good.
                    CancelWithAdded(i);
                }
            }

            var skipped = SkippedBranches();
            foreach (var b in defined)
            {
                // A branch one of its holders already approved for waits only on those added to it: its other holders
                // were let off (or handed it on) and are not asked again, or one of them could refuse a branch that counts as approved.
                var known = VisitBranches().Contains(b.Key);
                if ((!known && Stage.FixedBranches) || skipped.Contains(b.Key) || HolderApproved(b.Key) || BranchRefused(b.Key))
                {
                    continue;
                }

                // A sequential stage asks only the branch whose turn it is.
                if (Stage.Kind == ActivityKind.Sequential && !State.Tasks.Any(t => State.IsCurrent(t) && KeyOf(t) == b.Key && t.Status != WorkTaskStatus.Cancelled))
                {
                    continue;
                }

                var holderAsked = false;
                foreach (var person in candidates[b.Key].Order(StringComparer.Ordinal))
                {
                    var asked = State.Tasks.Any(t => t.Open && State.IsCurrent(t) && t.AssigneeId == person && KeyOf(t) == b.Key && t.Kind != TaskKind.Fallback);
                    var decided = State.SignOffs.Any(o => State.IsCurrent(o) && !o.Dismissed && (o.OnBehalfOf ?? o.ActorId) == person);
                    var handedOn = State.Tasks.Any(t => State.IsCurrent(t) && KeyOf(t) == b.Key && t.By == person && t.Kind is TaskKind.Regular or TaskKind.Fallback);
                    if (!asked && !decided && !handedOn)
                    {
                        AddBranch(b.Key);
                        AssignTask(person, b.Key, TaskKind.Regular, WorkTaskStatus.Pending, null, null, 0);
                        holderAsked = true;
                    }
                }

                // The clerk stood in because nobody could hold the branch; now somebody can, and the branch is theirs.
                for (var i = 0; holderAsked && i < State.Tasks.Count; i++)
                {
                    var t = State.Tasks[i];
                    if (t.Open && State.IsCurrent(t) && t.Kind == TaskKind.Fallback && KeyOf(t) == b.Key)
                    {
                        CancelWithAdded(i);
                    }
                }
            }

            if (!Stage.FixedBranches)
            {
                foreach (var key in VisitBranches().Where(k => !BranchApproved(k) && !BranchOpen(k) && !BranchRefused(k)).ToList())
                {
                    DropBranch(key);
                }
            }
        }

        private int LastIndex(Func<WorkTask, bool> match)
        {
            for (var i = State.Tasks.Count - 1; i >= 0; i--)
            {
                if (match(State.Tasks[i]))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
