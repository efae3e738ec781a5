using System.Text;

namespace Workflow.Activities.Documents;

/// <summary>
/// A node of the outline as offered for review: a group (a heading above the review level that has children) or a
/// unit (what one author drafts and reviewers approve). <see cref="Id"/> is the <see cref="OutlineSection.Id"/> of the
/// node, or the group's id + ".0" for the 概述 unit that carries a group's own text. <see cref="Content"/> is exact
/// text: for a unit, its own body followed by every descendant's heading text and body (so the section's
/// <see cref="OutlineSection.HeadingText"/> + Content is the unit's slice of the document); for a group, its own
/// body when that is blank (whitespace only), otherwise "" because the text went to the 概述 unit.
/// </summary>
public sealed record ReviewUnit(
    string Id,
    string? ParentId,
    bool IsGroup,
    int Level,
    string Number,
    string Title,
    bool SharesLine,
    string Content,
    int Line,
    IReadOnlyList<InlineItem> Items);

/// <summary>Cuts a parsed outline into review units at a chosen heading level.</summary>
public static class ReviewUnits
{
    /// <summary>Title of the unit that carries text written under a group's heading before its first child.</summary>
    public const string OverviewTitle = "概述";

    /// <summary>
    /// The deepest heading level that occurs under a top-level part (一、 with （一） children → 2). With no part
    /// having children, the parts' own level; with no outline at all, 1.
    /// </summary>
    public static int DefaultLevel(ParsedOutline doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var deepest = 0;
        foreach (var part in doc.Parts)
        {
            foreach (var child in part.Children)
            {
                deepest = Math.Max(deepest, Deepest(child));
            }
        }

        if (deepest == 0 && doc.Parts.Count > 0)
        {
            deepest = doc.Parts.Max(p => p.Level);
        }

        return deepest == 0 ? 1 : deepest;

        static int Deepest(OutlineSection s) => s.Children.Aggregate(s.Level, (d, c) => Math.Max(d, Deepest(c)));
    }

    /// <summary>
    /// Groups and units in document order. A node above <paramref name="level"/> that has children is a group; every
    /// other node reached from a group (or at the top) is a unit: the nodes at <paramref name="level"/>, a leaf
    /// shallower than it, or a deeper node that sits directly under a group because a level was skipped. A unit's
    /// descendants are folded into its <see cref="ReviewUnit.Content"/> and <see cref="ReviewUnit.Items"/>. A group
    /// whose own body has text gets a first unit "{id}.0" titled <see cref="OverviewTitle"/> with that text, so
    /// title + lead + every node's heading and content + closing is the whole document.
    /// </summary>
    public static IReadOnlyList<ReviewUnit> Select(ParsedOutline doc, int level)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var result = new List<ReviewUnit>();
        foreach (var part in doc.Parts)
        {
            Visit(part, null, level, result);
        }

        return result;
    }

    private static void Visit(OutlineSection s, string? parentId, int level, List<ReviewUnit> result)
    {
        if (s.Level < level && s.Children.Count > 0)
        {
            var blank = IsBlank(s.Body);
            result.Add(new ReviewUnit(s.Id, parentId, true, s.Level, s.Number, s.Title, s.SharesLine, blank ? s.Body : "", s.Line, blank ? s.Items : []));
            if (!blank)
            {
                result.Add(new ReviewUnit($"{s.Id}.0", s.Id, false, s.Level + 1, "", OverviewTitle, false, s.Body, FirstTextLine(s), s.Items));
            }

            foreach (var child in s.Children)
            {
                Visit(child, s.Id, level, result);
            }

            return;
        }

        var content = new StringBuilder(s.Body);
        var items = new List<InlineItem>(s.Items);
        foreach (var child in s.Children)
        {
            Fold(child, content, items);
        }

        result.Add(new ReviewUnit(s.Id, parentId, false, s.Level, s.Number, s.Title, s.SharesLine, content.ToString(), s.Line, items));
    }

    private static void Fold(OutlineSection s, StringBuilder content, List<InlineItem> items)
    {
        content.Append(s.HeadingText).Append(s.Body);
        items.AddRange(s.Items);
        foreach (var child in s.Children)
        {
            Fold(child, content, items);
        }
    }

    private static bool IsBlank(string text)
    {
        foreach (var c in text)
        {
            if (!OutlineHeadings.IsSpace(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The line of the first non-blank character of the section's body (the body starts on the heading's line).</summary>
    private static int FirstTextLine(OutlineSection s)
    {
        var line = s.Line;
        foreach (var c in s.Body)
        {
            if (c == '\n')
            {
                line++;
            }
            else if (!OutlineHeadings.IsSpace(c))
            {
                break;
            }
        }

        return line;
    }
}
