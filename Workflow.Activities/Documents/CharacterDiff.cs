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
        runs = KeepPairsWhole(runs);
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

    /// <summary>
    /// The character diff compares UTF-16 units, so a rare character outside the basic plane (𠀀, common in names and
    /// place names) can be cut between its two halves: 𠀀→𠀁 shares the high half. A lone half cannot be shown, so the
    /// shared half moves from the unchanged text into the change on both sides (the deleted and the inserted text).
    /// </summary>
    private static List<DiffRun> KeepPairsWhole(List<DiffRun> runs)
    {
        var list = new List<DiffRun>(runs);
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Op != DiffOp.Equal)
            {
                continue;
            }

            var text = list[i].Text;
            if (text.Length > 0 && char.IsHighSurrogate(text[^1]) && i + 1 < list.Count && list[i + 1].Op != DiffOp.Equal)
            {
                list[i] = list[i] with { Text = text[..^1] };
                var end = i + 1;
                while (end < list.Count && list[end].Op != DiffOp.Equal)
                {
                    end++;
                }

                Attach(list, i + 1, end, text[^1].ToString(), atStart: true);
            }

            text = list[i].Text;
            if (text.Length > 0 && char.IsLowSurrogate(text[0]) && i > 0 && list[i - 1].Op != DiffOp.Equal)
            {
                list[i] = list[i] with { Text = text[1..] };
                var start = i - 1;
                while (start > 0 && list[start - 1].Op != DiffOp.Equal)
                {
                    start--;
                }

                i += Attach(list, start, i, text[0].ToString(), atStart: false);
            }
        }

        var merged = new List<DiffRun>();
        foreach (var run in list)
        {
            Add(merged, run.Op, run.Text);
        }

        return merged;
    }

    /// <summary>
    /// Puts <paramref name="unit"/> at the start (or end) of the first (or last) deleted and inserted run of the change
    /// list[from..to), creating a run where a side has none, so both texts still rebuild exactly. Answers how many runs
    /// were inserted into the list.
    /// </summary>
    private static int Attach(List<DiffRun> list, int from, int to, string unit, bool atStart)
    {
        var added = 0;
        foreach (var op in new[] { DiffOp.Delete, DiffOp.Insert })
        {
            var index = -1;
            for (var k = from; k < to + added; k++)
            {
                if (list[k].Op == op && (index < 0 || !atStart))
                {
                    index = k;
                }
            }

            if (index >= 0)
            {
                list[index] = list[index] with { Text = atStart ? unit + list[index].Text : list[index].Text + unit };
            }
            else
            {
                list.Insert(atStart ? from : to + added, new DiffRun(op, unit));
                added++;
            }
        }

        return added;
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
