using System.Text;

namespace Workflow.Activities.Documents;

/// <summary>
/// Reads the outline of a Chinese official document (see <see cref="OutlineSection"/>) from plain text.
/// <para>
/// <b>Lossless.</b> Every string the parser returns is an exact slice of the text, and
/// <c>Join(Parse(t)) == Canonical(t)</c> for every string <c>t</c>. <see cref="Canonical"/> changes only what no
/// slice can carry: "\r\n" and "\r" become "\n", a byte-order mark at the start is dropped, and when the document
/// has a title line, the whitespace before the title (blank lines, indentation) is dropped, because
/// <see cref="ParsedOutline.Title"/> is the bare title. For "\n" text that starts with its title or has none, Join
/// gives back the text exactly.
/// </para>
/// <para>
/// The slices, in document order: <see cref="ParsedOutline.Title"/> (the trimmed title line) ·
/// <see cref="ParsedOutline.Lead"/> (from the end of the title to the start of the first heading's line, so it
/// begins with the title's line break and keeps blank lines) · for each section in pre-order its
/// <see cref="OutlineSection.HeadingText"/> (from the start of its line, indentation included, to the end of the
/// line without the line break, or through the terminator when the heading shares its line) and its
/// <see cref="OutlineSection.Body"/> (the rest up to the start of the next heading's line or of the closing: for a
/// heading alone on its line the body starts with that line's "\n") · <see cref="ParsedOutline.Closing"/> (from the
/// start of the first closing line to the end). Readers who show the text trim Lead, Body and Closing.
/// </para>
/// </summary>
public static class OutlineParser
{
    /// <summary>The longest line taken for a title; longer first lines are the lead.</summary>
    public const int MaxTitleLength = 60;

    private const string NotTitleEndings = "。；;：:，,！!？?、";

    public static ParsedOutline Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = NormalizeLineBreaks(text);
        var lines = new Lines(s);

        var candidates = new OutlineHeading?[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            if (OutlineHeadings.TryRead(s, lines.Start[i], lines.End[i], out var h))
            {
                candidates[i] = h;
            }
        }

        var (titleLine, titleStart, titleEnd) = FindTitle(s, lines, candidates);
        var title = titleLine >= 0 ? s[titleStart..titleEnd] : "";
        var bodyFromLine = titleLine + 1;

        // The first level-1 heading opens the outline; numbers before it (a （一） in the lead) are lead text.
        // Without a level-1 heading, the first heading of any level opens it.
        var firstHeadingLine = -1;
        for (var pass = 0; pass < 2 && firstHeadingLine < 0; pass++)
        {
            for (var i = bodyFromLine; i < lines.Count; i++)
            {
                if (candidates[i] is { } c && (pass == 1 || c.Level == 1))
                {
                    firstHeadingLine = i;
                    break;
                }
            }
        }

        var headingLines = new List<int>();
        if (firstHeadingLine >= 0)
        {
            for (var i = firstHeadingLine; i < lines.Count; i++)
            {
                if (candidates[i] is not null)
                {
                    headingLines.Add(i);
                }
            }
        }

        var closingFrom = headingLines.Count > 0 ? headingLines[^1] + 1 : bodyFromLine;
        var trimmed = new string[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            trimmed[i] = i < closingFrom ? "" : TrimSpaces(s, lines.Start[i], lines.End[i]);
        }

        var closingLine = OutlineClosing.FindFirstLine(trimmed, closingFrom);
        if (headingLines.Count > 0)
        {
            // Text after the last heading that turns to a new subject is the closing too, with all that follows it.
            var last = headingLines[^1];
            var opening = OutlineClosing.FindOpening(s, lines.Start, lines.End, candidates[last]!.Value, last, closingLine >= 0 ? closingLine : lines.Count);
            closingLine = opening >= 0 ? opening : closingLine;
        }

        var closingStart = closingLine >= 0 ? lines.Start[closingLine] : s.Length;

        var leadStart = titleLine >= 0 ? titleEnd : 0;
        var leadEnd = headingLines.Count > 0 ? lines.Start[headingLines[0]] : closingStart;
        var lead = s[leadStart..leadEnd];
        var closing = s[closingStart..];

        var warnings = new List<OutlineWarning>();
        var parts = BuildTree(s, lines, candidates, headingLines, closingStart, warnings);
        if (headingLines.Count == 0)
        {
            warnings.Add(OutlineWarningTexts.Create(1, "no-outline", "no-outline"));
        }

        CheckBrackets(candidates, headingLines, warnings);
        return new ParsedOutline(title, lead, parts, closing, [.. warnings.OrderBy(w => w.Line)]);
    }

    /// <summary>Title + Lead + every section's HeadingText and Body in pre-order + Closing.</summary>
    public static string Join(ParsedOutline doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var sb = new StringBuilder();
        sb.Append(doc.Title).Append(doc.Lead);
        foreach (var part in doc.Parts)
        {
            Append(sb, part);
        }

        sb.Append(doc.Closing);
        return sb.ToString();

        static void Append(StringBuilder sb, OutlineSection section)
        {
            sb.Append(section.HeadingText).Append(section.Body);
            foreach (var child in section.Children)
            {
                Append(sb, child);
            }
        }
    }

    /// <summary>
    /// What <see cref="Join"/> gives back for <paramref name="text"/>: line breaks as "\n", no byte-order mark at the
    /// start, and no whitespace before a title line.
    /// </summary>
    public static string Canonical(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = NormalizeLineBreaks(text);
        var lines = new Lines(s);
        var candidates = new OutlineHeading?[lines.Count];
        var first = FirstNonBlankLine(s, lines);
        if (first >= 0 && OutlineHeadings.TryRead(s, lines.Start[first], lines.End[first], out var h))
        {
            candidates[first] = h;
        }

        var (titleLine, titleStart, _) = FindTitle(s, lines, candidates);
        return titleLine >= 0 ? s[titleStart..] : s;
    }

    private static string NormalizeLineBreaks(string text)
    {
        var s = text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        return s.Contains('\r', StringComparison.Ordinal)
            ? s.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n')
            : s;
    }

    private static int FirstNonBlankLine(string s, Lines lines)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            for (var p = lines.Start[i]; p < lines.End[i]; p++)
            {
                if (!OutlineHeadings.IsSpace(s[p]))
                {
                    return i;
                }
            }
        }

        return -1;
    }

    /// <summary>
    /// The title is the first non-blank line when it has no outline number, reads like a title (at most
    /// <see cref="MaxTitleLength"/> characters, no 。, not ending in punctuation such as ，：；, not a date or a
    /// closing formula) and more text follows. A first line like "2020年上半年，X县……如下：" is the lead.
    /// </summary>
    private static (int Line, int Start, int End) FindTitle(string s, Lines lines, OutlineHeading?[] candidates)
    {
        var line = FirstNonBlankLine(s, lines);
        if (line < 0 || candidates[line] is not null)
        {
            return (-1, 0, 0);
        }

        var start = lines.Start[line];
        var end = lines.End[line];
        while (OutlineHeadings.IsSpace(s[start]))
        {
            start++;
        }

        while (OutlineHeadings.IsSpace(s[end - 1]))
        {
            end--;
        }

        var t = s.AsSpan(start, end - start);
        if (t.Length > MaxTitleLength || t.Contains('。') || NotTitleEndings.Contains(t[^1], StringComparison.Ordinal))
        {
            return (-1, 0, 0);
        }

        var trimmedTitle = t.ToString();
        if (OutlineClosing.IsDate(trimmedTitle) || OutlineClosing.IsFormula(trimmedTitle))
        {
            return (-1, 0, 0);
        }

        for (var p = end; p < s.Length; p++)
        {
            if (!OutlineHeadings.IsSpace(s[p]))
            {
                return (line, start, end);
            }
        }

        return (-1, 0, 0);
    }

    private static string TrimSpaces(string s, int start, int end)
    {
        while (start < end && OutlineHeadings.IsSpace(s[start]))
        {
            start++;
        }

        while (end > start && OutlineHeadings.IsSpace(s[end - 1]))
        {
            end--;
        }

        return s[start..end];
    }

    private static List<OutlineSection> BuildTree(
        string s, Lines lines, OutlineHeading?[] candidates, List<int> headingLines, int closingStart, List<OutlineWarning> warnings)
    {
        var root = new Node(default, 0, 0, 0);
        var stack = new List<Node> { root };
        for (var k = 0; k < headingLines.Count; k++)
        {
            var lineIndex = headingLines[k];
            var h = candidates[lineIndex]!.Value;
            var bodyEnd = k + 1 < headingLines.Count ? lines.Start[headingLines[k + 1]] : closingStart;
            var node = new Node(h, lineIndex + 1, h.End, bodyEnd);
            while (stack.Count > 1 && stack[^1].Heading.Level >= h.Level)
            {
                stack.RemoveAt(stack.Count - 1);
            }

            var parent = stack[^1];
            CheckNumbering(parent, node, warnings);
            if (parent != root && h.Level > parent.Heading.Level + 1 && !parent.SkipReported)
            {
                parent.SkipReported = true; // once per parent: its later children skip the same level
                var missing = ExampleNumber(parent.Heading.Level + 1);
                warnings.Add(OutlineWarningTexts.Create(
                    node.Line, "level-skipped", "level-skipped", h.Number, node.Line, parent.Heading.Number, parent.Line, parent.Heading.Level + 1, missing));
            }

            parent.Children.Add(node);
            stack.Add(node);
        }

        var parts = new List<OutlineSection>(root.Children.Count);
        for (var i = 0; i < root.Children.Count; i++)
        {
            parts.Add(ToSection(s, root.Children[i], (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), warnings));
        }

        return parts;
    }

    private static OutlineSection ToSection(string s, Node node, string id, List<OutlineWarning> warnings)
    {
        var children = new List<OutlineSection>(node.Children.Count);
        for (var i = 0; i < node.Children.Count; i++)
        {
            children.Add(ToSection(s, node.Children[i], $"{id}.{i + 1}", warnings));
        }

        var markers = OutlineInlineItems.Find(s, node.BodyStart, node.BodyEnd, node.Line);
        CheckItemOrder(markers, warnings);
        var h = node.Heading;
        return new OutlineSection(
            id,
            h.Level,
            h.Number,
            h.Title,
            s[h.Start..h.End],
            h.SharesLine,
            s[node.BodyStart..node.BodyEnd],
            node.Line,
            children,
            markers.ConvertAll(m => m.Item));
    }

    private static string ExampleNumber(int level) => level switch
    {
        1 => "一、",
        2 => "（一）",
        3 => "1.",
        _ => "（1）",
    };

    /// <summary>Siblings of one level under one parent count 1, 2, 3 …: a jump is a gap, a number seen before a repeat.</summary>
    private static void CheckNumbering(Node parent, Node node, List<OutlineWarning> warnings)
    {
        var h = node.Heading;
        parent.Sequences ??= [];
        if (!parent.Sequences.TryGetValue(h.Level, out var seq))
        {
            seq = new Sequence();
            parent.Sequences[h.Level] = seq;
            if (h.Value != 1)
            {
                var first = OutlineNumerals.Renumber(h.Number, 1);
                warnings.Add(OutlineWarningTexts.Create(node.Line, "numbering-gap", "numbering-start", h.Number, node.Line, first));
            }
        }
        else if (h.Value > seq.Last + 1)
        {
            warnings.Add(h.Value == seq.Last + 2
                ? OutlineWarningTexts.Create(node.Line, "numbering-gap", "numbering-jump-one", seq.LastNumber!, h.Number, node.Line, OutlineNumerals.Renumber(h.Number, seq.Last + 1))
                : OutlineWarningTexts.Create(
                    node.Line, "numbering-gap", "numbering-jump-many", seq.LastNumber!, h.Number, node.Line,
                    OutlineNumerals.Renumber(h.Number, seq.Last + 1), OutlineNumerals.Renumber(h.Number, h.Value - 1)));
        }
        else if (h.Value <= seq.Last)
        {
            var expected = OutlineNumerals.Renumber(h.Number, seq.Last + 1);
            warnings.Add(seq.Seen.TryGetValue(h.Value, out var firstLine)
                ? OutlineWarningTexts.Create(node.Line, "numbering-repeat", "numbering-repeat", h.Number, firstLine, node.Line, expected)
                : OutlineWarningTexts.Create(node.Line, "numbering-gap", "numbering-back", seq.LastNumber!, h.Number, node.Line, expected));
        }

        seq.Last = h.Value;
        seq.LastNumber = h.Number;
        seq.Seen.TryAdd(h.Value, node.Line);
    }

    /// <summary>
    /// 一是 二是 三是 (or 第一， 第二，) in order. An enumeration that starts again at 一是 inside one section's own text
    /// is said too: a second series often belongs to another section or to the closing.
    /// </summary>
    private static void CheckItemOrder(List<OutlineInlineMarker> markers, List<OutlineWarning> warnings)
    {
        if (markers.Count == 0)
        {
            return;
        }

        var last = new Dictionary<char, OutlineInlineMarker>();
        var seriesStart = new Dictionary<char, OutlineInlineMarker>();
        foreach (var m in markers)
        {
            if (!last.TryGetValue(m.Family, out var prev))
            {
                seriesStart[m.Family] = m;
                if (m.Value != 1)
                {
                    warnings.Add(OutlineWarningTexts.Create(
                        m.Item.Line, "item-order", "items-start", m.Item.Marker, m.Item.Line, OutlineNumerals.Renumber(m.Item.Marker, 1)));
                }
            }
            else if (m.Value == 1)
            {
                warnings.Add(OutlineWarningTexts.Create(
                    m.Item.Line, "items-restart", "items-restart", m.Item.Marker, m.Item.Line, prev.Item.Marker, prev.Item.Line, seriesStart[m.Family].Item.Line));
                seriesStart[m.Family] = m;
            }
            else if (m.Value != prev.Value + 1)
            {
                var expected = OutlineNumerals.Renumber(m.Item.Marker, prev.Value + 1);
                warnings.Add(m.Value > prev.Value + 1
                    ? OutlineWarningTexts.Create(m.Item.Line, "item-order", "items-jump", prev.Item.Marker, prev.Item.Line, m.Item.Marker, m.Item.Line, expected)
                    : OutlineWarningTexts.Create(m.Item.Line, "item-order", "items-back", m.Item.Marker, m.Item.Line, prev.Item.Marker, prev.Item.Line, expected));
            }

            last[m.Family] = m;
        }
    }

    /// <summary>
    /// （一） and (二) at the same level: the style used less often is reported once, at its first heading (on a tie,
    /// the style that came second).
    /// </summary>
    private static void CheckBrackets(OutlineHeading?[] candidates, List<int> headingLines, List<OutlineWarning> warnings)
    {
        foreach (var level in (ReadOnlySpan<int>)[2, 4])
        {
            int full = 0, half = 0, firstFull = -1, firstHalf = -1;
            foreach (var i in headingLines)
            {
                var h = candidates[i]!.Value;
                if (h.Level != level)
                {
                    continue;
                }

                if (h.HalfWidth)
                {
                    half++;
                    firstHalf = firstHalf < 0 ? i : firstHalf;
                }
                else
                {
                    full++;
                    firstFull = firstFull < 0 ? i : firstFull;
                }
            }

            if (full == 0 || half == 0)
            {
                continue;
            }

            var minorityHalf = half < full || (half == full && firstHalf > firstFull);
            var line = minorityHalf ? firstHalf : firstFull;
            var number = candidates[line]!.Value.Number;
            warnings.Add(OutlineWarningTexts.Create(
                line + 1, "mixed-brackets", minorityHalf ? "brackets-half" : "brackets-full", number, line + 1, minorityHalf ? full : half, level));
        }
    }

    private sealed class Sequence
    {
        public int Last { get; set; }

        public string LastNumber { get; set; } = "";

        public Dictionary<int, int> Seen { get; } = [];
    }

    private sealed class Node(OutlineHeading heading, int line, int bodyStart, int bodyEnd)
    {
        public OutlineHeading Heading { get; } = heading;

        public int Line { get; } = line;

        public int BodyStart { get; } = bodyStart;

        public int BodyEnd { get; } = bodyEnd;

        public List<Node> Children { get; } = [];

        public Dictionary<int, Sequence>? Sequences { get; set; }

        public bool SkipReported { get; set; }
    }

    /// <summary>Line i is [Start[i], End[i]) without its "\n"; a text ending in "\n" has an empty last line.</summary>
    private sealed class Lines
    {
        public Lines(string s)
        {
            var starts = new List<int> { 0 };
            var ends = new List<int>();
            var p = 0;
            while (true)
            {
                var nl = s.IndexOf('\n', p);
                if (nl < 0)
                {
                    ends.Add(s.Length);
                    break;
                }

                ends.Add(nl);
                starts.Add(nl + 1);
                p = nl + 1;
            }

            Start = [.. starts];
            End = [.. ends];
        }

        public int Count => Start.Length;

        public int[] Start { get; }

        public int[] End { get; }
    }
}
