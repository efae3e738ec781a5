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
}
