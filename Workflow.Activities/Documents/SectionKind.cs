namespace Workflow.Activities.Documents;

/// <summary>
/// What a section is in the report: a part of the outline, or one of the report's own parts around it — the title,
/// the lead (导语) before the first part and the closing after the last — which are reviewed like any section.
/// </summary>
public enum SectionKind
{
    Body = 0,
    Title = 1,
    Lead = 2,
    Closing = 3,
}

public static class SectionKinds
{
    /// <summary>Where a kind stands in the report: title, lead, the outline, closing.</summary>
    public static int Place(SectionKind kind) => kind switch
    {
        SectionKind.Title => 0,
        SectionKind.Lead => 1,
        SectionKind.Body => 2,
        _ => 3,
    };

    /// <summary>The part's name as a heading, for pages and the trail.</summary>
    public static string Chinese(SectionKind kind) => kind switch
    {
        SectionKind.Title => "标题",
        SectionKind.Lead => "导语",
        SectionKind.Closing => "结尾",
        _ => "正文",
    };
}
