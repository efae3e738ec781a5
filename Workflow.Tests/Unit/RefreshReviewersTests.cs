using Workflow.Activities.Engine;
using static Workflow.Tests.Unit.People;

namespace Workflow.Tests.Unit;

public sealed class RefreshReviewersTests
{
    [Fact]
    public void A_departed_member_loses_their_task_and_an_all_quorum_completes_on_those_who_remain()
    {
        var s = SectionScenario.Start(TestRoutes.ThreeStage(committeeQuorum: "\"all\"")).AtCommittee();
        s.Approve(Member1);
        s.Approve(Member2);
        s.Participants = Participants.For(Author, Heads, [Member1, Member2]);

        s.Do(new RefreshReviewersCommand("clerk"));

        Assert.Equal(SectionStatus.Approved, s.State.Status);
        Assert.Contains(s.State.Tasks, t => t.AssigneeId == Member3 && t.Status == WorkTaskStatus.Cancelled);
    }

    [Fact]
    public void A_newly_appointed_head_gets_a_task_and_nobody_is_asked_twice()
    {
        var s = SectionScenario.Start(participants: Participants.For(Author, [Head1], Members));
        s.Submit();
        s.Participants = Participants.For(Author, [Head1, Head2], Members);

        s.Do(new RefreshReviewersCommand("clerk"));
        var again = s.Try(new RefreshReviewersCommand("clerk"));

        Assert.Equal([Head1, Head2], s.PendingAssignees);
        Assert.True(again.Accepted);
        Assert.Empty(again.Events);
    }

    [Fact]
    public void Refreshing_a_stage_left_with_nobody_who_can_act_is_refused_and_changes_nothing()
    {
        var s = SectionScenario.Start(participants: Participants.For(Author, [Head1], Members));
        s.Submit();
        s.Participants = Participants.For(Author, [], Members);
        var before = s.State;

        Assert.Equal(RejectionCode.NoEligibleReviewers, s.Reject(new RefreshReviewersCommand("clerk")));
        Assert.Equal(before, s.State);
    }

    [Fact]
    public void The_author_of_the_text_is_not_brought_back_as_a_reviewer()
    {
        var s = SectionScenario.Start(participants: Participants.For(Author, [Head1, Head2], Members));
        s.Submit();
        s.Participants = Participants.For(Author, [Head1, Head2, Author], Members);

        s.Do(new RefreshReviewersCommand("clerk"));

        Assert.Equal([Head1, Head2], s.PendingAssignees);
    }

    [Fact]
    public void There_is_nothing_to_refresh_while_the_section_is_with_its_author()
    {
        var s = SectionScenario.Start();

        Assert.Equal(RejectionCode.WrongStage, s.Reject(new RefreshReviewersCommand("clerk")));
    }
}
