using System.Collections.Immutable;
using Workflow.Activities.Engine;
using Workflow.Activities.Routes;
using static Workflow.Tests.Unit.People;

namespace Workflow.Tests.Unit;

/// <summary>
/// Routes as stage graphs (countersign branches, sequential signers, stage rules) and the OA operations on them:
/// each one's main path and its refusals, with plain ids for people.
/// </summary>
public sealed class StageGraphTests
{
    private const string Jiwei = "jiwei";
    private const string Zuzhi = "zuzhi";
    private const string JiweiHead = "jiwei-head";
    private const string ZuzhiHead = "zuzhi-head";
    private const string Clerk = "clerk";

    /// <summary>Draft → department head → countersign of 纪委 and 组织部 → committee.</summary>
    private static RouteDefinition Countersign(string quorum = "\"all\"", string onReturn = "returnSection", string extra = "") => TestRoutes.Parse($$"""
        {
          "definitionId": "clean-governance", "version": 1 {{extra}},
          "stages": [
            { "key": "draft", "kind": "draft" },
            { "key": "department", "name": "部门审核", "kind": "review", "assignee": { "type": "departmentHead" } },
            { "key": "cosign", "name": "会签", "kind": "countersign", "quorum": {{quorum}}, "onBranchReturn": "{{onReturn}}",
              "branches": [ { "type": "departmentHeads", "departments": ["jiwei", "zuzhi"] } ] },
            { "key": "committee", "name": "县委审核", "kind": "review", "assignee": { "type": "role", "role": "committee-member" } }
          ]
        }
        """);

    private static Participants CountersignOffice(params string[] jiweiHeads) => new([
        [Branch.Person(Author)],
        [.. Heads.Select(Branch.Person)],
        [new Branch(Jiwei, "纪委", [.. jiweiHeads.DefaultIfEmpty(JiweiHead)]), new Branch(Zuzhi, "组织部", [ZuzhiHead])],
        [.. Members.Select(Branch.Person)],
    ]) { ClerkId = Clerk };

    private static SectionScenario AtCountersign(string quorum = "\"all\"", string onReturn = "returnSection", string extra = "")
    {
        var s = SectionScenario.Start(Countersign(quorum, onReturn, extra), CountersignOffice());
        s.Submit();
        s.Approve(Head1);
        Assert.Equal("cosign", s.Route.Stages[s.State.StageIndex].Key);
        return s;
    }

    private static string Stage(SectionScenario s) => s.Route.Stages[s.State.StageIndex].Key;

    [Fact]
    public void A_countersign_asks_every_department_and_moves_on_once_all_approved()
    {
        var s = AtCountersign();
        Assert.Equal([JiweiHead, ZuzhiHead], s.PendingAssignees);

        s.Approve(JiweiHead);
        Assert.Equal("cosign", Stage(s));
        s.Approve(ZuzhiHead);

        Assert.Equal("committee", Stage(s));
        Assert.Equal([Jiwei, Zuzhi], s.State.SignOffs.Where(o => o.StageIndex == 2).Select(o => o.Branch));
    }

    [Fact]
    public void Any_head_of_a_department_decides_for_its_branch()
    {
        var s = SectionScenario.Start(Countersign(), CountersignOffice(JiweiHead, "jiwei-deputy-head"));
        s.Submit();
        s.Approve(Head1);
        Assert.Equal(["jiwei-deputy-head", JiweiHead, ZuzhiHead], s.PendingAssignees);

        s.Approve("jiwei-deputy-head");

        Assert.Equal([ZuzhiHead], s.PendingAssignees);
    }

    [Fact]
    public void An_or_countersign_finishes_early_with_the_first_branch()
    {
        var s = AtCountersign("\"any\"");
        s.Approve(ZuzhiHead);

        Assert.Equal("committee", Stage(s));
        Assert.DoesNotContain(s.State.Tasks, t => t.StageIndex == 2 && t.Open);
    }

    [Fact]
    public void A_branch_return_returns_the_section_unless_it_counts_as_a_refusal()
    {
        var s = AtCountersign();
        s.Return(JiweiHead, "数字与台账不符。");
        Assert.Equal((SectionStatus.Returned, 0), (s.State.Status, s.State.StageIndex));

        var refusal = AtCountersign("{ \"percent\": 50 }", "countAsRefusal");
        var events = refusal.Return(JiweiHead, "不同意。");
        Assert.Contains(events, e => e is BranchRefused { Branch: Jiwei });
        Assert.Equal("cosign", Stage(refusal));
        refusal.Approve(ZuzhiHead);
        Assert.Equal("committee", Stage(refusal));
    }

    [Fact]
    public void Refusals_return_the_section_once_the_quorum_can_no_longer_be_met()
    {
        var s = AtCountersign("\"all\"", "countAsRefusal");

        var events = s.Return(ZuzhiHead, "不同意。");

        Assert.Contains(events, e => e is SectionReturned { ToStage: "draft" });
        Assert.Equal(SectionStatus.Returned, s.State.Status);
    }

    [Fact]
    public void A_department_without_a_head_refuses_entry_or_goes_to_the_clerk()
    {
        var nobody = new Participants([[Branch.Person(Author)], [.. Heads.Select(Branch.Person)], [new Branch(Jiwei, "纪委", []), new Branch(Zuzhi, "组织部", [ZuzhiHead])], [.. Members.Select(Branch.Person)]]) { ClerkId = Clerk };
        var refused = SectionScenario.Start(Countersign(), nobody);
        refused.Submit();
        Assert.Equal(RejectionCode.NoEligibleReviewers, refused.Reject(new ApproveCommand(Head1, 1, null)));

        var route = TestRoutes.Parse("""
            { "definitionId": "r", "version": 1, "stages": [
              { "key": "draft", "kind": "draft" },
              { "key": "cosign", "kind": "countersign", "whenNobody": "clerk", "branches": [ { "type": "departmentHeads", "departments": ["jiwei", "zuzhi"] } ] } ] }
            """);
        var clerk = SectionScenario.Start(route, nobody with { Stages = [nobody.Stages[0], nobody.Stages[2]] });
        clerk.Submit();
        Assert.Equal([Clerk, ZuzhiHead], clerk.PendingAssignees);
        Assert.Contains(clerk.State.Tasks, t => t.AssigneeId == Clerk && t.Kind == TaskKind.Fallback && t.Branch == Jiwei);
    }

    [Fact]
    public void Sequential_signers_are_asked_one_after_another()
    {
        var route = TestRoutes.Parse("""
            { "definitionId": "r", "version": 1, "stages": [
              { "key": "draft", "kind": "draft" },
              { "key": "leaders", "kind": "sequential", "users": ["member-2", "member-1"] } ] }
            """);
        var s = SectionScenario.Start(route, new Participants([[Branch.Person(Author)], [new Branch("member-2", "二", [Member2]), new Branch("member-1", "一", [Member1])]]));
        s.Submit();
        Assert.Equal([Member2], s.PendingAssignees);
        Assert.Equal(RejectionCode.NotYourTask, s.Reject(new ApproveCommand(Member1, 1, null)));

        s.Approve(Member2);
        Assert.Equal([Member1], s.PendingAssignees);
        s.Approve(Member1);

        Assert.Equal(SectionStatus.Approved, s.State.Status);
    }

    [Fact]
    public void A_stage_held_only_by_its_submitter_is_skipped_or_goes_to_the_deputy_as_the_route_says()
    {
        static RouteDefinition Route(string rule) => TestRoutes.Parse($$"""
            { "definitionId": "r", "version": 1, "stages": [
              { "key": "draft", "kind": "draft" },
              { "key": "department", "kind": "review", "assignee": { "type": "departmentHead" }, "whenSubmitter": {{rule}} },
              { "key": "committee", "kind": "review", "assignee": { "type": "role", "role": "committee-member" } } ] }
            """);
        var headWrites = new Participants([[Branch.Person(Head1)], [Branch.Person(Head1)], [.. Members.Select(Branch.Person)]]) { Deputies = ImmutableDictionary<int, string>.Empty.Add(1, Head2) };

        var skip = SectionScenario.Start(Route("\"skip\""), headWrites);
        var events = skip.Submit(Head1);
        Assert.Contains(events, e => e is StageSkipped { Stage: "department" });
        Assert.Equal("committee", Stage(skip));

        var deputy = SectionScenario.Start(Route("{ \"deputy\": \"head-2\" }"), headWrites);
        deputy.Submit(Head1);
        Assert.Equal([Head2], deputy.PendingAssignees);

        var exclude = SectionScenario.Start(Route("\"exclude\""), headWrites);
        Assert.Equal(RejectionCode.NoEligibleReviewers, exclude.Reject(new SubmitCommand(Head1, 1, null)));
    }

    [Fact]
    public void A_return_to_an_earlier_review_stage_reruns_the_stages_in_between_or_goes_straight_back()
    {
        var rerun = AtCountersign();
        rerun.Approve(JiweiHead);
        rerun.Approve(ZuzhiHead);
        var events = rerun.Do(new ReturnCommand(Member1, rerun.Version, "请部门再核。") { ToStage = "department" });
        Assert.Contains(events, e => e is SectionReturned { ToStage: "department" });
        Assert.Equal(("department", SectionStatus.InReview), (Stage(rerun), rerun.State.Status));
        rerun.Approve(Head2);
        Assert.Equal("cosign", Stage(rerun));

        var straight = AtCountersign();
        straight.Approve(JiweiHead);
        straight.Approve(ZuzhiHead);
        straight.Do(new ReturnCommand(Member1, straight.Version, "请部门再核。") { ToStage = "department", ResubmitTo = ResubmitTo.Returner });
        straight.Approve(Head2);
        Assert.Equal("committee", Stage(straight));
    }

    [Fact]
    public void A_return_to_the_author_with_straight_back_skips_the_stages_already_passed()
    {
        var s = AtCountersign(extra: ", \"resubmitTo\": \"returner\"");
        s.Return(JiweiHead, "请补充数字。");
        s.Edit(Author, "hash-v2");

        s.Submit();

        Assert.Equal("cosign", Stage(s));
        Assert.Equal([JiweiHead, ZuzhiHead], s.PendingAssignees);
    }

    [Theory]
    [InlineData("committee")]
    [InlineData("cosign")]
    [InlineData("nowhere")]
    public void A_return_only_goes_to_a_stage_already_passed(string target)
    {
        var s = AtCountersign();

        Assert.Equal(RejectionCode.InvalidReturnTarget, s.Reject(new ReturnCommand(JiweiHead, s.Version, "不行。") { ToStage = target }));
    }

    [Fact]
    public void An_approver_takes_back_an_approval_while_the_next_stage_has_not_acted()
    {
        var s = AtCountersign();

        var events = s.Do(new ReclaimCommand(Head1, s.Version, "再看一下。"));

        Assert.Contains(events, e => e is SectionReclaimed { FromStage: "cosign", ToStage: "department" });
        Assert.Equal([Head1], s.PendingAssignees);
        Assert.True(s.State.SignOffs.Single(o => o.StageIndex == 1).Dismissed);

        s.Approve(Head1);
        s.Approve(JiweiHead);
        Assert.Equal(RejectionCode.NothingToWithdraw, s.Reject(new ReclaimCommand(Head1, s.Version, null)));
    }

    [Fact]
    public void A_countersigner_takes_back_their_approval_while_their_stage_waits()
    {
        var s = AtCountersign();
        s.Approve(JiweiHead);

        s.Do(new ReclaimCommand(JiweiHead, s.Version, null));

        Assert.Equal([JiweiHead, ZuzhiHead], s.PendingAssignees);
        Assert.Equal(RejectionCode.NotYourTask, s.Reject(new ReclaimCommand(Member1, s.Version, null)));
    }

    [Fact]
    public void An_admin_cancels_a_run_with_a_reason_and_the_section_starts_again_with_its_author()
    {
        var s = AtCountersign();
        Assert.Equal(RejectionCode.OpinionRequired, s.Reject(new CancelCommand("admin", " ")));

        var events = s.Do(new CancelCommand("admin", "部门调整，重新起草。"));

        Assert.Contains(events, e => e is SectionCancelled { Reason: "部门调整，重新起草。" });
        Assert.Equal((SectionStatus.Draft, 0, 1), (s.State.Status, s.State.StageIndex, s.State.Cycle));
        Assert.Equal([Author], s.PendingAssignees);
        Assert.Equal(RejectionCode.WrongStage, s.Reject(new CancelCommand("admin", "again")));
    }

    [Fact]
    public void A_signer_added_before_me_decides_first_and_then_my_task_comes_back()
    {
        var s = AtCountersign();
        s.Do(new AddSignerCommand(JiweiHead, s.Version, Member3, SignerPosition.Before, "请先看第二段。"));
        Assert.Equal([Member3, ZuzhiHead], s.PendingAssignees);
        Assert.Equal(RejectionCode.TaskWaiting, s.Reject(new ApproveCommand(JiweiHead, s.Version, null)));

        s.Approve(Member3, "第二段可以。");
        Assert.Equal([JiweiHead, ZuzhiHead], s.PendingAssignees);
        s.Approve(JiweiHead);
        s.Approve(ZuzhiHead);

        Assert.Equal("committee", Stage(s));
        Assert.Contains(s.State.SignOffs, o => o.ActorId == Member3 && o.Kind == TaskKind.AddedBefore && o.Branch == Jiwei);
    }

    [Fact]
    public void Signers_added_after_or_beside_me_must_agree_before_the_branch_counts()
    {
        var s = AtCountersign("\"any\"");
        s.Do(new AddSignerCommand(JiweiHead, s.Version, Member3, SignerPosition.After, null));
        s.Approve(JiweiHead);
        Assert.Equal("cosign", Stage(s));
        Assert.Contains(Member3, s.PendingAssignees);

        s.Approve(Member3);
        Assert.Equal("committee", Stage(s));

        var beside = AtCountersign("\"any\"");
        beside.Do(new AddSignerCommand(ZuzhiHead, beside.Version, Member2, SignerPosition.Parallel, null));
        Assert.Contains(Member2, beside.PendingAssignees);
        beside.Approve(ZuzhiHead);
        Assert.Equal("cosign", Stage(beside));
        beside.Approve(Member2);
        Assert.Equal("committee", Stage(beside));
    }

    [Fact]
    public void Adding_a_signer_is_refused_for_the_author_someone_already_asked_or_too_deep()
    {
        var s = AtCountersign(extra: ", \"maxSignerDepth\": 1");
        Assert.Equal(RejectionCode.NotEligible, s.Reject(new AddSignerCommand(JiweiHead, s.Version, Author, SignerPosition.Before, null)));
        Assert.Equal(RejectionCode.NotEligible, s.Reject(new AddSignerCommand(JiweiHead, s.Version, Head1, SignerPosition.Before, null)));
        Assert.Equal(RejectionCode.NotEligible, s.Reject(new AddSignerCommand(JiweiHead, s.Version, ZuzhiHead, SignerPosition.Before, null)));
        Assert.Equal(RejectionCode.NotYourTask, s.Reject(new AddSignerCommand(Member1, s.Version, Member2, SignerPosition.Before, null)));

        s.Do(new AddSignerCommand(JiweiHead, s.Version, Member3, SignerPosition.Parallel, null));

        Assert.Equal(RejectionCode.SignerDepthExceeded, s.Reject(new AddSignerCommand(Member3, s.Version, Member2, SignerPosition.Parallel, null)));
    }

    [Fact]
    public void Whoever_added_a_signer_or_an_admin_removes_them_while_they_have_not_decided()
    {
        var s = AtCountersign();
        s.Do(new AddSignerCommand(JiweiHead, s.Version, Member3, SignerPosition.Before, null));
        var added = s.State.Tasks.Count - 1;
        Assert.Equal(RejectionCode.NotYourTask, s.Reject(new RemoveSignerCommand(ZuzhiHead, added, false)));

        var events = s.Do(new RemoveSignerCommand(JiweiHead, added, false));

        Assert.Contains(events, e => e is SignerRemoved { SignerId: Member3 });
        Assert.Equal([JiweiHead, ZuzhiHead], s.PendingAssignees);
        Assert.Equal(RejectionCode.NoSuchTask, s.Reject(new RemoveSignerCommand("admin", added, true)));
    }

    [Fact]
    public void A_transferred_task_is_the_new_holders_for_good()
    {
        var s = AtCountersign();
        Assert.Equal(RejectionCode.NotEligible, s.Reject(new TransferCommand(JiweiHead, Author, null)));

        s.Do(new TransferCommand(JiweiHead, Member3, "请代为审核。"));

        Assert.Equal([Member3, ZuzhiHead], s.PendingAssignees);
        Assert.Equal(RejectionCode.TaskNoLongerPending, s.Reject(new ApproveCommand(JiweiHead, s.Version, null)));
        s.Approve(Member3);
        Assert.Contains(s.State.SignOffs, o => o.ActorId == Member3 && o.Branch == Jiwei);
    }

    [Fact]
    public void A_delegate_advises_and_the_task_comes_back_for_the_decision()
    {
        var s = AtCountersign();
        s.Do(new DelegateCommand(JiweiHead, Member3, "请提意见。"));
        Assert.Equal([Member3, ZuzhiHead], s.PendingAssignees);
        Assert.Equal(RejectionCode.DelegateAdvisesOnly, s.Reject(new ApproveCommand(Member3, s.Version, null)));
        Assert.Equal(RejectionCode.OpinionRequired, s.Reject(new AdviseCommand(Member3, s.Version, "")));

        var events = s.Do(new AdviseCommand(Member3, s.Version, "建议同意。"));

        Assert.Contains(events, e => e is SectionAdvised { ForId: JiweiHead });
        Assert.Equal([JiweiHead, ZuzhiHead], s.PendingAssignees);
        Assert.Equal(Decision.Advised, s.State.SignOffs[^1].Decision);
        s.Approve(JiweiHead);
        s.Approve(ZuzhiHead);
        Assert.Equal("committee", Stage(s));
    }

    [Fact]
    public void A_proxy_decides_on_behalf_of_an_away_holder_and_the_sign_off_says_so()
    {
        var s = AtCountersign();
        s.Participants = s.Participants with { ProxiesOf = ImmutableDictionary<string, ImmutableArray<string>>.Empty.Add(JiweiHead, [Member3]) };
        Assert.Equal(RejectionCode.NotYourTask, s.Reject(new ApproveCommand(Member2, s.Version, null)));

        var events = s.Approve(Member3, "代为同意。");

        Assert.Contains(events, e => e is SectionApproved { ActorId: Member3, OnBehalfOf: JiweiHead });
        Assert.Equal([ZuzhiHead], s.PendingAssignees);
        var signOff = s.State.SignOffs[^1];
        Assert.Equal((Member3, JiweiHead, Jiwei), (signOff.ActorId, signOff.OnBehalfOf, signOff.Branch));
    }

    [Fact]
    public void A_proxy_may_not_approve_for_someone_a_text_they_submitted()
    {
        var s = SectionScenario.Start(Countersign(), CountersignOffice());
        s.Submit();
        s.Participants = s.Participants with { ProxiesOf = ImmutableDictionary<string, ImmutableArray<string>>.Empty.Add(Head1, [Author]) };

        Assert.Equal(RejectionCode.SelfApprovalForbidden, s.Reject(new ApproveCommand(Author, s.Version, null)));
    }

    [Fact]
    public void Tasks_and_sign_offs_of_two_visits_of_a_stage_are_kept_apart()
    {
        var s = AtCountersign();
        s.Approve(JiweiHead);
        s.Return(ZuzhiHead, "请修改。");
        s.Edit(Author, "hash-v2");
        s.Submit();
        s.Approve(Head1);

        Assert.Equal([JiweiHead, ZuzhiHead], s.PendingAssignees);
        var visits = s.State.Tasks.Where(t => t.StageIndex == 2).Select(t => t.Visit).Distinct().ToList();
        Assert.Equal(2, visits.Count);
        Assert.All(s.State.Tasks.Where(t => t.Open), t => Assert.Equal(s.State.Visit, t.Visit));
    }

    [Fact]
    public void The_engine_tells_each_person_what_they_may_do_now()
    {
        var s = AtCountersign();
        s.Participants = s.Participants with { ProxiesOf = ImmutableDictionary<string, ImmutableArray<string>>.Empty.Add(ZuzhiHead, [Member2]) };
        AllowedActions For(string who, bool admin = false) => SectionMachine.Allowed(s.Route, s.State, s.Participants, who, admin, s.Now);

        // 纪委's only head may not edit: they would become the text's author and nobody would be left to sign for 纪委.
        var holder = For(JiweiHead);
        Assert.True(holder is { Decide: true, AddSigner: true, Transfer: true, Delegate: true, Edit: false, Withdraw: false, Cancel: false });
        Assert.Equal(["draft", "department"], holder.ReturnTargets);

        var sender = For(Head1);
        Assert.True(sender is { Withdraw: true, Reclaim: true, Decide: false });
        Assert.Equal(Head1, sender.SentBy);

        Assert.Equal(ZuzhiHead, For(Member2).OnBehalfOf);
        Assert.True(For("admin", admin: true) is { Cancel: true, Decide: false });
        Assert.False(For(Stranger).Any);

        s.Do(new AddSignerCommand(JiweiHead, s.Version, Member3, SignerPosition.Before, null));
        Assert.True(For(JiweiHead) is { Decide: false, RemovableSigners.Length: 1 });
        Assert.True(For(Member3) is { Decide: true, AddSigner: true });
    }
}
