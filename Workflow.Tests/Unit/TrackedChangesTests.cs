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

    [Fact]
    public void Beyond_the_step_limit_every_change_goes_to_the_last_author()
    {
        var versions = Enumerable.Range(0, TrackedChanges.MaxSteps + 2).Select(i => new AuthoredText($"第{i}稿。", i % 2 == 0 ? "a" : "b")).ToList();

        var runs = TrackedChanges.Compute(versions);

        Assert.All(runs.Where(r => r.Op != DiffOp.Equal), r => Assert.Equal(versions[^1].AuthorId, r.AuthorId));
        Assert.Equal(versions[^1].Text, string.Concat(runs.Where(r => r.Op != DiffOp.Delete).Select(r => r.Text)));
    }

    [Fact]
    public void Texts_emptied_or_started_from_nothing_are_whole_deletions_and_insertions()
    {
        Assert.Equal([new TrackedRun(DiffOp.Insert, "新写一段。", "b")], TrackedChanges.Compute([new("", "a"), new("新写一段。", "b")]));
        Assert.Equal([new TrackedRun(DiffOp.Delete, "删去一段。", "b")], TrackedChanges.Compute([new("删去一段。", "a"), new("", "b")]));
    }

    [Fact]
    public void A_rare_character_changed_by_one_person_stays_whole_and_theirs()
    {
        var runs = TrackedChanges.Compute([new("张𠀀同志。", "a"), new("张𠀁同志。", "b"), new("张𠀁同志好。", "c")]);

        Assert.Contains(new TrackedRun(DiffOp.Delete, "𠀀", "b"), runs);
        Assert.Contains(new TrackedRun(DiffOp.Insert, "𠀁", "b"), runs);
        Assert.Contains(new TrackedRun(DiffOp.Insert, "好", "c"), runs);
    }
}
