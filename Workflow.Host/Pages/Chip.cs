using Microsoft.Extensions.Localization;
using Workflow.Activities.Engine;
using Workflow.Activities.Routes;
using Workflow.Host.Features.Reports;

namespace Workflow.Host.Pages;

/// <summary>
/// A section's state chip: 草稿, 已退回, 已通过, or for a section in review "待" and the name its route gives the stage it
/// waits at (待部门审核, 待纪委组织部会签) — stage names and kinds come from the route, never from code. Key is what the
/// board filters by (draft, returned, approved or the stage's key); Css its look: the first review stage, a later one, or
/// a countersign.
/// </summary>
public sealed record Chip(string Key, string Css, string Label)
{
    public static readonly string[] StatusKeys = ["draft", "returned", "approved"];

    public static string KeyOf(SectionNode s) => s.Status switch
    {
        SectionStatus.Draft => "draft",
        SectionStatus.Returned => "returned",
        SectionStatus.Approved => "approved",
        _ => s.Stage ?? "review",
    };

    public static Chip Of(SectionNode s, RouteDefinition? route, IStringLocalizer text)
    {
        var key = KeyOf(s);
        if (s.Status != SectionStatus.InReview)
        {
            return new Chip(key, "chip-" + key, text["Chip_" + key]);
        }

        var index = route?.IndexOf(key) ?? -1;
        var stage = index >= 0 ? route!.Stages[index] : null;
        return new Chip(key, CssOf(stage, index), text["Chip_stage", stage?.Name ?? s.StageName ?? key]);
    }

    /// <summary>The chip of a stage a section may wait at, for the board's filter.</summary>
    public static Chip OfStage(RouteDefinition route, int index, IStringLocalizer text) =>
        new(route.Stages[index].Key, CssOf(route.Stages[index], index), text["Chip_stage", route.Stages[index].Name]);

    private static string CssOf(StageDefinition? stage, int index) =>
        stage?.Kind == ActivityKind.Countersign ? "chip-countersign" : index <= 1 ? "chip-first" : "chip-later";
}
