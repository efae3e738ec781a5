using Workflow.Activities.Routes;

namespace Workflow.Tests.Unit;

public sealed class RouteDefinitionParserTests
{
    private const string Draft = """{ "key": "draft", "kind": "draft" }""";
    private const string Department = """{ "key": "department", "kind": "review", "assignee": { "type": "departmentHead" } }""";

    [Fact]
    public void The_default_county_report_route_parses()
    {
        var route = DefaultRoutes.CountyReport();

        Assert.Equal("county-report", route.DefinitionId);
        Assert.Equal(1, route.Version);
        Assert.Equal(["draft", "department", "committee"], route.Stages.Select(s => s.Key));
        Assert.Equal([ActivityKind.Draft, ActivityKind.Review, ActivityKind.Review], route.Stages.Select(s => s.Kind));
        Assert.Equal(AssigneeKind.SectionAuthor, route.Draft.Assignee.Kind);
        Assert.Equal(AssigneeKind.DepartmentHead, route.Stages[1].Assignee.Kind);
        Assert.Equal(new Assignee(AssigneeKind.Role, "committee-member"), route.Stages[2].Assignee);
        Assert.Equal(Quorum.Any, route.Stages[2].Quorum);
        Assert.Equal(TimeSpan.FromDays(3), route.Stages[1].Deadline);
        Assert.Equal(TimeSpan.FromDays(5), route.Stages[2].Deadline);
        Assert.Null(route.Draft.Deadline);
        Assert.Equal(2, route.LastStage);
    }

    [Fact]
    public void The_default_route_can_require_two_committee_members()
    {
        var route = DefaultRoutes.CountyReport(committeeQuorum: 2);

        Assert.Equal(new Quorum(QuorumKind.AtLeast, 2), route.Stages[2].Quorum);
    }

    [Fact]
    public void A_route_with_users_and_quorum_all_parses()
    {
        var route = TestRoutes.Parse($$"""
            { "definitionId": "budget", "version": 3, "name": "预算", "stages": [ {{Draft}},
              { "key": "finance", "kind": "review", "assignee": { "type": "users", "users": ["li", " wang "] }, "quorum": "all", "deadline": "PT12H" } ] }
            """);

        var finance = route.Stages[1];
        Assert.Equal(["li", "wang"], finance.Assignee.Users);
        Assert.Equal(Quorum.Everyone, finance.Quorum);
        Assert.Equal(TimeSpan.FromHours(12), finance.Deadline);
    }

    [Fact]
    public void Invalid_json_is_reported_at_the_root()
    {
        var error = SingleError("""{ "definitionId": "county-report", "stages": [ """);

        Assert.StartsWith("$: not valid JSON", error);
    }

    [Fact]
    public void A_route_without_stages_is_rejected()
    {
        var error = SingleError(""" { "definitionId": "empty", "version": 1, "stages": [] } """);

        Assert.StartsWith("$.stages: the route is empty", error);
    }

    [Fact]
    public void A_duplicate_stage_key_is_reported_at_the_second_occurrence()
    {
        var error = SingleError(Route(Draft, Department, Department));

        Assert.Equal("$.stages[2].key: duplicate stage key 'department'", error);
    }

    [Fact]
    public void An_unknown_activity_kind_is_named()
    {
        var error = SingleError(Route(Draft, """{ "key": "sign", "kind": "cosign", "assignee": { "type": "departmentHead" } }"""));

        Assert.StartsWith("$.stages[1].kind: unknown activity kind 'cosign'", error);
    }

    [Fact]
    public void An_unknown_assignee_type_is_named()
    {
        var error = SingleError(Route(Draft, """{ "key": "check", "kind": "review", "assignee": { "type": "everyone" } }"""));

        Assert.StartsWith("$.stages[1].assignee.type: unknown assignee type 'everyone'", error);
    }

    [Fact]
    public void A_review_stage_cannot_be_held_by_the_sections_author()
    {
        var error = SingleError(Route(Draft, """{ "key": "check", "kind": "review", "assignee": { "type": "sectionAuthor" } }"""));

        Assert.StartsWith("$.stages[1].assignee.type:", error);
    }

    [Fact]
    public void A_quorum_of_zero_is_rejected()
    {
        var error = SingleError(Route(Draft, """{ "key": "check", "kind": "review", "assignee": { "type": "departmentHead" }, "quorum": { "atLeast": 0 } }"""));

        Assert.StartsWith("$.stages[1].quorum.atLeast: must be at least 1 (got 0)", error);
    }

    [Fact]
    public void A_quorum_larger_than_the_listed_users_is_unreachable()
    {
        var error = SingleError(Route(Draft, """{ "key": "check", "kind": "review", "assignee": { "type": "users", "users": ["li", "wang"] }, "quorum": { "atLeast": 3 } }"""));

        Assert.StartsWith("$.stages[1].quorum: needs at least 3 approvals but only 2 branch(es)", error);
    }

    [Fact]
    public void A_quorum_equal_to_the_listed_users_is_fine()
    {
        var route = TestRoutes.Parse(Route(Draft, """{ "key": "check", "kind": "review", "assignee": { "type": "users", "users": ["li", "wang"] }, "quorum": { "atLeast": 2 } }"""));

        Assert.Equal(new Quorum(QuorumKind.AtLeast, 2), route.Stages[1].Quorum);
    }

    [Fact]
    public void The_first_stage_must_be_the_draft()
    {
        var error = SingleError(Route(Department, """{ "key": "committee", "kind": "review", "assignee": { "type": "departmentHead" } }"""));

        Assert.StartsWith("$.stages[0].kind: the first stage must be a draft stage", error);
    }

    [Fact]
    public void A_draft_stage_later_in_the_route_is_rejected()
    {
        var error = SingleError(Route(Draft, Department, """{ "key": "redraft", "kind": "draft" }"""));

        Assert.StartsWith("$.stages[2].kind: only the first stage may be a draft stage", error);
    }

    [Theory]
    [InlineData("3 days", "is not an ISO 8601 duration")]
    [InlineData("P3X", "is not an ISO 8601 duration")]
    [InlineData("PT0S", "must be a positive ISO 8601 duration")]
    [InlineData("-P1D", "must be a positive ISO 8601 duration")]
    [InlineData("P367D", "at most 366 days")]
    [InlineData("P400D", "at most 366 days")]
    [InlineData("P2Y", "at most 366 days")]
    [InlineData("P99999999D", "is not an ISO 8601 duration")]
    public void A_bad_deadline_is_rejected(string deadline, string expected)
    {
        var error = SingleError(Route(Draft, $$"""{ "key": "check", "kind": "review", "assignee": { "type": "departmentHead" }, "deadline": "{{deadline}}" }"""));

        Assert.StartsWith("$.stages[1].deadline:", error);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void A_deadline_of_exactly_the_maximum_is_fine()
    {
        var route = TestRoutes.Parse(Route(Draft, """{ "key": "check", "kind": "review", "assignee": { "type": "departmentHead" }, "deadline": "P366D" }"""));

        Assert.Equal(RouteDefinitionParser.MaxDeadline, route.Stages[1].Deadline);
    }

    [Fact]
    public void A_stage_name_longer_than_the_maximum_is_rejected()
    {
        var error = SingleError(Route(Draft, $$"""{ "key": "check", "name": "{{new string('审', 201)}}", "kind": "review", "assignee": { "type": "departmentHead" } }"""));

        Assert.Equal("$.stages[1].name: at most 200 characters", error);
    }

    [Fact]
    public void A_route_name_longer_than_the_maximum_is_rejected()
    {
        var error = SingleError($$"""{ "definitionId": "test-route", "version": 1, "name": "{{new string('x', 201)}}", "stages": [ {{Draft}}, {{Department}} ] }""");

        Assert.Equal("$.name: at most 200 characters", error);
    }

    [Fact]
    public void Names_of_exactly_the_maximum_length_are_fine()
    {
        var name = new string('审', RouteDefinitionParser.MaxNameLength);

        var route = TestRoutes.Parse($$"""
            { "definitionId": "test-route", "version": 1, "name": "{{name}}", "stages": [ {{Draft}},
              { "key": "check", "name": "  {{name}}  ", "kind": "review", "assignee": { "type": "departmentHead" } } ] }
            """);

        Assert.Equal(name, route.Name);
        Assert.Equal(name, route.Stages[1].Name);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var result = RouteDefinitionParser.Parse($$"""
            { "definitionId": "Bad Id", "version": 0, "stages": [ {{Draft}},
              { "key": "check", "kind": "review", "assignee": { "type": "everyone" } },
              { "key": "sign", "kind": "review", "assignee": { "type": "departmentHead" }, "deadline": "soon" } ] }
            """);

        Assert.False(result.IsValid);
        Assert.Null(result.Route);
        Assert.Equal(
            ["$.definitionId", "$.version", "$.stages[1].assignee.type", "$.stages[2].deadline"],
            result.Errors.Select(e => e[..e.IndexOf(':')]));
    }

    private static string Route(params string[] stages) =>
        $$"""{ "definitionId": "test-route", "version": 1, "stages": [ {{string.Join(", ", stages)}} ] }""";

    private static string SingleError(string json)
    {
        var result = RouteDefinitionParser.Parse(json);
        Assert.False(result.IsValid);
        Assert.Null(result.Route);
        return Assert.Single(result.Errors);
    }
}
