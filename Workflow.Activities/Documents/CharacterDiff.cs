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
    /// <summary>
    /// Changed paragraphs larger than this together are shown as replaced whole: a character diff costs
    /// about length × differences, and two unrelated 100,000-character texts would tie up a core.
    /// </summary>
    public const int MaxCharacterDiffLength = 20_000;

    public static TextDiff Compute(string before, string after)
    {
        // Paragraphs first, then characters inside the paragraphs that changed: cheap on long texts and
        // keeps an edit in one paragraph from being matched against text in another.
        var differ = new Differ();
        var result = differ.CreateCustomDiffs(before, after, ignoreWhiteSpace: false, SplitKeepingLineEnds);
        var runs = new List<DiffRun>();
        var a = result.PiecesOld;
        var b = result.PiecesNew;
        var pos = 0;
        foreach (var block in result.DiffBlocks)
        {
            Add(runs, DiffOp.Equal, string.Concat(a[pos..block.DeleteStartA]));
            var removed = string.Concat(a.Skip(block.DeleteStartA).Take(block.DeleteCountA));
            var added = string.Concat(b.Skip(block.InsertStartB).Take(block.InsertCountB));
            if (removed.Length > 0 && added.Length > 0 && removed.Length + added.Length <= MaxCharacterDiffLength)
            {
                AddCharacterDiff(differ, runs, removed, added);
            }
            else
            {
                Add(runs, DiffOp.Delete, removed);
                Add(runs, DiffOp.Insert, added);
            }

            pos = block.DeleteStartA + block.DeleteCountA;
        }

        Add(runs, DiffOp.Equal, string.Concat(a[pos..]));
        return new TextDiff(
            runs,
            runs.Where(r => r.Op == DiffOp.Insert).Sum(r => r.Text.Length),
            runs.Where(r => r.Op == DiffOp.Delete).Sum(r => r.Text.Length),
            runs.Where(r => r.Op == DiffOp.Equal).Sum(r => r.Text.Length));
    }

    private static void AddCharacterDiff(Differ differ, List<DiffRun> runs, string before, string after)
    {
        var result = differ.CreateCharacterDiffs(before, after, ignoreWhitespace: false);
        var pos = 0;
        foreach (var block in result.DiffBlocks)
        {
            Add(runs, DiffOp.Equal, before[pos..block.DeleteStartA]);
            Add(runs, DiffOp.Delete, before.Substring(block.DeleteStartA, block.DeleteCountA));
            Add(runs, DiffOp.Insert, after.Substring(block.InsertStartB, block.InsertCountB));
            pos = block.DeleteStartA + block.DeleteCountA;
        }

        Add(runs, DiffOp.Equal, before[pos..]);
    }

    private static string[] SplitKeepingLineEnds(string text)
    {
        var pieces = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                pieces.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            pieces.Add(text[start..]);
        }

        return [.. pieces];
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
