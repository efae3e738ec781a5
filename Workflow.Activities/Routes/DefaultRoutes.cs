namespace Workflow.Activities.Routes;

public static class DefaultRoutes
{
    public const string CountyReportId = "county-report";

    /// <summary>The route of a report's own parts (title, lead, closing): the clerk drafts, the committee reviews.</summary>
    public const string ReportFrameId = "report-frame";

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

    public static string ReportFrameJson() => $$"""
        {
          "definitionId": "{{ReportFrameId}}",
          "version": 1,
          "name": "报告标题、导语与结尾审核",
          "stages": [
            { "key": "draft", "name": "起草", "kind": "draft" },
            { "key": "committee", "name": "县委审核", "kind": "review",
              "assignee": { "type": "role", "role": "committee-member" },
              "quorum": "any", "deadline": "P5D", "blockOnPlaceholders": true }
          ]
        }
        """;

    public static RouteDefinition ReportFrame() =>
        RouteDefinitionParser.Parse(ReportFrameJson()).Route
        ?? throw new InvalidOperationException("The built-in report-frame route is invalid.");
}
