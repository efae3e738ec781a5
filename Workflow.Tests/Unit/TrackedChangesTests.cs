using Workflow.Activities.Documents;

namespace Workflow.Tests.Unit;

public sealed class TrackedChangesTests
{
    [Fact]
    public void Each_change_is_credited_to_the_person_whose_version_made_it()
    {
        // v2: the author fills in the figure; v3: the head strikes 积极 and adds 扎实.
        var runs = TrackedChanges.Compute(
        [
            new("全年积极发展党员X名。", "author"),
            new("全年积极发展党员12名。", "author"),
            new("全年扎实发展党员12名。", "head"),
        ]);

        Assert.Equal(
            [
                new TrackedRun(DiffOp.Equal, "全年", null),
                new TrackedRun(DiffOp.Delete, "积极", "head"),
                new TrackedRun(DiffOp.Insert, "扎实", "head"),
                new TrackedRun(DiffOp.Equal, "发展党员", null),
                new TrackedRun(DiffOp.Delete, "X", "author"),
                new TrackedRun(DiffOp.Insert, "12", "author"),
                new TrackedRun(DiffOp.Equal, "名。", null),
            ],
            runs);
    }

    [Fact]
    public void Text_added_and_removed_again_between_the_two_ends_does_not_show()
    {
        var runs = TrackedChanges.Compute(
        [
            new("一是加强学习。", "author"),
            new("一是加强学习。临时补充。", "author"),
            new("一是加强理论学习。", "head"),
        ]);

        Assert.Equal(
            [new TrackedRun(DiffOp.Equal, "一是加强", null), new TrackedRun(DiffOp.Insert, "理论", "head"), new TrackedRun(DiffOp.Equal, "学习。", null)],
            runs);
    }

    [Fact]
    public void The_runs_rebuild_both_ends_exactly()
    {
        string[] texts = ["第一段。\n第二段有XX处。\n第三段。", "第一段。\n第二段有12处。\n新增一段。\n第三段。", "第一段修改。\n第二段有12处。\n第三段。\n结尾。"];
        var runs = TrackedChanges.Compute([.. texts.Select((t, i) => new AuthoredText(t, i % 2 == 0 ? "a" : "b"))]);

        Assert.Equal(texts[0], string.Concat(runs.Where(r => r.Op != DiffOp.Insert).Select(r => r.Text)));
        Assert.Equal(texts[^1], string.Concat(runs.Where(r => r.Op != DiffOp.Delete).Select(r => r.Text)));
        Assert.All(runs, r => Assert.Equal(r.Op == DiffOp.Equal, r.AuthorId is null));
    }

    [Fact]
    public void Comparing_a_version_with_itself_shows_no_change()
    {
        var runs = TrackedChanges.Compute([new("同一段文字。", "a")]);

        Assert.Equal([new TrackedRun(DiffOp.Equal, "同一段文字。", null)], runs);
    }
}
