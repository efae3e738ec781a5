using System.Globalization;
using Workflow.Activities.Documents;
using Workflow.Persistence;

namespace Workflow.Host.Features.Import;

/// <summary>
/// The changes the import page offers on a preview before it is confirmed: split a unit at a paragraph, merge it with
/// the unit next to it, move a paragraph between a unit and the lead or the closing, change a unit's level. Each moves
/// exact slices of text and keeps document order, so title + lead + every unit's heading and content + closing is still
/// the source; the page then takes the result through <see cref="ReportImporter.FromEdited"/>, the API's check that
/// nothing was lost. An edit that cannot be made is refused with code <c>edit-not-possible</c> or <c>edit-title</c>.
/// </summary>
public static class ImportPlanEdits
{
    /// <summary>Title a split-off unit takes from its first paragraph when the clerk gives none: up to the first pause.</summary>
    public const int DefaultTitleLength = 20;

    private const string Pauses = "，。；：,;:！？!?、";

    /// <summary>Where each paragraph (non-blank line) of <paramref name="text"/> starts; a text starting with words has one at 0.</summary>
    public static IReadOnlyList<int> ParagraphStarts(string text)
    {
        var starts = new List<int>();
        var lineStart = 0;
        while (true)
        {
            var nl = text.IndexOf('\n', lineStart);
            var end = nl < 0 ? text.Length : nl;
            if (!IsBlank(text.AsSpan(lineStart, end - lineStart)))
            {
                starts.Add(lineStart);
            }

            if (nl < 0)
            {
                return starts;
            }

            lineStart = nl + 1;
        }
    }

    /// <summary>The paragraphs of <paramref name="text"/> as a reader sees them (trimmed, blank lines left out).</summary>
    public static IReadOnlyList<string> Paragraphs(string text)
    {
        var starts = ParagraphStarts(text);
        return [.. starts.Select((s, k) => text[s..(k + 1 < starts.Count ? starts[k + 1] : text.Length)].Trim().Trim('\uFEFF'))];
    }

    /// <summary>Splits unit <paramref name="id"/> before its paragraph <paramref name="paragraph"/> (0-based, at least 1): the rest becomes a new unit after it, at its level and under its parent, titled <paramref name="title"/> or by its first words.</summary>
    public static EditedImport Split(EditedImport plan, string id, int paragraph, string? title)
    {
        var units = Units(plan);
        var i = IndexOf(units, id);
        var unit = units[i];
        var starts = ParagraphStarts(unit.Content);
        if (unit.IsGroup || paragraph < 1 || paragraph >= starts.Count)
        {
            throw NotPossible($"Unit '{id}' has no paragraph {paragraph + 1} to split at after its first.");
        }

        var cut = starts[paragraph];
        var rest = unit.Content[cut..];
        title = string.IsNullOrWhiteSpace(title) ? DefaultTitle(rest) : title.Trim();
        if (title.Length > WorkflowDbContext.MaxTitleLength)
        {
            throw new DocumentRejectedException("edit-title", $"The new unit's title has {title.Length} characters; at most {WorkflowDbContext.MaxTitleLength} are possible.");
        }

        var line = ContentLines(plan, units)[i] + Count(unit.Content.AsSpan(0, cut), '\n');
        var items = unit.Items ?? [];
        units[i] = unit with { Content = unit.Content[..cut], Items = [.. items.Where(x => x.Line < line)] };
        // A unit without a heading of its own: no number, and a title that is not part of the text (as 概述).
        units.Insert(i + 1, new ImportUnitDto(
            NewId(units, id), unit.ParentId, false, unit.Level, "", title, "", false, rest, line, [.. items.Where(x => x.Line >= line)], null, null, null));
        return plan with { Units = units };
    }

    public static bool CanMergeWithPrevious(IReadOnlyList<ImportUnitDto> units, int i) => i > 0 && !units[i].IsGroup && !units[i - 1].IsGroup;

    public static bool CanMergeWithNext(IReadOnlyList<ImportUnitDto> units, int i) => i + 1 < units.Count && CanMergeWithPrevious(units, i + 1);

    /// <summary>Unit <paramref name="id"/> and its neighbour become one: the later one's heading and text are appended to the earlier one.</summary>
    public static EditedImport Merge(EditedImport plan, string id, bool withNext)
    {
        var units = Units(plan);
        var i = IndexOf(units, id) + (withNext ? 1 : 0);
        if (!CanMergeWithPrevious(units, i))
        {
            throw NotPossible($"Unit '{id}' has no unit {(withNext ? "after" : "before")} it to merge with (a heading of a group stands between them).");
        }

        var (into, from) = (units[i - 1], units[i]);
        units[i - 1] = into with { Content = into.Content + (from.HeadingText ?? "") + from.Content, Items = [.. into.Items ?? [], .. from.Items ?? []] };
        units.RemoveAt(i);
        return plan with { Units = units };
    }

    /// <summary>The first unit's first paragraph may join the lead only when nothing (no heading) stands between them.</summary>
    public static bool CanMoveToLead(IReadOnlyList<ImportUnitDto> units, int i) =>
        i == 0 && !units[0].IsGroup && IsBlank(units[0].HeadingText) && ParagraphStarts(units[0].Content).Count is var n && (n > 1 || (n == 1 && units.Count > 1));

    public static bool CanMoveFromLead(EditedImport plan) =>
        plan.Units is { Count: > 0 } units && !units[0].IsGroup && IsBlank(units[0].HeadingText) && ParagraphStarts(plan.Lead ?? "").Count > 0;

    /// <summary>The last unit gives its last paragraph, keeping its heading with some text; a unit without a heading may give its only one.</summary>
    public static bool CanMoveToClosing(IReadOnlyList<ImportUnitDto> units, int i) =>
        i == units.Count - 1 && !units[i].IsGroup && ParagraphStarts(units[i].Content).Count is var n
        && (n > 1 || (n == 1 && IsBlank(units[i].HeadingText) && units.Count > 1));

    public static bool CanMoveFromClosing(EditedImport plan) =>
        plan.Units is { Count: > 0 } units && !units[^1].IsGroup && ParagraphStarts(plan.Closing ?? "").Count > 0;

    /// <summary>The first paragraph of the first unit goes to the end of the lead (a unit left without text and heading goes).</summary>
    public static EditedImport MoveToLead(EditedImport plan, string id)
    {
        var units = Units(plan);
        var i = IndexOf(units, id);
        if (!CanMoveToLead(units, i))
        {
            throw NotPossible($"Unit '{id}' is not the first unit or starts with a heading; only text directly after the lead can join it.");
        }

        var content = units[0].Content;
        var starts = ParagraphStarts(content);
        var cut = starts.Count > 1 ? starts[1] : content.Length;
        units[0] = units[0] with { Content = content[cut..] };
        if (cut == content.Length)
        {
            units.RemoveAt(0); // its only paragraph: nothing of the unit is left
        }

        return plan with { Lead = (plan.Lead ?? "") + content[..cut], Units = units };
    }

    /// <summary>The last paragraph of the lead goes to the start of the first unit, which has no heading.</summary>
    public static EditedImport MoveFromLead(EditedImport plan)
    {
        if (!CanMoveFromLead(plan))
        {
            throw NotPossible("The lead has no paragraph to give, or the first unit starts with a heading.");
        }

        var units = Units(plan);
        var lead = plan.Lead!;
        var cut = ParagraphStarts(lead)[^1];
        units[0] = units[0] with { Content = lead[cut..] + units[0].Content };
        return plan with { Lead = lead[..cut], Units = units };
    }

    /// <summary>
    /// The last paragraph of the last unit goes to the start of the closing. A unit keeps at least its heading and one
    /// paragraph; one without a heading of its own goes when its last paragraph does.
    /// </summary>
    public static EditedImport MoveToClosing(EditedImport plan, string id)
    {
        var units = Units(plan);
        var i = IndexOf(units, id);
        if (!CanMoveToClosing(units, i))
        {
            throw NotPossible($"Unit '{id}' is not the last unit, or its only paragraph would leave a heading without text.");
        }

        var content = units[i].Content;
        var starts = ParagraphStarts(content);
        var cut = starts.Count > 1 ? starts[^1] : 0;
        units[i] = units[i] with { Content = content[..cut] };
        if (cut == 0)
        {
            units.RemoveAt(i); // its only paragraph: nothing of the unit is left
        }

        return plan with { Closing = content[cut..] + (plan.Closing ?? ""), Units = units };
    }

    /// <summary>The first paragraph of the closing goes back to the end of the last unit.</summary>
    public static EditedImport MoveFromClosing(EditedImport plan)
    {
        if (!CanMoveFromClosing(plan))
        {
            throw NotPossible("The closing has no paragraph to give back, or the last unit is a group.");
        }

        var units = Units(plan);
        var closing = plan.Closing!;
        var starts = ParagraphStarts(closing);
        var cut = starts.Count > 1 ? starts[1] : closing.Length;
        units[^1] = units[^1] with { Content = units[^1].Content + closing[..cut] };
        return plan with { Closing = closing[cut..], Units = units };
    }

    /// <summary>
    /// Unit <paramref name="id"/> goes to outline level <paramref name="level"/> (1 一、 … 4 （1）). Every unit's parent is
    /// then the nearest group above it of a lower level, as an outline reads: a unit raised to level 1 ends the group it
    /// was in, and the units after it at deeper levels stand on their own until the next group.
    /// </summary>
    public static EditedImport ChangeLevel(EditedImport plan, string id, int level)
    {
        var units = Units(plan);
        var i = IndexOf(units, id);
        if (units[i].IsGroup || level is < 1 or > 4)
        {
            throw NotPossible($"Unit '{id}' cannot go to level {level}; a unit's level is 1 to 4.");
        }

        units[i] = units[i] with { Level = level };
        var groups = new List<ImportUnitDto>();
        for (var k = 0; k < units.Count; k++)
        {
            while (groups.Count > 0 && groups[^1].Level >= units[k].Level)
            {
                groups.RemoveAt(groups.Count - 1);
            }

            units[k] = units[k] with { ParentId = groups.Count > 0 ? groups[^1].Id : null };
            if (units[k].IsGroup)
            {
                groups.Add(units[k]);
            }
        }

        return plan with { Units = units };
    }

    /// <summary>
    /// The outline's warnings that still hold for the edited plan: an enumeration that starts again is no longer said
    /// once its two series are in different units (the clerk split there or moved one to the closing).
    /// </summary>
    public static IReadOnlyList<OutlineWarning> StillTrue(IReadOnlyList<OutlineWarning> warnings, EditedImport plan)
    {
        if (plan.Units is not { Count: > 0 } || !warnings.Any(w => w.Template == "items-restart"))
        {
            return warnings;
        }

        var units = plan.Units;
        var starts = ContentLines(plan, units);
        var spans = units.Select((u, k) => (First: starts[k], Last: starts[k] + Count(u.Content.TrimEnd().AsSpan(), '\n'))).ToList();
        return [.. warnings.Where(w => w.Template != "items-restart" || w.Args.Count < 4 || !int.TryParse(w.Args[3], CultureInfo.InvariantCulture, out var before)
            || spans.Any(s => s.First <= before && w.Line <= s.Last))];
    }

    private static string DefaultTitle(string text)
    {
        var words = text.Trim().Trim('\uFEFF');
        var pause = words.IndexOfAny(Pauses.ToCharArray());
        var end = Math.Min(pause > 0 ? pause : words.Length, DefaultTitleLength);
        return words[..end].Trim();
    }

    /// <summary>The source line where each unit's content starts, from where the document's pieces fall.</summary>
    private static int[] ContentLines(EditedImport plan, IReadOnlyList<ImportUnitDto> units)
    {
        var source = (plan.Source ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var inPieces = Count((plan.Title ?? "").AsSpan(), '\n') + Count((plan.Lead ?? "").AsSpan(), '\n') + Count((plan.Closing ?? "").AsSpan(), '\n')
            + units.Sum(u => Count((u.HeadingText ?? "").AsSpan(), '\n') + Count(u.Content.AsSpan(), '\n'));
        // Blank lines before a title line are not in any piece, but the lines are counted from the file's first.
        var line = 1 + Math.Max(0, Count(source.AsSpan(), '\n') - inPieces) + Count((plan.Title ?? "").AsSpan(), '\n') + Count((plan.Lead ?? "").AsSpan(), '\n');
        var result = new int[units.Count];
        for (var k = 0; k < units.Count; k++)
        {
            line += Count((units[k].HeadingText ?? "").AsSpan(), '\n');
            result[k] = line;
            line += Count(units[k].Content.AsSpan(), '\n');
        }

        return result;
    }

    /// <summary>The units to change, each with the heading text the API's check gives one that names none.</summary>
    private static List<ImportUnitDto> Units(EditedImport plan) =>
        plan.Units is { Count: > 0 } units && units.All(u => u is { Id: not null, Number: not null, Title: not null })
            ? [.. units.Select(u => u with { Content = u.Content ?? "", HeadingText = u.HeadingText ?? (u.Number.Length > 0 ? u.Number + u.Title : "") })]
            : throw NotPossible("The preview has no units, or a unit lacks its id, number or title.");

    private static int IndexOf(List<ImportUnitDto> units, string id)
    {
        var i = units.FindIndex(u => u.Id == id);
        return i >= 0 ? i : throw NotPossible($"The preview has no unit '{id}'.");
    }

    private static string NewId(List<ImportUnitDto> units, string id)
    {
        for (var n = 1; ; n++)
        {
            var candidate = $"{id}.s{n}";
            if (units.All(u => u.Id != candidate))
            {
                return candidate;
            }
        }
    }

    private static DocumentRejectedException NotPossible(string message) => new("edit-not-possible", message);

    private static bool IsBlank(string? text) => IsBlank(text.AsSpan());

    private static bool IsBlank(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c) && c != '\uFEFF')
            {
                return false;
            }
        }

        return true;
    }

    private static int Count(ReadOnlySpan<char> text, char c)
    {
        var n = 0;
        foreach (var x in text)
        {
            n += x == c ? 1 : 0;
        }

        return n;
    }
}
