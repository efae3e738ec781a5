using Workflow.Activities.Engine;
using Workflow.Activities.Routes;
using static Workflow.Tests.Unit.People;

namespace Workflow.Tests.Unit;

public sealed class SectionMachineTests
{
    private const string CommitteeOpinion = "第二部分发展党员数字与组织部台账不一致，请核实。";

    // Invariant 1: an approval is bound to one content hash; a decision against any other version is stale.

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Approving_a_stale_version_is_rejected(int seenVersion)
    {
        var s = SectionScenario.Start();
        s.Submit();
        s.Edit(Head1, "hash-v2");

        Assert.Equal(RejectionCode.StaleVersion, s.Reject(new ApproveCommand(Head2, seenVersion, null)));
    }

    [Fact]
    public void Every_other_command_on_a_stale_version_is_rejected_too()
    {
        var s = SectionScenario.Start();
        s.Edit(Author, "hash-v2");

        Assert.Equal(RejectionCode.StaleVersion, s.Reject(new SubmitCommand(Author, 1, null)));
        Assert.Equal(RejectionCode.StaleVersion, s.Reject(new EditCommand(Author, 1, "hash-v3", null)));

        s.Submit();
        Assert.Equal(RejectionCode.StaleVersion, s.Reject(new WithdrawCommand(Author, 1, null)));
        Assert.Equal(RejectionCode.StaleVersion, s.Reject(new ReturnCommand(Head1, 1, CommitteeOpinion)));
    }

    [Fact]
    public void An_approval_is_bound_to_the_hash_of_the_version_it_approves()
    {
        var s = SectionScenario.Start();
        s.Edit(Author, "hash-v2");
        s.Submit();

        var events = s.Approve(Head1, "同意");

        var signOff = Assert.Single(s.State.SignOffs);
        Assert.Equal((2, "hash-v2", Decision.Approved), (signOff.VersionNumber, signOff.VersionHash, signOff.Decision));
        Assert.Contains(new SectionApproved(Head1, s.Now, "department", 2, "hash-v2", "同意") { Branch = Head1 }, events);
        Assert.Contains(new StageCompleted(Head1, s.Now, "department", "hash-v2"), events);
    }

    // Invariant 2: editing at a stage dismisses approvals given at that stage to earlier versions.

    [Theory]
    [InlineData("{ \"atLeast\": 2 }")]
    [InlineData("\"all\"")]
    public void Editing_at_a_stage_dismisses_approvals_given_there_to_earlier_versions(string committeeQuorum)
    {
        var s = SectionScenario.Start(TestRoutes.ThreeStage(committeeQuorum: committeeQuorum)).AtCommittee();
        s.Approve(Member1);

        var events = s.Edit(Member2, "hash-v2");

        var dismissed = Assert.Single(s.State.SignOffs, a => a.ActorId == Member1);
        Assert.True(dismissed.Dismissed);
        Assert.Equal(SectionScenario.FirstHash, dismissed.VersionHash);
        Assert.Contains(new ApprovalDismissed(Member2, s.Now, "committee", Member1, SectionScenario.FirstHash), events);
        Assert.Contains(new TaskAssigned(Member2, s.Now, "committee", Member1, s.Now + TimeSpan.FromDays(5)) { Branch = Member1 }, events);
        Assert.Equal([Member1, Member3], s.PendingAssignees);

        // Member 1's approval of the first text no longer counts towards either quorum: one more is not enough.
        s.Approve(Member3);
        Assert.Equal(SectionStatus.InReview, s.State.Status);

        s.Approve(Member1);
        Assert.Equal(SectionStatus.Approved, s.State.Status);
        Assert.Equal([Member3, Member1], s.State.LiveSignOffsAt(2).Select(a => a.ActorId));
        Assert.All(s.State.LiveSignOffsAt(2), a => Assert.Equal("hash-v2", a.VersionHash));
    }

    [Fact]
    public void Editing_at_a_stage_leaves_approvals_of_earlier_stages_alone()
    {
        var s = SectionScenario.Start().AtCommittee();

        s.Edit(Member1, "hash-v2");

        var headApproval = Assert.Single(s.State.SignOffs);
        Assert.Equal((Head1, false), (headApproval.ActorId, headApproval.Dismissed));
    }

    [Fact]
    public void Saving_the_same_text_again_creates_no_new_version()
    {
        var s = SectionScenario.Start();

        var events = s.Edit(Author, SectionScenario.FirstHash);

        Assert.Empty(events);
        Assert.Equal(1, s.Version);
    }

    [Fact]
    public void An_edit_creates_a_new_version_written_by_its_editor()
    {
        var s = SectionScenario.Start();
        s.Submit();

        var events = s.Edit(Head1, "hash-v2");

        Assert.Equal(new VersionRef(2, "hash-v2", Head1), s.State.Version);
        Assert.Equal(
            [
                new SectionEdited(Head1, s.Now, "department", 2, "hash-v2", null),
                new TaskClosed(Head1, s.Now, "department", Head1, WorkTaskStatus.Completed),
            ],
            events);
    }

    [Fact]
    public void An_author_editing_the_draft_keeps_their_task()
    {
        var s = SectionScenario.Start();

        var events = s.Edit(Author, "hash-v2");

        Assert.Equal(new VersionRef(2, "hash-v2", Author), s.State.Version);
        Assert.Equal([new SectionEdited(Author, s.Now, "draft", 2, "hash-v2", null)], events);
        Assert.Equal([Author], s.PendingAssignees);
    }

    // Rule: a reviewer who edits authors the new version, so their own task closes without a sign-off.

    [Fact]
    public void With_quorum_all_the_other_members_approving_an_edit_finalises_the_section()
    {
        var s = SectionScenario.Start(TestRoutes.ThreeStage(committeeQuorum: "\"all\"")).AtCommittee();

        s.Edit(Member2, "hash-v2");

        Assert.Equal(WorkTaskStatus.Completed, Assert.Single(s.State.Tasks, t => t.AssigneeId == Member2).Status);
        Assert.Equal([Member1, Member3], s.PendingAssignees);
        s.Approve(Member1);
        Assert.Equal(SectionStatus.InReview, s.State.Status);
        var last = s.Approve(Member3);
        Assert.Equal(SectionStatus.Approved, s.State.Status);
        Assert.Contains(new SectionFinalized(Member3, s.Now, 2, "hash-v2"), last);
        Assert.DoesNotContain(s.State.SignOffs, a => a.ActorId == Member2);
    }

    [Theory]
    [InlineData("\"any\"", "\"any\"", 1, new[] { Head1 }, new[] { Member1, Member2, Member3 })]
    [InlineData("\"all\"", "\"any\"", 1, new[] { Head1 }, new[] { Member1, Member2, Member3 })]
    [InlineData("\"any\"", "{ \"atLeast\": 2 }", 2, new[] { Head1 }, new[] { Member1, Member2 })]
    public void An_edit_that_would_leave_too_few_reviewers_to_approve_it_is_refused(
        string departmentQuorum, string committeeQuorum, int stage, string[] heads, string[] members)
    {
        var s = SectionScenario.Start(TestRoutes.ThreeStage(departmentQuorum, committeeQuorum), Participants.For(Author, heads, members));
        s.Submit();
        if (stage == 2)
        {
            s.Approve(Head1);
        }

        var editor = s.PendingAssignees.First();

        Assert.Equal(RejectionCode.NoEligibleReviewers, s.Reject(new EditCommand(editor, s.Version, "hash-v2", null)));
        Assert.Equal(1, s.Version);
        s.Approve(editor);
    }

    [Fact]
    public void A_second_edit_at_a_stage_asks_the_first_editor_again()
    {
        var s = SectionScenario.Start(TestRoutes.ThreeStage(committeeQuorum: "\"all\"")).AtCommittee();
        s.Edit(Member1, "hash-v2");

        var events = s.Edit(Member2, "hash-v3");

        // Member 1 stood behind hash-v2, not hash-v3; quorum all must not complete without them.
        Assert.Contains(new TaskAssigned(Member2, s.Now, "committee", Member1, s.Now + TimeSpan.FromDays(5)) { Branch = Member1 }, events);
        Assert.Equal([Member1, Member3], s.PendingAssignees);
        s.Approve(Member3);
        Assert.Equal(SectionStatus.InReview, s.State.Status);
        s.Approve(Member1);
        Assert.Equal(SectionStatus.Approved, s.State.Status);
    }

    [Fact]
    public void Withdrawing_to_a_stage_after_a_later_edit_asks_the_editor_there_again()
    {
        var s = SectionScenario.Start(TestRoutes.ThreeStage(departmentQuorum: "\"all\""));
        s.Submit();
        s.Edit(Head1, "hash-v2");
        s.Approve(Head2);
        s.Edit(Member1, "hash-v3");

        s.Withdraw(Head2);

        // Head 1 wrote hash-v2 but has neither written nor approved hash-v3.
        Assert.Equal([Head1, Head2], s.PendingAssignees);
        s.Approve(Head2);
        Assert.Equal(1, s.State.StageIndex);
        s.Approve(Head1);
        Assert.Equal(2, s.State.StageIndex);
    }

    [Fact]
    public void Withdrawing_to_a_stage_does_not_ask_the_author_of_the_current_text_there()
    {
        var s = SectionScenario.Start();
        s.Submit();
        s.Edit(Head1, "hash-v2");
        s.Approve(Head2);

        s.Withdraw(Head2);

        Assert.Equal([Head2], s.PendingAssignees);
    }

    // Invariant 3: a return always carries a non-empty opinion.

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u3000\t\n")]
    public void Returning_without_an_opinion_is_rejected(string? opinion)
    {
        var s = SectionScenario.Start();
        s.Submit();

        Assert.Equal(RejectionCode.OpinionRequired, s.Reject(new ReturnCommand(Head1, s.Version, opinion)));
    }

    [Fact]
    public void A_return_keeps_the_opinion_without_surrounding_blanks()
    {
        var s = SectionScenario.Start();
        s.Submit();

        var events = s.Return(Head1, "  请补充二季度数据。\n");

        Assert.Equal("请补充二季度数据。", Assert.Single(s.State.SignOffs).Opinion);
        Assert.Contains(new SectionReturned(Head1, s.Now, "department", 1, SectionScenario.FirstHash, "请补充二季度数据。"), events);
    }

    // Invariant 4: only a pending task holder decides; nobody approves a version they authored.

    [Fact]
    public void Someone_who_never_held_a_task_cannot_decide()
    {
        var s = SectionScenario.Start();
        s.Submit();

        Assert.Equal(RejectionCode.NotYourTask, s.Reject(new ApproveCommand(Stranger, 1, null)));
        Assert.Equal(RejectionCode.NotYourTask, s.Reject(new ReturnCommand(Stranger, 1, CommitteeOpinion)));
        Assert.Equal(RejectionCode.NotYourTask, s.Reject(new EditCommand(Stranger, 1, "hash-v2", null)));
        Assert.Equal(RejectionCode.NotYourTask, s.Reject(new ApproveCommand(Member1, 1, null)));
    }

    [Fact]
    public void A_reviewer_whose_task_was_closed_by_another_reviewers_decision_can_no_longer_decide()
    {
        var s = SectionScenario.Start();
        s.Submit();
        s.Approve(Head1);

        Assert.Equal(RejectionCode.TaskNoLongerPending, s.Reject(new ApproveCommand(Head2, 1, null)));
        Assert.Equal(RejectionCode.TaskNoLongerPending, s.Reject(new ReturnCommand(Head2, 1, CommitteeOpinion)));
        Assert.Equal(WorkTaskStatus.Cancelled, Assert.Single(s.State.Tasks, t => t.AssigneeId == Head2).Status);
    }

    [Fact]
    public void A_reviewer_cannot_decide_twice()
    {
        var s = SectionScenario.Start(TestRoutes.ThreeStage(committeeQuorum: "\"all\"")).AtCommittee();
        s.Approve(Member1);

        Assert.Equal(RejectionCode.TaskNoLongerPending, s.Reject(new ApproveCommand(Member1, 1, null)));
    }

    [Fact]
    public void Nobody_approves_a_version_they_authored()
    {
        var s = SectionScenario.Start();
        s.Submit();
        s.Edit(Head1, "hash-v2");

        Assert.Equal(RejectionCode.SelfApprovalForbidden, s.Reject(new ApproveCommand(Head1, 2, null)));
        s.Approve(Head2);
        Assert.Equal([(Head2, "hash-v2")], s.State.SignOffs.Select(a => (a.ActorId, a.VersionHash)));
        Assert.DoesNotContain(Head1, s.PendingAssignees);
    }

    [Fact]
    public void A_reviewer_still_holding_a_task_on_a_version_they_wrote_cannot_approve_it()
    {
        var s = SectionScenario.Start();
        s.Submit();
        // A state saved before an edit closed the editor's task: Head 1 wrote version 2 yet still holds a task.
        var saved = s.State with { Version = new VersionRef(2, "hash-v2", Head1) };

        var t = SectionMachine.Decide(s.Route, saved, s.Participants, new ApproveCommand(Head1, 2, null), s.Now);

        Assert.Equal(RejectionCode.SelfApprovalForbidden, t.Rejection?.Code);
    }

    [Fact]
    public void The_author_of_the_text_gets_no_review_task_even_when_they_hold_the_reviewing_role()
    {
        var s = SectionScenario.Start(participants: People.Office(author: Member1)).AtCommittee();

        Assert.Equal([Member2, Member3], s.PendingAssignees);
    }

    [Fact]
    public void An_author_who_is_also_a_department_head_gets_no_department_task()
    {
        var s = SectionScenario.Start(participants: People.Office(author: Head1));

        s.Submit(Head1);

        Assert.Equal([Head2], s.PendingAssignees);
    }

    [Fact]
    public void Whoever_submits_does_not_review_the_submission_even_when_someone_else_wrote_the_text()
    {
        var s = SectionScenario.Start();
        s.Do(new ReassignCommand("clerk", Head2));
        s.Participants = People.Office(author: Head2);

        s.Submit(Head2);

        Assert.Equal(Author, s.State.Version.AuthorId);
        Assert.Equal([Head1], s.PendingAssignees);
    }

    [Fact]
    public void Whoever_approved_at_the_department_gets_no_committee_task_in_the_same_cycle()
    {
        var s = SectionScenario.Start(participants: Participants.For(Author, Heads, [Head1, Member1, Member2]));

        s.AtCommittee();
        Assert.Equal([Member1, Member2], s.PendingAssignees);

        // A return starts a new round; Head 1 did not approve in it, so they may sit on the committee again.
        s.Return(Member1, CommitteeOpinion);
        s.Submit();
        s.Approve(Head2);
        Assert.Equal([Head1, Member1, Member2], s.PendingAssignees);
    }

    [Fact]
    public void Approving_is_refused_when_the_approver_is_the_next_stages_only_candidate()
    {
        var s = SectionScenario.Start(participants: Participants.For(Author, Heads, [Head1]));
        s.Submit();

        Assert.Equal(RejectionCode.NoEligibleReviewers, s.Reject(new ApproveCommand(Head1, 1, null)));
        Assert.Equal([Head1, Head2], s.PendingAssignees);

        s.Approve(Head2);
        Assert.Equal([Head1], s.PendingAssignees);
        Assert.Equal(2, s.State.StageIndex);
    }

    [Fact]
    public void Submitting_is_refused_when_the_submitter_is_the_only_head()
    {
        var s = SectionScenario.Start(participants: Participants.For(Author, [Head1], Members));
        s.Do(new ReassignCommand("clerk", Head1));
        s.Participants = Participants.For(Head1, [Head1], Members);

        Assert.Equal(RejectionCode.NoEligibleReviewers, s.Reject(new SubmitCommand(Head1, 1, null)));
        Assert.Equal([Head1], s.PendingAssignees);
    }

    // Flows

    [Fact]
    public void A_section_approved_by_the_head_and_the_committee_is_final_and_both_sign_offs_bind_the_same_text()
    {
        var s = SectionScenario.Start();
        s.Submit();
        s.Advance(TimeSpan.FromHours(2)).Approve(Head1, "同意");
        var last = s.Advance(TimeSpan.FromDays(1)).Approve(Member2, "同意报送");

        Assert.Equal(SectionStatus.Approved, s.State.Status);
        Assert.Equal(2, s.State.StageIndex);
        Assert.Contains(new SectionFinalized(Member2, s.Now, 1, SectionScenario.FirstHash), last);
        Assert.Equal(
            [(1, Head1), (2, Member2)],
            s.State.SignOffs.Select(a => (a.StageIndex, a.ActorId)));
        Assert.All(s.State.SignOffs, a =>
        {
            Assert.Equal(SectionScenario.FirstHash, a.VersionHash);
            Assert.Equal(Decision.Approved, a.Decision);
            Assert.False(a.Dismissed);
        });
        Assert.Empty(s.State.PendingTasks);
        Assert.Equal(
            [
                nameof(SectionCreated), nameof(TaskAssigned),
                nameof(TaskClosed), nameof(SectionSubmitted), nameof(TaskAssigned), nameof(TaskAssigned),
                nameof(TaskClosed), nameof(SectionApproved), nameof(TaskClosed), nameof(StageCompleted), nameof(TaskAssigned), nameof(TaskAssigned), nameof(TaskAssigned),
                nameof(TaskClosed), nameof(SectionApproved), nameof(TaskClosed), nameof(TaskClosed), nameof(StageCompleted), nameof(SectionFinalized),
            ],
            s.Events.Select(e => e.GetType().Name));
    }

    [Fact]
    public void An_approved_section_accepts_no_further_commands()
    {
        var s = SectionScenario.Start().AtCommittee();
        s.Approve(Member1);

        Assert.Equal(RejectionCode.SectionClosed, s.Reject(new EditCommand(Member2, 1, "hash-v2", null)));
        Assert.Equal(RejectionCode.SectionClosed, s.Reject(new ReturnCommand(Member2, 1, CommitteeOpinion)));
        Assert.Equal(RejectionCode.SectionClosed, s.Reject(new WithdrawCommand(Head1, 1, null)));
    }

    [Fact]
    public void A_return_sends_the_section_back_to_its_author_in_a_new_cycle()
    {
        var s = SectionScenario.Start().AtCommittee();

        var events = s.Return(Member1, CommitteeOpinion);

        Assert.Equal((SectionStatus.Returned, 0, 1), (s.State.Status, s.State.StageIndex, s.State.Cycle));
        var draftTask = Assert.Single(s.State.PendingTasks);
        Assert.Equal((0, 1, Author), (draftTask.StageIndex, draftTask.Cycle, draftTask.AssigneeId));
        Assert.All(s.State.Tasks.Where(t => t.StageIndex == 2 && t.AssigneeId != Member1), t => Assert.Equal(WorkTaskStatus.Cancelled, t.Status));
        Assert.Contains(new SectionReturned(Member1, s.Now, "committee", 1, SectionScenario.FirstHash, CommitteeOpinion), events);
        Assert.Contains(new TaskAssigned(Member1, s.Now, "draft", Author, null) { Branch = Author }, events);

        s.Edit(Author, "hash-v2");
        s.Submit();
        Assert.Equal([Head1, Head2], s.State.PendingTasks.Where(t => t.Cycle == 1 && t.StageIndex == 1).Select(t => t.AssigneeId));
    }

    [Fact]
    public void Approvals_from_before_a_return_do_not_count_in_the_new_cycle()
    {
        var s = SectionScenario.Start(TestRoutes.ThreeStage(committeeQuorum: "{ \"atLeast\": 2 }")).AtCommittee();
        s.Approve(Member1);
        s.Return(Member2, CommitteeOpinion);
        s.Submit();
        s.Approve(Head1);

        s.Approve(Member3);

        Assert.Equal(SectionStatus.InReview, s.State.Status);
    }

    [Fact]
    public void The_submitter_can_withdraw_before_the_head_acts()
    {
        var s = SectionScenario.Start();
        s.Submit();

        var events = s.Withdraw(Author);

        Assert.Equal((SectionStatus.Draft, 0), (s.State.Status, s.State.StageIndex));
        Assert.Equal([Author], s.PendingAssignees);
        Assert.All(s.State.Tasks.Where(t => t.StageIndex == 1), t => Assert.Equal(WorkTaskStatus.Cancelled, t.Status));
        Assert.Contains(new SectionWithdrawn(Author, s.Now, "department", "draft", null), events);
    }

    [Fact]
    public void The_submitter_cannot_withdraw_once_the_head_has_approved()
    {
        var s = SectionScenario.Start().AtCommittee();

        Assert.Equal(RejectionCode.NothingToWithdraw, s.Reject(new WithdrawCommand(Author, 1, null)));
    }

    [Fact]
    public void The_submitter_cannot_withdraw_once_one_of_several_required_heads_has_approved()
    {
        var s = SectionScenario.Start(TestRoutes.ThreeStage(departmentQuorum: "\"all\""));
        s.Submit();
        s.Approve(Head1);

        Assert.Equal(RejectionCode.NothingToWithdraw, s.Reject(new WithdrawCommand(Author, 1, null)));
    }

    [Fact]
    public void A_returned_section_has_nothing_to_withdraw()
    {
        var s = SectionScenario.Start();
        s.Submit();
        s.Return(Head1, CommitteeOpinion);

        Assert.Equal(RejectionCode.NothingToWithdraw, s.Reject(new WithdrawCommand(Author, 1, null)));
    }

    [Fact]
    public void Only_the_one_who_sent_the_section_on_may_withdraw_it()
    {
        var s = SectionScenario.Start();
        s.Submit();

        Assert.Equal(RejectionCode.NotYourTask, s.Reject(new WithdrawCommand(Stranger, 1, null)));
        Assert.Equal(RejectionCode.NothingToWithdraw, s.Reject(new WithdrawCommand(Head1, 1, null)));
    }

    [Fact]
    public void The_head_can_withdraw_from_the_committee_before_it_acts()
    {
        var s = SectionScenario.Start().AtCommittee();

        var events = s.Withdraw(Head1);

        Assert.Equal((SectionStatus.InReview, 1), (s.State.Status, s.State.StageIndex));
        Assert.Equal([Head1], s.PendingAssignees);
        Assert.True(Assert.Single(s.State.SignOffs).Dismissed);
        Assert.Contains(new SectionWithdrawn(Head1, s.Now, "committee", "department", null), events);
    }

    [Fact]
    public void Withdrawing_to_a_stage_whose_approvals_predate_a_later_edit_asks_those_reviewers_again()
    {
        var s = SectionScenario.Start(TestRoutes.ThreeStage(departmentQuorum: "\"all\""));
        s.Submit();
        s.Approve(Head1);
        s.Approve(Head2);
        s.Edit(Member1, "hash-v2");

        s.Withdraw(Head2);

        Assert.Empty(s.State.LiveSignOffsAt(1));
        Assert.Equal([Head1, Head2], s.PendingAssignees);
        s.Approve(Head2);
        Assert.Equal(1, s.State.StageIndex);
        s.Approve(Head1);
        Assert.Equal(2, s.State.StageIndex);
    }

    [Theory]
    [InlineData("\"any\"", 1)]
    [InlineData("{ \"atLeast\": 2 }", 2)]
    [InlineData("\"all\"", 3)]
    public void The_committee_stage_completes_when_its_quorum_has_approved(string quorum, int needed)
    {
        var s = SectionScenario.Start(TestRoutes.ThreeStage(committeeQuorum: quorum)).AtCommittee();

        foreach (var member in Members.Take(needed - 1))
        {
            s.Approve(member);
            Assert.Equal(SectionStatus.InReview, s.State.Status);
        }

        s.Approve(Members[needed - 1]);
        Assert.Equal(SectionStatus.Approved, s.State.Status);
        Assert.Empty(s.State.PendingTasks);
        Assert.Equal(3 - needed, s.State.Tasks.Count(t => t.StageIndex == 2 && t.Status == WorkTaskStatus.Cancelled));
    }

    [Fact]
    public void Submitting_is_refused_when_nobody_but_the_author_could_review()
    {
        var s = SectionScenario.Start(participants: Participants.For(Author, [Author], Members));

        Assert.Equal(RejectionCode.NoEligibleReviewers, s.Reject(new SubmitCommand(Author, 1, null)));
        Assert.Equal([Author], s.PendingAssignees);
    }

    [Fact]
    public void Submitting_is_refused_when_fewer_reviewers_exist_than_the_quorum_needs()
    {
        var s = SectionScenario.Start(TestRoutes.ThreeStage(departmentQuorum: "{ \"atLeast\": 2 }"), Participants.For(Author, [Head1], Members));

        Assert.Equal(RejectionCode.NoEligibleReviewers, s.Reject(new SubmitCommand(Author, 1, null)));
    }

    [Fact]
    public void Approving_into_a_stage_whose_only_candidate_wrote_the_text_is_refused()
    {
        var s = SectionScenario.Start(participants: Participants.For(Member1, Heads, [Member1]));
        s.Submit(Member1);

        Assert.Equal(RejectionCode.NoEligibleReviewers, s.Reject(new ApproveCommand(Head1, 1, null)));
        Assert.Equal([Head1, Head2], s.PendingAssignees);
    }

    [Fact]
    public void Review_tasks_are_due_one_stage_deadline_after_they_are_handed_out()
    {
        var s = SectionScenario.Start();
        Assert.Null(Assert.Single(s.State.Tasks).DueAt);

        var submitted = s.Submit();
        Assert.All(s.State.PendingTasks, t => Assert.Equal(SectionScenario.T0 + TimeSpan.FromDays(3), t.DueAt));
        Assert.All(submitted.OfType<TaskAssigned>(), e => Assert.Equal(SectionScenario.T0 + TimeSpan.FromDays(3), e.DueAt));

        var approvedAt = s.Advance(TimeSpan.FromHours(30)).Now;
        s.Approve(Head1);
        Assert.All(s.State.PendingTasks, t => Assert.Equal(approvedAt + TimeSpan.FromDays(5), t.DueAt));
    }

    [Fact]
    public void The_same_commands_at_the_same_times_give_equal_events_and_states()
    {
        static SectionScenario Run()
        {
            var s = SectionScenario.Start(TestRoutes.ThreeStage(committeeQuorum: "{ \"atLeast\": 2 }"));
            s.Submit();
            s.Advance(TimeSpan.FromHours(1)).Edit(Head1, "hash-v2");
            s.Advance(TimeSpan.FromHours(1)).Approve(Head2);
            s.Advance(TimeSpan.FromHours(1)).Approve(Member1);
            s.Advance(TimeSpan.FromHours(1)).Return(Member2, CommitteeOpinion);
            s.Advance(TimeSpan.FromHours(1)).Submit();
            return s;
        }

        var first = Run();
        var second = Run();

        Assert.Equal(first.Events, second.Events);
        Assert.Equal(first.State.Tasks, second.State.Tasks);
        Assert.Equal(first.State.SignOffs, second.State.SignOffs);
        Assert.Equal(
            (first.State.StageIndex, first.State.Status, first.State.Cycle, first.State.Version),
            (second.State.StageIndex, second.State.Status, second.State.Cycle, second.State.Version));
    }

    [Fact]
    public void A_section_with_its_author_can_be_handed_to_another_author()
    {
        var s = SectionScenario.Start();

        var events = s.Do(new ReassignCommand("clerk", "author-2"));

        Assert.Equal(["author-2"], s.PendingAssignees);
        Assert.Equal(WorkTaskStatus.Cancelled, s.State.Tasks[0].Status);
        Assert.Contains(new SectionReassigned("clerk", s.Now, Author, "author-2"), events);
        Assert.Equal(RejectionCode.TaskNoLongerPending, s.Reject(new SubmitCommand(Author, 1, null)));
        s.Submit("author-2");
    }

    [Fact]
    public void A_returned_section_can_be_handed_to_another_author()
    {
        var s = SectionScenario.Start();
        s.Submit();
        s.Return(Head1, CommitteeOpinion);

        s.Do(new ReassignCommand("clerk", "author-2"));

        var task = Assert.Single(s.State.PendingTasks);
        Assert.Equal((0, 1, "author-2"), (task.StageIndex, task.Cycle, task.AssigneeId));
    }

    [Fact]
    public void A_section_under_review_cannot_be_handed_to_another_author()
    {
        var s = SectionScenario.Start();
        s.Submit();

        Assert.Equal(RejectionCode.WrongStage, s.Reject(new ReassignCommand("clerk", "author-2")));
    }

    [Fact]
    public void Handing_a_section_to_its_current_author_changes_nothing()
    {
        var s = SectionScenario.Start();

        Assert.Empty(s.Do(new ReassignCommand("clerk", Author)));
        Assert.Single(s.State.Tasks);
    }
}
