using DiffPlex;

namespace Workflow.Activities.Documents;

public enum DiffOp
{
    Equal,
    Insert,
    Delete,
}

public sealed record DiffRun(DiffOp Op, string Text);

public sealed record TextDiff(IReadOnlyList<DiffRun> Runs, int Inserted, int Deleted, int Unchanged);

/// <summary>
/// Character-level diff (Chinese has no spaces between words, so word diffs would be whole sentences),
/// returned as runs of equal / inserted / deleted text like Word's tracked changes.
/// </summary>
public static class CharacterDiff
{
    public static TextDiff Compute(string before, string after)
    {
        var result = new Differ().CreateCharacterDiffs(before, after, ignoreWhitespace: false);
        var runs = new List<DiffRun>();
        var pos = 0;
        foreach (var block in result.DiffBlocks)
        {
            Add(runs, DiffOp.Equal, before[pos..block.DeleteStartA]);
            Add(runs, DiffOp.Delete, before.Substring(block.DeleteStartA, block.DeleteCountA));
            Add(runs, DiffOp.Insert, after.Substring(block.InsertStartB, block.InsertCountB));
            pos = block.DeleteStartA + block.DeleteCountA;
        }

        Add(runs, DiffOp.Equal, before[pos..]);
        return new TextDiff(
            runs,
            runs.Where(r => r.Op == DiffOp.Insert).Sum(r => r.Text.Length),
            runs.Where(r => r.Op == DiffOp.Delete).Sum(r => r.Text.Length),
            runs.Where(r => r.Op == DiffOp.Equal).Sum(r => r.Text.Length));
    }

    private static void Add(List<DiffRun> runs, DiffOp op, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (runs.Count > 0 && runs[^1].Op == op)
        {
            runs[^1] = runs[^1] with { Text = runs[^1].Text + text };
        }
        else
        {
            runs.Add(new DiffRun(op, text));
        }
    }
}
