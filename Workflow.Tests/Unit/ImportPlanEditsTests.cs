using FsCheck;
using FsCheck.Fluent;
using Workflow.Activities.Documents;
using Workflow.Host.Features.Import;

namespace Workflow.Tests.Unit;

/// <summary>
/// The import page's changes to a preview move exact slices of the text: whatever the clerk does, in any order, the
/// pieces still join to the document and the API's check takes the result.
/// </summary>
public sealed class ImportPlanEditsTests
{
    private static EditedImport Sample()
    {
        var preview = ReportImporter.Preview(SampleReport.Text, "utf-8", null, false, "");
        return new EditedImport(preview.Title, preview.Lead, preview.Closing, preview.Source, preview.Level, preview.Units);
    }

    private static string Joined(EditedImport plan) =>
        plan.Title + plan.Lead + string.Concat(plan.Units!.Select(u => (u.HeadingText ?? "") + u.Content)) + plan.Closing;

    [Fact]
    public void Any_sequence_of_changes_keeps_every_character_in_its_place()
    {
        var start = Sample();
        var canonical = OutlineParser.Canonical(SampleReport.Text);
        Assert.Equal(canonical, Joined(start));
        var steps = Gen.Choose(0, 999).ArrayOf().Select(a => a.Take(40).ToArray());

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(Arb.From(steps), choices =>
        {
            var plan = start;
            foreach (var choice in choices)
            {
                plan = Apply(plan, choice);
                Assert.Equal(canonical, Joined(plan));
                ReportImporter.FromEdited(plan);
                Assert.All(plan.Units!, u => Assert.True(u.ParentId is null || plan.Units!.Any(g => g.IsGroup && g.Id == u.ParentId && g.Level < u.Level)));
            }
        }));
    }

    /// <summary>One change the page would offer for this plan, picked by <paramref name="choice"/>, or the plan as it is.</summary>
    private static EditedImport Apply(EditedImport plan, int choice)
    {
        var units = plan.Units!;
        var i = choice / 8 % units.Count;
        var u = units[i];
        var paragraphs = ImportPlanEdits.ParagraphStarts(u.Content).Count;
        return (choice % 8) switch
        {
            0 when !u.IsGroup && paragraphs > 1 => ImportPlanEdits.Split(plan, u.Id, 1 + (choice / 64 % (paragraphs - 1)), choice % 3 == 0 ? null : "新单元"),
            1 when ImportPlanEdits.CanMergeWithPrevious(units, i) => ImportPlanEdits.Merge(plan, u.Id, withNext: false),
            2 when ImportPlanEdits.CanMergeWithNext(units, i) => ImportPlanEdits.Merge(plan, u.Id, withNext: true),
            3 when ImportPlanEdits.CanMoveToClosing(units, units.Count - 1) => ImportPlanEdits.MoveToClosing(plan, units[^1].Id),
            4 when ImportPlanEdits.CanMoveFromClosing(plan) => ImportPlanEdits.MoveFromClosing(plan),
            5 when !u.IsGroup => ImportPlanEdits.ChangeLevel(plan, u.Id, 1 + (choice / 64 % 4)),
            6 when ImportPlanEdits.CanMoveToLead(units, 0) => ImportPlanEdits.MoveToLead(plan, units[0].Id),
            7 when ImportPlanEdits.CanMoveFromLead(plan) => ImportPlanEdits.MoveFromLead(plan),
            _ => plan,
        };
    }

    [Fact]
    public void A_unit_kept_at_its_level_keeps_the_parents_the_preview_gave_every_unit()
    {
        var plan = Sample();

        var same = ImportPlanEdits.ChangeLevel(plan, "2.3", 2);

        Assert.Equal(plan.Units!.Select(u => (u.Id, u.ParentId)), same.Units!.Select(u => (u.Id, u.ParentId)));
    }

    [Fact]
    public void A_change_the_plan_does_not_allow_is_refused()
    {
        var plan = Sample();

        Assert.Equal("edit-not-possible", Assert.Throws<DocumentRejectedException>(() => ImportPlanEdits.Split(plan, "2.3", 0, null)).Code);
        Assert.Equal("edit-not-possible", Assert.Throws<DocumentRejectedException>(() => ImportPlanEdits.Merge(plan, "1.1", withNext: false)).Code); // 一、 stands before it
        Assert.Equal("edit-not-possible", Assert.Throws<DocumentRejectedException>(() => ImportPlanEdits.MoveToLead(plan, "1.1")).Code);
        Assert.Equal("edit-not-possible", Assert.Throws<DocumentRejectedException>(() => ImportPlanEdits.MoveToClosing(plan, "3.2")).Code);
        Assert.Equal("edit-not-possible", Assert.Throws<DocumentRejectedException>(() => ImportPlanEdits.MoveFromClosing(plan)).Code); // the sample has none
        Assert.Equal("edit-not-possible", Assert.Throws<DocumentRejectedException>(() => ImportPlanEdits.ChangeLevel(plan, "1", 2)).Code); // a group
        Assert.Equal("edit-not-possible", Assert.Throws<DocumentRejectedException>(() => ImportPlanEdits.ChangeLevel(plan, "1.1", 5)).Code);
        Assert.Equal("edit-title", Assert.Throws<DocumentRejectedException>(() => ImportPlanEdits.Split(plan, "2.3", 3, new string('长', 201))).Code);
    }

    [Fact]
    public void Splitting_at_the_restarted_enumeration_of_the_sample_takes_its_items_along_and_ends_the_warning()
    {
        var plan = Sample();
        var parsed = OutlineParser.Parse(plan.Source!);
        Assert.Single(ImportPlanEdits.StillTrue(parsed.Warnings, plan));

        var split = ImportPlanEdits.Split(plan, "2.3", 3, null);

        var added = split.Units!.Single(u => u.Id == "2.3.s1");
        Assert.Equal(("产生以上问题的原因主要有以下几个方面", 32, "2"), (added.Title, added.Line, added.ParentId));
        Assert.Equal([33, 34, 35], added.Items!.Select(i => i.Line));
        Assert.Equal([29, 30, 31], split.Units!.Single(u => u.Id == "2.3").Items!.Select(i => i.Line));
        Assert.Empty(ImportPlanEdits.StillTrue(parsed.Warnings, split));
    }
}
