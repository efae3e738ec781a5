using System.Collections.Immutable;
using Workflow.Activities.Engine;
using Workflow.Activities.Routes;

namespace Workflow.Tests.Unit;

/// <summary>
/// Small deterministic scenarios for engine bugs first found by <see cref="StageGraphPropertyTests"/>'s random walks.
/// </summary>
public sealed class StageGraphRegressionTests
{
    private const string Author = "author";
    private const string P1 = "p1";
    private const string P2 = "p2";
    private const string P3 = "p3";

    private static RouteDefinition OneStage(string stage, int maxSignerDepth = 2) => TestRoutes.Parse($$"""
        {
          "definitionId": "regression", "version": 1, "maxSignerDepth": {{maxSignerDepth}},
          "stages": [ { "key": "draft", "kind": "draft" }, {{stage}} ]
        }
        """);

    private static Participants Staff(params Branch[] stage) => new([[Branch.Person(Author)], [.. stage]]);

    [Fact]
    public void A_person_both_named_and_holding_the_role_is_one_branch_and_refreshing_reviewers_does_not_throw()
    {
        var route = OneStage("""
            { "key": "sign", "kind": "countersign", "quorum": "all",
              "branches": [ { "type": "users", "users": ["p1"] }, { "type": "role", "role": "committee-member" } ] }
            """);
        var s = SectionScenario.Start(route, Staff(Branch.Person(P1), Branch.Person(P1), Branch.Person(P2)));
        s.Submit(Author);

        Assert.Equal([P1, P2], s.State.CurrentMove!.Branches);
        Assert.Equal([P1, P2], s.PendingAssignees);
        s.Do(new RefreshReviewersCommand("admin"));

        s.Approve(P1);
        Assert.Equal(SectionStatus.InReview, s.State.Status);
        s.Approve(P2);
        Assert.Equal(SectionStatus.Approved, s.State.Status);
    }

    [Fact]
    public void A_head_of_two_departments_who_edits_the_text_keeps_no_task_to_review_it()
    {
        var route = OneStage("""
            { "key": "sign", "kind": "countersign", "quorum": "any",
              "branches": [ { "type": "departmentHeads", "departments": ["d1", "d2"] } ] }
            """);
        var s = SectionScenario.Start(route, Staff(new Branch("d1", "d1", [P1]), new Branch("d2", "d2", [P1, P2])));
        s.Submit(Author);
        Assert.Equal([P1, P1, P2], s.PendingAssignees);

        s.Edit(P1, "hash-by-p1");

        Assert.Equal([P2], s.PendingAssignees);
        Assert.DoesNotContain(s.State.Tasks, t => t.Open && t.AssigneeId == P1);
        s.Approve(P2);
        Assert.Equal(SectionStatus.Approved, s.State.Status);
    }

    private static readonly string RoleReview = """{ "key": "review", "kind": "review", "assignee": { "type": "role", "role": "committee-member" } }""";

    [Fact]
    public void A_signer_added_before_who_edits_hands_the_task_back_to_the_one_who_added_them()
    {
        var s = SectionScenario.Start(OneStage(RoleReview), Staff(Branch.Person(P1)));
        s.Submit(Author);
        s.Do(new AddSignerCommand(P1, s.Version, P2, SignerPosition.Before, null));

        s.Edit(P2, "hash-by-p2");

        Assert.Equal([P1], s.PendingAssignees);
        s.Approve(P1);
        Assert.Equal(SectionStatus.Approved, s.State.Status);
    }

    [Fact]
    public void A_holder_who_edits_asks_the_signer_added_after_them_at_once()
    {
        var route = OneStage("""
            { "key": "sign", "kind": "countersign", "quorum": "all", "branches": [ { "type": "departmentHeads", "departments": ["d1"] } ] }
            """);
        var s = SectionScenario.Start(route, Staff(new Branch("d1", "d1", [P1, P3])));
        s.Submit(Author);
        s.Do(new AddSignerCommand(P1, s.Version, P2, SignerPosition.After, null));

        s.Edit(P1, "hash-by-p1");

        Assert.Equal([P2, P3], s.PendingAssignees);
        s.Approve(P3);
        Assert.Equal(SectionStatus.InReview, s.State.Status);
        s.Approve(P2);
        Assert.Equal(SectionStatus.Approved, s.State.Status);
    }

    [Fact]
    public void A_signer_added_beside_who_edits_stands_behind_their_text_until_someone_changes_it()
    {
        var route = OneStage("""
            { "key": "sign", "kind": "countersign", "quorum": "all", "branches": [ { "type": "departmentHeads", "departments": ["d1"] } ] }
            """);
        var s = SectionScenario.Start(route, Staff(new Branch("d1", "d1", [P1, P3])));
        s.Submit(Author);
        s.Do(new AddSignerCommand(P1, s.Version, P2, SignerPosition.Parallel, null));

        s.Edit(P2, "hash-by-p2");
        Assert.Equal([P1, P3], s.PendingAssignees);

        // The other head changes P2's text: P2 is asked again, and P3, who now wrote it, is not.
        s.Edit(P3, "hash-by-p3");
        Assert.Equal([P1, P2], s.PendingAssignees);
        s.Approve(P1);
        Assert.Equal(SectionStatus.InReview, s.State.Status);
        s.Approve(P2);
        Assert.Equal(SectionStatus.Approved, s.State.Status);
    }

    [Fact]
    public void A_signer_added_beside_who_edits_does_not_hold_up_the_branch_they_were_added_to()
    {
        var route = OneStage("""
            { "key": "sign", "kind": "countersign", "quorum": "all", "branches": [ { "type": "users", "users": ["p1"] } ] }
            """);
        var s = SectionScenario.Start(route, Staff(new Branch(P1, P1, [P1])));
        s.Submit(Author);
        s.Do(new AddSignerCommand(P1, s.Version, P2, SignerPosition.Parallel, null));
        s.Edit(P2, "hash-by-p2");

        s.Approve(P1);

        Assert.Equal(SectionStatus.Approved, s.State.Status);
    }

    [Fact]
    public void The_only_holder_of_a_named_branch_may_not_edit_when_only_the_signer_they_added_would_be_left()
    {
        var route = OneStage("""
            { "key": "sign", "kind": "countersign", "quorum": "all", "branches": [ { "type": "users", "users": ["p1"] } ] }
            """);
        var s = SectionScenario.Start(route, Staff(new Branch(P1, P1, [P1])));
        s.Submit(Author);
        s.Do(new AddSignerCommand(P1, s.Version, P2, SignerPosition.After, null));

        Assert.Equal(RejectionCode.NoEligibleReviewers, s.Reject(new EditCommand(P1, s.Version, "hash-by-p1", null)));
    }

    [Fact]
    public void Withdrawing_from_the_stage_after_one_passed_by_skipping_goes_back_to_the_author()
    {
        var route = TestRoutes.Parse("""
            {
              "definitionId": "regression", "version": 1,
              "stages": [
                { "key": "draft", "kind": "draft" },
                { "key": "sign", "kind": "countersign", "quorum": "any", "whenSubmitter": "skip",
                  "branches": [ { "type": "users", "users": ["author", "p1"] } ] },
                { "key": "review", "kind": "review", "assignee": { "type": "role", "role": "committee-member" } }
              ]
            }
            """);
        var s = SectionScenario.Start(route, new Participants([[Branch.Person(Author)], [Branch.Person(Author), Branch.Person(P1)], [Branch.Person(P2)]]));
        s.Submit(Author);
        Assert.Equal("review", route.Stages[s.State.StageIndex].Key);

        s.Withdraw(Author);

        Assert.Equal(SectionStatus.Draft, s.State.Status);
        Assert.Equal([Author], s.PendingAssignees);
    }

    [Fact]
    public void When_another_head_decides_for_the_department_the_signer_a_head_added_is_no_longer_waited_for()
    {
        var route = OneStage("""
            { "key": "sign", "kind": "countersign", "quorum": "all", "branches": [ { "type": "departmentHeads", "departments": ["d1"] } ] }
            """);
        var s = SectionScenario.Start(route, Staff(new Branch("d1", "d1", [P1, P2])));
        s.Submit(Author);
        s.Do(new AddSignerCommand(P1, s.Version, P3, SignerPosition.After, null));

        s.Approve(P2);

        Assert.Equal(SectionStatus.Approved, s.State.Status);
        Assert.DoesNotContain(s.State.Tasks, t => t.Open);
    }

    [Fact]
    public void Advice_for_a_task_its_holder_has_since_closed_by_editing_does_not_reopen_it()
    {
        var route = OneStage("""
            { "key": "sign", "kind": "countersign", "quorum": "any", "branches": [ { "type": "departmentHeads", "departments": ["d1", "d2"] } ] }
            """);
        var s = SectionScenario.Start(route, Staff(new Branch("d1", "d1", [P1]), new Branch("d2", "d2", [P1, P2])));
        s.Submit(Author);
        s.Do(new DelegateCommand(P1, P3, null));
        s.Edit(P1, "hash-by-p1");

        s.Do(new AdviseCommand(P3, s.Version, "看过了。"));

        Assert.DoesNotContain(s.State.Tasks, t => t.Open && t.AssigneeId == P1);
        Assert.Equal([P2], s.PendingAssignees);
    }

    [Fact]
    public void A_holder_waiting_for_advice_is_not_asked_again_when_a_signer_added_before_them_decides()
    {
        var s = SectionScenario.Start(OneStage(RoleReview), Staff(Branch.Person(P1)));
        s.Submit(Author);
        s.Do(new AddSignerCommand(P1, s.Version, P2, SignerPosition.Before, null));
        s.Approve(P2);
        s.Do(new DelegateCommand(P1, P3, null));
        s.Do(new ReclaimCommand(P2, s.Version, null));

        s.Approve(P2);

        Assert.Equal([P3], s.PendingAssignees);
        s.Do(new AdviseCommand(P3, s.Version, "可以。"));
        Assert.Equal([P1], s.PendingAssignees);
    }

    [Fact]
    public void A_departed_holder_s_task_goes_with_whoever_they_added()
    {
        var route = OneStage("""
            { "key": "sign", "kind": "countersign", "quorum": "all", "branches": [ { "type": "departmentHeads", "departments": ["d1"] } ] }
            """);
        var s = SectionScenario.Start(route, Staff(new Branch("d1", "d1", [P1])));
        s.Submit(Author);
        s.Do(new AddSignerCommand(P1, s.Version, P3, SignerPosition.After, null));
        s.Participants = Staff(new Branch("d1", "d1", [P2]));

        s.Do(new RefreshReviewersCommand("admin"));

        Assert.DoesNotContain(s.State.Tasks, t => t.Open && t.AssigneeId is P1 or P3);
        Assert.Equal([P2], s.PendingAssignees);
        s.Approve(P2);
        Assert.Equal(SectionStatus.Approved, s.State.Status);
    }

    [Fact]
    public void A_signer_added_beside_who_takes_back_their_approval_and_hands_the_task_on_no_longer_holds_up_the_branch()
    {
        var s = SectionScenario.Start(OneStage(RoleReview), Staff(Branch.Person(P1)));
        s.Submit(Author);
        s.Do(new AddSignerCommand(P1, s.Version, P2, SignerPosition.Parallel, null));
        s.Approve(P2);
        s.Do(new ReclaimCommand(P2, s.Version, null));
        s.Do(new TransferCommand(P2, P3, null));
        s.Approve(P3);

        s.Approve(P1);

        Assert.Equal(SectionStatus.Approved, s.State.Status);
    }

    [Fact]
    public void In_a_sequence_the_next_in_turn_is_asked_again_after_the_one_before_takes_back_and_gives_their_approval()
    {
        var route = OneStage("""{ "key": "turns", "kind": "sequential", "users": ["p1", "p2"] }""");
        var s = SectionScenario.Start(route, Staff(new Branch(P1, P1, [P1]), new Branch(P2, P2, [P2])));
        s.Submit(Author);
        s.Approve(P1);
        s.Do(new AddSignerCommand(P2, s.Version, P3, SignerPosition.After, null));
        s.Approve(P2);
        s.Edit(P3, "hash-by-p3");
        Assert.Equal([P1, P2], s.PendingAssignees);
        s.Approve(P1);
        s.Do(new ReclaimCommand(P1, s.Version, null));
        Assert.Equal([P1], s.PendingAssignees);

        s.Approve(P1);

        Assert.Equal([P2], s.PendingAssignees);
        s.Approve(P2);
        Assert.Equal(SectionStatus.Approved, s.State.Status);
    }

    [Fact]
    public void An_editor_holding_two_tasks_in_one_branch_has_each_closed_once()
    {
        var s = SectionScenario.Start(OneStage(RoleReview), Staff(Branch.Person(P1), Branch.Person(P3)));
        s.Submit(Author);
        s.Do(new AddSignerCommand(P1, s.Version, P2, SignerPosition.Before, null));
        s.Approve(P2);
        s.Do(new TransferCommand(P1, P2, null));
        var before = s.State.Tasks;

        var events = s.Edit(P2, "hash-by-p2");

        // P2's approval as the signer added before is dismissed and its task asked again, then closed with P2's branch.
        var closedNow = s.State.Tasks.Select((t, i) => (t, i)).Count(x => !x.t.Open && (x.i >= before.Count || before[x.i].Open));
        Assert.Equal(closedNow, events.OfType<TaskClosed>().Count());
        Assert.Equal(WorkTaskStatus.Cancelled, s.State.Tasks[^1].Status);
        Assert.Equal([P3], s.PendingAssignees);
    }

    [Fact]
    public void Whoever_sent_the_section_on_by_removing_a_signer_has_no_approval_to_withdraw()
    {
        var route = TestRoutes.Parse("""
            {
              "definitionId": "regression", "version": 1,
              "stages": [
                { "key": "draft", "kind": "draft" },
                { "key": "first", "kind": "review", "assignee": { "type": "role", "role": "a" } },
                { "key": "second", "kind": "review", "assignee": { "type": "role", "role": "b" } }
              ]
            }
            """);
        var s = SectionScenario.Start(route, new Participants([[Branch.Person(Author)], [Branch.Person(P1)], [Branch.Person(P3)]]));
        s.Submit(Author);
        s.Do(new AddSignerCommand(P1, s.Version, P2, SignerPosition.Parallel, null));
        s.Approve(P1);
        var added = s.State.Tasks.Count - 1;
        s.Do(new RemoveSignerCommand("admin", added, Privileged: true));
        Assert.Equal("second", route.Stages[s.State.StageIndex].Key);

        Assert.Equal(RejectionCode.NothingToWithdraw, s.Reject(new WithdrawCommand("admin", s.Version, null)));
        Assert.Equal([P3], s.PendingAssignees);
    }

    private const string P5 = "p5";
    private const string Clerk = "clerk";

    /// <summary>A sequence of the given turns, the submitter's own skipped (a ghost has no account: the clerk stands in); then a review by p3.</summary>
    private static (RouteDefinition Route, Participants Staff) TurnsThenReview(params string[] turns)
    {
        var route = TestRoutes.Parse($$"""
            {
              "definitionId": "regression", "version": 1, "maxSignerDepth": 2,
              "stages": [
                { "key": "draft", "kind": "draft" },
                { "key": "turns", "kind": "sequential", "users": [{{string.Join(", ", turns.Select(t => $"\"{t}\""))}}],
                  "whenNobody": "clerk", "whenSubmitter": "skip" },
                { "key": "review", "kind": "review", "assignee": { "type": "role", "role": "committee-member" } }
              ]
            }
            """);
        var staff = new Participants([[Branch.Person(Author)], [.. turns.Select(t => new Branch(t, t, t.StartsWith("ghost", StringComparison.Ordinal) ? [] : [t]))], [Branch.Person(P3)]])
        {
            ClerkId = Clerk,
        };
        return (route, staff);
    }

    [Fact]
    public void In_a_sequence_the_turn_of_a_signer_who_wrote_the_text_as_someone_s_added_signer_is_passed_over_and_the_stage_moves_on()
    {
        var (route, staff) = TurnsThenReview("ghost1", P2, P5);
        var s = SectionScenario.Start(route, staff);
        s.Submit(Author);
        Assert.Equal([Clerk], s.PendingAssignees);
        s.Approve(Clerk);
        Assert.Equal([P2], s.PendingAssignees);
        s.Do(new AddSignerCommand(P2, s.Version, P5, SignerPosition.Parallel, null));

        // P5, signing beside P2, rewrites the text: the clerk's approval of the old text no longer counts, so the first
        // turn is asked again; P2 still holds theirs; P5 now wrote the text and may review it nowhere at this stage.
        s.Edit(P5, "hash-by-p5");
        Assert.Equal([Clerk, P2], s.PendingAssignees);
        s.Approve(P2);
        Assert.Equal([Clerk], s.PendingAssignees);

        // The last turn is P5's own, on a text P5 wrote: the route says to pass it over, so the stage is done.
        var events = s.Approve(Clerk);

        Assert.Equal("review", route.Stages[s.State.StageIndex].Key);
        Assert.Equal(SectionStatus.InReview, s.State.Status);
        Assert.Equal([P3], s.PendingAssignees);
        Assert.Contains(events, e => e is StageSkipped { Stage: "turns" } k && k.Branches.SequenceEqual([P5]));
        Assert.Contains(events, e => e is StageCompleted { Stage: "turns" });
        Assert.Equal([P5], s.State.Moves.Last(m => m.StageIndex == 1).Skipped);
        s.Approve(P3);
        Assert.Equal(SectionStatus.Approved, s.State.Status);
    }

    [Fact]
    public void In_a_sequence_a_turn_passed_over_because_its_holder_wrote_the_text_counts_as_done_when_a_later_turn_approves()
    {
        var (route, staff) = TurnsThenReview("ghost1", P2, P5, P1);
        var s = SectionScenario.Start(route, staff);
        s.Submit(Author);
        s.Approve(Clerk);
        s.Do(new AddSignerCommand(P2, s.Version, P5, SignerPosition.Parallel, null));
        s.Edit(P5, "hash-by-p5");
        s.Approve(P2);

        // P5's turn is passed over and P1, next in turn, is asked.
        s.Approve(Clerk);
        Assert.Equal("turns", route.Stages[s.State.StageIndex].Key);
        Assert.Equal([P1], s.PendingAssignees);

        s.Approve(P1);

        Assert.Equal("review", route.Stages[s.State.StageIndex].Key);
        Assert.Equal([P3], s.PendingAssignees);
        Assert.Equal([P5], s.State.Moves.Last(m => m.StageIndex == 1).Skipped);
    }

    private const string P4 = "p4";

    /// <summary>Two stages: the first as given, then a review any of p3 and p4 may hold.</summary>
    private static RouteDefinition TwoStages(string first) => TestRoutes.Parse($$"""
        {
          "definitionId": "regression", "version": 1, "maxSignerDepth": 2,
          "stages": [
            { "key": "draft", "kind": "draft" },
            {{first}},
            { "key": "review", "kind": "review", "assignee": { "type": "role", "role": "committee-member" } }
          ]
        }
        """);

    [Fact]
    public void Refreshing_reviewers_does_not_ask_a_branch_again_once_its_holder_approved_and_only_an_added_signer_is_to_agree()
    {
        var route = OneStage("""
            { "key": "sign", "kind": "countersign", "quorum": "all", "onBranchReturn": "countAsRefusal",
              "branches": [ { "type": "users", "users": ["p1"] } ] }
            """);
        var s = SectionScenario.Start(route, Staff(Branch.Person(P1)));
        s.Submit(Author);
        s.Do(new AddSignerCommand(P1, s.Version, P2, SignerPosition.After, null));
        s.Do(new TransferCommand(P1, P3, null));
        s.Approve(P3);
        Assert.Equal([P2], s.PendingAssignees);

        s.Do(new RefreshReviewersCommand("admin"));

        // P3 decided for the branch in P1's place; only P2, added after, is still to agree.
        Assert.Equal([P2], s.PendingAssignees);
        Assert.Equal(RejectionCode.TaskNoLongerPending, s.Reject(new ReturnCommand(P1, s.Version, "不同意。")));
        s.Approve(P2);
        Assert.Equal(SectionStatus.Approved, s.State.Status);
    }

    [Fact]
    public void A_refusal_after_taking_back_an_approval_lets_the_stage_pass_on_the_quorum_the_others_met()
    {
        var route = TwoStages("""
            { "key": "sign", "kind": "countersign", "quorum": "any", "onBranchReturn": "countAsRefusal",
              "branches": [ { "type": "users", "users": ["p1", "p2"] } ] }
            """);
        var s = SectionScenario.Start(route, new Participants([[Branch.Person(Author)], [Branch.Person(P1), Branch.Person(P2)], [Branch.Person(P3), Branch.Person(P4)]]));
        s.Submit(Author);
        s.Do(new AddSignerCommand(P1, s.Version, P5, SignerPosition.After, null));
        s.Approve(P1);
        s.Approve(P2);
        Assert.Equal("review", route.Stages[s.State.StageIndex].Key);

        // P1 takes back the approval that did not decide the stage, and refuses instead: P2's approval still meets "any".
        s.Do(new ReclaimCommand(P1, s.Version, null));
        Assert.Equal([P1], s.PendingAssignees);
        var events = s.Return(P1, "不同意。");

        Assert.Contains(events, e => e is BranchRefused { Branch: P1 });
        Assert.Contains(events, e => e is StageCompleted { Stage: "sign" });
        Assert.Equal("review", route.Stages[s.State.StageIndex].Key);
        Assert.Equal([P3, P4], s.PendingAssignees);
    }

    [Fact]
    public void An_approval_given_before_a_return_cannot_be_taken_back_once_the_section_came_round_again_past_a_skipped_stage()
    {
        var route = TestRoutes.Parse("""
            {
              "definitionId": "regression", "version": 1,
              "stages": [
                { "key": "draft", "kind": "draft" },
                { "key": "own", "kind": "countersign", "quorum": "any", "whenSubmitter": "skip",
                  "branches": [ { "type": "users", "users": ["author", "p1"] } ] },
                { "key": "sign", "kind": "countersign", "quorum": "all", "branches": [ { "type": "users", "users": ["p2", "p3"] } ] }
              ]
            }
            """);
        var s = SectionScenario.Start(route, new Participants([[Branch.Person(Author)], [Branch.Person(Author), Branch.Person(P1)], [Branch.Person(P2), Branch.Person(P3)]]));
        s.Submit(Author);
        s.Approve(P3);

        // P2 sends it back to the stage passed by skipping; it is passed over again and "sign" starts afresh.
        s.Do(new ReturnCommand(P2, s.Version, "请重新会签。") { ToStage = "own", ResubmitTo = ResubmitTo.Rerun });
        Assert.Equal("sign", route.Stages[s.State.StageIndex].Key);
        Assert.Equal([P2, P3], s.PendingAssignees);

        // P3's approval belonged to the visit the return ended: there is nothing to go back to.
        Assert.Equal(RejectionCode.NothingToWithdraw, s.Reject(new ReclaimCommand(P3, s.Version, null)));
        s.Approve(P3);
        s.Approve(P2);
        Assert.Equal(SectionStatus.Approved, s.State.Status);
    }

    [Fact]
    public void Withdrawing_after_approving_as_holder_and_again_as_the_signer_who_handed_the_task_back_asks_the_holder_s_own_task_again()
    {
        var route = TwoStages("""{ "key": "first", "kind": "review", "assignee": { "type": "users", "users": ["p1"] } }""");
        var s = SectionScenario.Start(route, new Participants([[Branch.Person(Author)], [Branch.Person(P1)], [Branch.Person(P3), Branch.Person(P4)]]));
        s.Submit(Author);
        s.Do(new AddSignerCommand(P1, s.Version, P2, SignerPosition.After, null));
        s.Approve(P1);
        s.Do(new TransferCommand(P2, P1, null));
        s.Approve(P1);
        Assert.Equal("review", route.Stages[s.State.StageIndex].Key);
        s.Edit(P3, "hash-by-p3");

        s.Withdraw(P1);

        // Both of P1's approvals went with the old text: P1 decides first as holder, then as the signer added after.
        var open = s.State.Tasks.Where(t => t.Open).OrderBy(t => t.Kind).ToList();
        Assert.Equal([(TaskKind.Regular, WorkTaskStatus.Pending), (TaskKind.AddedAfter, WorkTaskStatus.Waiting)], open.Select(t => (t.Kind, t.Status)));
        s.Approve(P1);
        Assert.Equal([P1], s.PendingAssignees);
        s.Approve(P1);
        Assert.Equal("review", route.Stages[s.State.StageIndex].Key);
        Assert.Equal([P4], s.PendingAssignees);
    }

    [Fact]
    public void In_a_sequence_that_excludes_the_writer_a_signer_may_not_edit_when_their_own_later_turn_would_have_nobody_to_hold_it()
    {
        var route = OneStage("""
            { "key": "turns", "kind": "sequential", "users": ["p1", "p2"], "whenSubmitter": "exclude", "whenNobody": "refuse" }
            """);
        var s = SectionScenario.Start(route, Staff(Branch.Person(P1), Branch.Person(P2)));
        s.Submit(Author);
        s.Do(new AddSignerCommand(P1, s.Version, P2, SignerPosition.Parallel, null));

        // Had P2 written the text, P2's own turn could go to nobody (the route neither skips the writer nor names a
        // stand-in), and P1, who did nothing wrong, could not approve: P2 is told now.
        Assert.Equal(RejectionCode.NoEligibleReviewers, s.Reject(new EditCommand(P2, s.Version, "hash-by-p2", null)));

        s.Approve(P2);
        s.Approve(P1);
        Assert.Equal([P2], s.PendingAssignees);
        s.Approve(P2);
        Assert.Equal(SectionStatus.Approved, s.State.Status);
    }

    [Fact]
    public void Refreshing_reviewers_keeps_a_task_handed_on_with_whoever_it_was_handed_to()
    {
        var route = OneStage("""{ "key": "review", "kind": "review", "quorum": "all", "assignee": { "type": "role", "role": "committee-member" } }""");
        var s = SectionScenario.Start(route, Staff(Branch.Person(P1), Branch.Person(P2)));
        s.Submit(Author);
        s.Do(new TransferCommand(P1, P3, "请代为审核。"));

        s.Do(new RefreshReviewersCommand("admin"));

        // Nobody joined or left: P3 keeps the task P1 handed on for good, and P1 is not asked again.
        Assert.Equal([P2, P3], s.PendingAssignees);
        s.Approve(P2);
        s.Approve(P3);
        Assert.Equal(SectionStatus.Approved, s.State.Status);
    }

    [Fact]
    public void In_a_sequence_refreshing_reviewers_does_not_ask_again_a_turn_s_holder_who_handed_it_on()
    {
        var route = OneStage("""{ "key": "turns", "kind": "sequential", "users": ["p1", "p2"] }""");
        var s = SectionScenario.Start(route, Staff(Branch.Person(P1), Branch.Person(P2)));
        s.Submit(Author);
        s.Do(new TransferCommand(P1, P3, null));
        s.Do(new DelegateCommand(P3, P4, null));

        s.Do(new RefreshReviewersCommand("admin"));

        // P1's turn is P3's now, and P3 waits for P4's advice: P1 may not decide or edit it beside them.
        Assert.Equal([P4], s.PendingAssignees);
        Assert.Equal(RejectionCode.TaskNoLongerPending, s.Reject(new EditCommand(P1, s.Version, "hash-by-p1", null)));
        s.Do(new AdviseCommand(P4, s.Version, "可以。"));
        s.Approve(P3);
        Assert.Equal([P2], s.PendingAssignees);
        s.Approve(P2);
        Assert.Equal(SectionStatus.Approved, s.State.Status);
    }

    [Fact]
    public void Refreshing_reviewers_gives_a_turn_the_clerk_stood_in_for_back_to_its_holder_once_they_can_act()
    {
        var route = OneStage("""{ "key": "turns", "kind": "sequential", "users": ["p1", "p2"], "whenNobody": "clerk" }""");
        var s = SectionScenario.Start(route, new Participants([[Branch.Person(Author)], [Branch.Person(P1), new Branch(P2, P2, [])]]) { ClerkId = Clerk });
        s.Submit(Author);
        s.Approve(P1);
        Assert.Equal([Clerk], s.PendingAssignees);
        s.Participants = new Participants([[Branch.Person(Author)], [Branch.Person(P1), Branch.Person(P2)]]) { ClerkId = Clerk };

        s.Do(new RefreshReviewersCommand("admin"));

        // P2 has an account again: the turn is theirs, not theirs and the clerk's (who could otherwise keep it open while
        // P2 edits, and a reclaim before it would leave a turn that counts as asked with nobody to act).
        Assert.Equal([P2], s.PendingAssignees);
        Assert.Equal(RejectionCode.NoEligibleReviewers, s.Reject(new EditCommand(P2, s.Version, "hash-by-p2", null)));
        s.Approve(P2);
        Assert.Equal(SectionStatus.Approved, s.State.Status);
    }
}
