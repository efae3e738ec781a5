using System.Globalization;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Workflow.Activities.Documents;

/// <summary>Paragraph styles of a .docx by id, walked through basedOn for outline levels and numbering.</summary>
internal sealed class DocxStyleIndex
{
    private const int MaxDepth = 32;
    private readonly Dictionary<string, Style> byId = new(StringComparer.Ordinal);

    public DocxStyleIndex(Styles? styles)
    {
        foreach (var style in styles?.Elements<Style>() ?? [])
        {
            var id = style.StyleId?.Value;
            if (id is null || (style.Type is not null && style.Type.InnerText != "paragraph"))
            {
                continue;
            }

            byId.TryAdd(id, style);
            if (style.Default?.Value == true && DefaultParagraphStyleId is null)
            {
                DefaultParagraphStyleId = id;
            }
        }
    }

    public string? DefaultParagraphStyleId { get; }

    /// <summary>The style and its basedOn ancestors, nearest first; cycles and absurd depths are cut.</summary>
    public IEnumerable<Style> Chain(string? styleId)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (styleId is not null && seen.Count < MaxDepth && seen.Add(styleId) && byId.TryGetValue(styleId, out var style))
        {
            yield return style;
            styleId = style.BasedOn?.Val?.Value;
        }
    }

    public int? OutlineLevel(string? styleId)
    {
        foreach (var style in Chain(styleId))
        {
            var level = style.StyleParagraphProperties?.OutlineLevel?.Val?.Value;
            if (level is not null)
            {
                return level is >= 0 and <= 8 ? level : null;
            }

            var builtIn = BuiltInHeading(style.StyleName?.Val?.Value) ?? BuiltInHeading(style.StyleId?.Value);
            if (builtIn is not null)
            {
                return builtIn;
            }
        }

        return null;
    }

    /// <summary>"heading 1" / "Heading1" / "标题 1" / "标题1" → 0 … level 9 → 8.</summary>
    private static int? BuiltInHeading(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var n = name.Replace(" ", "", StringComparison.Ordinal);
        foreach (var prefix in new[] { "heading", "标题" })
        {
            if (n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                && n.Length == prefix.Length + 1
                && int.TryParse(n.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var level)
                && level is >= 1 and <= 9)
            {
                return level - 1;
            }
        }

        return null;
    }

    /// <summary>Numbering a paragraph gets through its style: the nearest numId and the nearest ilvl in the chain.</summary>
    public (int? NumId, int? Level) Numbering(string? styleId)
    {
        int? numId = null;
        int? level = null;
        foreach (var style in Chain(styleId))
        {
            var numPr = style.StyleParagraphProperties?.NumberingProperties;
            numId ??= numPr?.NumberingId?.Val?.Value;
            level ??= numPr?.NumberingLevelReference?.Val?.Value;
            if (numId is not null && level is not null)
            {
                break;
            }
        }

        return (numId, level);
    }
}
