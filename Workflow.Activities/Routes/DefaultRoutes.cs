namespace Workflow.Activities.Routes;

public static class DefaultRoutes
{
    public const string CountyReportId = "county-report";

    /// <summary>
    /// Author drafts; the head of the section's department reviews; the county committee reviews.
    /// The committee quorum is a parameter because some counties want two members to sign; the committee
    /// does not approve text that still has placeholders for missing figures.
    /// </summary>
    public static string CountyReportJson(int committeeQuorum = 1) => $$"""
        {
          "definitionId": "{{CountyReportId}}",
          "version": 1,
          "name": "县级报告三级审核",
          "stages": [
            { "key": "draft", "name": "起草", "kind": "draft" },
            { "key": "department", "name": "部门审核", "kind": "review",
              "assignee": { "type": "departmentHead" }, "quorum": "any", "deadline": "P3D" },
            { "key": "committee", "name": "县委审核", "kind": "review",
              "assignee": { "type": "role", "role": "committee-member" },
              "quorum": {{(committeeQuorum == 1 ? "\"any\"" : $$"""{ "atLeast": {{committeeQuorum}} }""")}}, "deadline": "P5D",
              "blockOnPlaceholders": true }
          ]
        }
        """;

    public static RouteDefinition CountyReport(int committeeQuorum = 1) =>
        RouteDefinitionParser.Parse(CountyReportJson(committeeQuorum)).Route
        ?? throw new InvalidOperationException("The built-in county-report route is invalid.");
}
