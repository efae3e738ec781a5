using Workflow.Activities.Documents;

namespace Workflow.Tests.Unit;

public sealed class CharacterDiffTests
{
    [Fact]
    public void A_filled_in_placeholder_shows_as_one_deletion_and_one_insertion()
    {
        var diff = CharacterDiff.Compute("全年发展党员X名。", "全年发展党员12名。");

        Assert.Equal(
            [new DiffRun(DiffOp.Equal, "全年发展党员"), new DiffRun(DiffOp.Delete, "X"), new DiffRun(DiffOp.Insert, "12"), new DiffRun(DiffOp.Equal, "名。")],
            diff.Runs);
        Assert.Equal((2, 1, 8), (diff.Inserted, diff.Deleted, diff.Unchanged));
    }

    [Fact]
    public void Changes_inside_a_sentence_are_marked_character_by_character_not_word_by_word()
    {
        var diff = CharacterDiff.Compute("一是加强学习。二是强化监督。", "一是加强理论学习。三是强化监督。");

        Assert.Equal(
            [
                new DiffRun(DiffOp.Equal, "一是加强"), new DiffRun(DiffOp.Insert, "理论"), new DiffRun(DiffOp.Equal, "学习。"),
                new DiffRun(DiffOp.Delete, "二"), new DiffRun(DiffOp.Insert, "三"), new DiffRun(DiffOp.Equal, "是强化监督。"),
            ],
            diff.Runs);
        Assert.Equal((3, 1, 13), (diff.Inserted, diff.Deleted, diff.Unchanged));
    }

    [Fact]
    public void Identical_texts_are_one_unchanged_run()
    {
        var diff = CharacterDiff.Compute("坚持党要管党、从严治党。", "坚持党要管党、从严治党。");

        Assert.Equal([new DiffRun(DiffOp.Equal, "坚持党要管党、从严治党。")], diff.Runs);
        Assert.Equal((0, 0), (diff.Inserted, diff.Deleted));
    }

    [Theory]
    [InlineData("", "新增一段")]
    [InlineData("删除全部", "")]
    [InlineData("县委始终坚持党要管党、从严治党。", "县委始终坚持全面从严治党。")]
    [InlineData("发展党员X名，占X%。\n其中女性X名。", "发展党员36名，占4.2%。\r\n其中女性11名。")]
    [InlineData("第一，学习。第二，落实。", "第二，落实。第一，学习。")]
    [InlineData("一段。\n二段X。\n三段。\n", "一段。\n二段12。\n新增。\n三段。")]
    [InlineData("\n\n开头空行。\n", "开头空行。\n\n")]
    public void Both_texts_can_be_rebuilt_from_the_runs(string before, string after)
    {
        var diff = CharacterDiff.Compute(before, after);

        Assert.Equal(before, string.Concat(diff.Runs.Where(r => r.Op != DiffOp.Insert).Select(r => r.Text)));
        Assert.Equal(after, string.Concat(diff.Runs.Where(r => r.Op != DiffOp.Delete).Select(r => r.Text)));
        Assert.Equal(before.Length, diff.Unchanged + diff.Deleted);
        Assert.Equal(after.Length, diff.Unchanged + diff.Inserted);
        Assert.All(diff.Runs, r => Assert.NotEmpty(r.Text));
        Assert.All(diff.Runs.Zip(diff.Runs.Skip(1)), pair => Assert.NotEqual(pair.First.Op, pair.Second.Op));
    }

    [Fact]
    public void An_edit_in_one_paragraph_is_marked_inside_that_paragraph_only()
    {
        var diff = CharacterDiff.Compute("一是抓基础。\n二是发展党员X名。\n三是抓创新。", "一是抓基础。\n二是发展党员12名。\n三是抓创新。");

        Assert.Equal(
            [new DiffRun(DiffOp.Equal, "一是抓基础。\n二是发展党员"), new DiffRun(DiffOp.Delete, "X"), new DiffRun(DiffOp.Insert, "12"), new DiffRun(DiffOp.Equal, "名。\n三是抓创新。")],
            diff.Runs);
    }

    [Fact]
    public void Two_long_unrelated_paragraphs_are_shown_as_replaced_whole()
    {
        var before = new string('甲', CharacterDiff.MaxCharacterDiffLength);
        var after = new string('乙', CharacterDiff.MaxCharacterDiffLength);

        var diff = CharacterDiff.Compute(before, after);

        Assert.Equal([new DiffRun(DiffOp.Delete, before), new DiffRun(DiffOp.Insert, after)], diff.Runs);
    }

    [Theory]
    [InlineData("张𠀀同志", "张𠀁同志")] // same high half, different low half
    [InlineData("张𠀀同志", "张𡀀同志")] // different high half, same low half
    [InlineData("𠀀", "𠀁𠀀")]
    [InlineData("甲𠀀乙", "甲乙")]
    public void A_character_outside_the_basic_plane_is_never_cut_in_half(string before, string after)
    {
        var diff = CharacterDiff.Compute(before, after);

        Assert.All(diff.Runs, r => Assert.True(
            !char.IsLowSurrogate(r.Text[0]) && !char.IsHighSurrogate(r.Text[^1]),
            $"{r.Op} run cuts a surrogate pair: {string.Join(" ", r.Text.Select(c => ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture)))}"));
        Assert.Equal(before, string.Concat(diff.Runs.Where(r => r.Op != DiffOp.Insert).Select(r => r.Text)));
        Assert.Equal(after, string.Concat(diff.Runs.Where(r => r.Op != DiffOp.Delete).Select(r => r.Text)));
    }
}
