using System.Collections.Immutable;
using Workflow.Activities.Engine;
using Workflow.Activities.Routes;
using static Workflow.Tests.Unit.People;

namespace Workflow.Tests.Unit;

public sealed class MissingFiguresRuleTests
{
    private static readonly ImmutableArray<string> Missing = ["发展党员X名", "捐款率达X%"];

    [Fact]
    public void The_committee_of_the_default_route_refuses_text_with_missing_figures_and_names_them()
    {
        var s = SectionScenario.Start(DefaultRoutes.CountyReport());
        s.Submit();
        s.Do(new EditCommand(Head1, s.Version, "hash-with-x", "部门修改", Missing));
        s.Approve(Head2);

        var t = s.Try(new ApproveCommand(Member1, s.Version, "同意"));

        Assert.Equal(RejectionCode.MissingFigures, t.Rejection?.Code);
        Assert.Contains("“发展党员X名”", t.Rejection!.Message);
        Assert.Contains("2 placeholder(s)", t.Rejection.Message);
    }

    [Fact]
    public void The_department_stage_may_approve_a_draft_that_still_has_placeholders()
    {
        var s = SectionScenario.Start(DefaultRoutes.CountyReport());
        s.Submit();
        s.Do(new EditCommand(Head1, s.Version, "hash-with-x", null, Missing));

        s.Approve(Head2);

        Assert.Equal("committee", s.Route.Stages[s.State.StageIndex].Key);
    }

    [Fact]
    public void Once_the_author_fills_in_the_figures_the_committee_approves()
    {
        var s = SectionScenario.Start(DefaultRoutes.CountyReport());
        s.Do(new EditCommand(Author, 1, "hash-with-x", "初稿", Missing));
        s.Submit();
        s.Approve(Head1);
        Assert.Equal(RejectionCode.MissingFigures, s.Reject(new ApproveCommand(Member1, s.Version, null)));
        s.Return(Member1, "请补齐数字。");
        s.Do(new EditCommand(Author, s.Version, "hash-filled", "补齐数字"));
        s.Submit();
        s.Approve(Head1);

        s.Approve(Member1);

        Assert.Equal(SectionStatus.Approved, s.State.Status);
    }

    [Fact]
    public void Only_review_stages_can_block_on_missing_figures()
    {
        var result = RouteDefinitionParser.Parse("""
            { "definitionId": "x", "version": 1, "stages": [
              { "key": "draft", "kind": "draft", "blockOnPlaceholders": true },
              { "key": "review", "kind": "review", "assignee": { "type": "departmentHead" }, "blockOnPlaceholders": "yes" } ] }
            """);

        Assert.Contains(result.Errors, e => e.StartsWith("$.stages[0].blockOnPlaceholders:", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("$.stages[1].blockOnPlaceholders:", StringComparison.Ordinal));
    }
}
