namespace Workflow.Activities.Documents;

/// <summary>One version of a text and who saved it, as input to <see cref="TrackedChanges"/>.</summary>
public sealed record AuthoredText(string Text, string AuthorId);

/// <summary>A run of the net change between two versions, with who made it (null for unchanged text).</summary>
public sealed record TrackedRun(DiffOp Op, string Text, string? AuthorId);

/// <summary>
/// The change between a base version and a later one shown like Word's track changes, with every insertion and
/// deletion credited to the person whose version made it. The intermediate versions are walked in order, so
/// when the author added a sentence in version 2 and the department head struck a word in version 3, comparing
/// 1 with 3 shows each change in its maker's colour; text added and removed again in between does not show.
/// </summary>
public static class TrackedChanges
{
    /// <summary>
    /// Beyond this many steps only the two ends are compared and every change goes to the last version's author:
    /// each step costs a diff, and a section with a hundred versions is not read that way.
    /// </summary>
    public const int MaxSteps = 50;

    /// <param name="versions">The base version first, then every later version in order, ending with the one to show.</param>
    public static IReadOnlyList<TrackedRun> Compute(IReadOnlyList<AuthoredText> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        if (versions.Count == 0)
        {
            throw new ArgumentException("Give at least one version.", nameof(versions));
        }

        var first = versions[0].Text;
        var last = versions[^1];
        if (versions.Count - 1 > MaxSteps)
        {
            versions = [versions[0], last];
        }

        // For each character of the version reached so far: the version that introduced it (-1: the base),
        // and its position in the base when it is base text (-1 otherwise).
        var origin = Filled(first.Length, -1);
        var basePosition = Enumerable.Range(0, first.Length).ToArray();
        // For each base character: the version that deleted it (-1: still there or never seen deleted).
        var deletedBy = Filled(first.Length, -1);
        for (var k = 1; k < versions.Count; k++)
        {
            var next = versions[k].Text;
            var nextOrigin = new int[next.Length];
            var nextBase = new int[next.Length];
            int a = 0, b = 0;
            foreach (var run in CharacterDiff.Compute(versions[k - 1].Text, next).Runs)
            {
                for (var i = 0; i < run.Text.Length; i++)
                {
                    switch (run.Op)
                    {
                        case DiffOp.Equal:
                            nextOrigin[b] = origin[a];
                            nextBase[b++] = basePosition[a++];
                            break;
                        case DiffOp.Delete:
                            if (basePosition[a] >= 0)
                            {
                                deletedBy[basePosition[a]] = k;
                            }

                            a++;
                            break;
                        default:
                            nextOrigin[b] = k;
                            nextBase[b++] = -1;
                            break;
                    }
                }
            }

            origin = nextOrigin;
            basePosition = nextBase;
        }

        // The net change is one diff of the two ends, so it reads exactly like the plain comparison; the walk
        // above only says who made each part of it. Where the two disagree (the ends align differently from
        // the steps), the change goes to the last version's author.
        string Maker(int k) => k > 0 ? versions[k].AuthorId : last.AuthorId;
        var result = new List<TrackedRun>();
        int before = 0, after = 0;
        foreach (var run in CharacterDiff.Compute(first, last.Text).Runs)
        {
            switch (run.Op)
            {
                case DiffOp.Equal:
                    Add(result, DiffOp.Equal, run.Text, null);
                    before += run.Text.Length;
                    after += run.Text.Length;
                    break;
                case DiffOp.Insert:
                    AddByMaker(result, DiffOp.Insert, run.Text, i => Maker(origin[after + i]));
                    after += run.Text.Length;
                    break;
                default:
                    AddByMaker(result, DiffOp.Delete, run.Text, i => Maker(deletedBy[before + i]));
                    before += run.Text.Length;
                    break;
            }
        }

        return result;
    }

    /// <summary>Splits a changed run where its maker changes, one substring per stretch (not per character).</summary>
    private static void AddByMaker(List<TrackedRun> runs, DiffOp op, string text, Func<int, string> maker)
    {
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || maker(i) != maker(start))
            {
                Add(runs, op, text[start..i], maker(start));
                start = i;
            }
        }
    }

    private static int[] Filled(int length, int value)
    {
        var array = new int[length];
        Array.Fill(array, value);
        return array;
    }

    /// <summary>Appends, merging with the previous run when it has the same kind and maker.</summary>
    private static void Add(List<TrackedRun> runs, DiffOp op, string text, string? author)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (runs.Count > 0 && runs[^1].Op == op && runs[^1].AuthorId == author)
        {
            runs[^1] = runs[^1] with { Text = runs[^1].Text + text };
        }
        else
        {
            runs.Add(new TrackedRun(op, text, author));
        }
    }
}
