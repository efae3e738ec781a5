namespace Workflow.Activities.Documents;

/// <summary>
/// Reads Markdown as the plain text of a report: heading marks (#), bold marks (**), backslash escapes and
/// the draft note of our own export are markup, not words, so they go before the outline is parsed.
/// </summary>
public static class MarkdownText
{
    public static string ToPlain(string markdown)
    {
        var lines = new List<string>();
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw;
            if (line.StartsWith('>'))
            {
                if (line.Contains(DocxLayout.DraftMark, StringComparison.Ordinal))
                {
                    continue;
                }

                line = line.TrimStart('>').TrimStart(' ');
            }

            var hashes = line.TakeWhile(c => c == '#').Count();
            if (hashes is > 0 and <= 6 && line.Length > hashes && line[hashes] == ' ')
            {
                line = line[(hashes + 1)..];
            }

            lines.Add(Unescape(line.Replace("**", "", StringComparison.Ordinal)));
        }

        return string.Join('\n', lines);
    }

    private static string Unescape(string line)
    {
        if (!line.Contains('\\', StringComparison.Ordinal))
        {
            return line;
        }

        var chars = new List<char>(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length && char.IsAsciiLetterOrDigit(line[i + 1]) is false && line[i + 1] <= '~' && line[i + 1] > ' ')
            {
                i++;
            }

            chars.Add(line[i]);
        }

        return new string([.. chars]);
    }
}
