using System.Text;
using L = Workflow.Activities.Documents.DocxLayout;

namespace Workflow.Activities.Documents;

/// <summary>
/// The assembled report as plain text (one paragraph a line, as such reports are typed) and as Markdown
/// (headings by outline level, user text escaped so it is never read as markup). Both carry the 主送机关 under
/// the title and the 落款 (发文机关署名, 成文日期) at the end; only a draft starts with 【征求意见稿】.
/// </summary>
public static class TextExporter
{
    public const string DraftLine = "【" + L.DraftMark + "】";

    public static string ToPlainText(ReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var lines = new List<string>();
        if (doc.Draft)
        {
            lines.Add(DraftLine);
        }

        // The title on one line, as the importer reads it: the clerk's break is a layout mark of the .docx.
        lines.Add(TitleLines.Joined(doc.Title));
        lines.Add("");
        if (L.AddresseeLine(doc.Addressee) is { } addressee)
        {
            lines.Add(addressee);
        }

        lines.AddRange(L.Paragraphs(doc.Lead));
        foreach (var block in doc.Blocks ?? [])
        {
            var body = L.Paragraphs(block.Body);
            var skip = 0;
            if (L.HasHeading(block))
            {
                if (block.InlineHeading && body.Count > 0)
                {
                    lines.Add(L.HeadingText(block) + L.InlineTerminator(block) + body[0]);
                    skip = 1;
                }
                else
                {
                    lines.Add(L.HeadingText(block));
                }
            }

            lines.AddRange(body.Skip(skip));
        }

        var closing = L.Closing(doc);
        lines.AddRange(closing.Text);
        lines.AddRange(new[] { closing.Issuer, closing.Date }.OfType<string>());
        return string.Join('\n', lines) + "\n";
    }

    public static string ToMarkdown(ReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var blocks = new List<string>();
        if (doc.Draft)
        {
            blocks.Add("> " + DraftLine);
        }

        blocks.Add("# " + Heading(TitleLines.Joined(doc.Title)));
        if (L.AddresseeLine(doc.Addressee) is { } addressee)
        {
            blocks.Add(Escape(addressee));
        }

        blocks.AddRange(L.Paragraphs(doc.Lead).Select(Escape));
        foreach (var block in doc.Blocks ?? [])
        {
            var body = L.Paragraphs(block.Body);
            var skip = 0;
            if (L.HasHeading(block))
            {
                var heading = L.HeadingText(block);
                if (block.InlineHeading && body.Count > 0)
                {
                    // "**（一）标题**。正文": CommonMark does not close "**" between "。" and a letter
                    // (the run is not right-flanking), so the sentence mark stays outside the emphasis.
                    var terminator = L.InlineTerminator(block);
                    if (terminator.Length == 0 && heading.Length > 1)
                    {
                        terminator = heading[^1].ToString();
                        heading = heading[..^1];
                    }

                    blocks.Add("**" + EscapeInline(heading) + "**" + EscapeInline(terminator) + EscapeInline(body[0]));
                    skip = 1;
                }
                else
                {
                    var marks = new string('#', Math.Min(L.ClampLevel(block.Level) + 1, 6));
                    blocks.Add(marks + " " + Heading(heading));
                }
            }

            blocks.AddRange(body.Skip(skip).Select(Escape));
        }

        var closing = L.Closing(doc);
        blocks.AddRange(closing.Text.Select(Escape));
        blocks.AddRange(new[] { closing.Issuer, closing.Date }.OfType<string>().Select(Escape));
        return string.Join("\n\n", blocks) + "\n";
    }

    /// <summary>Heading content: escaped inline ("#" included, so a trailing "#" is not an ATX closing sequence).</summary>
    private static string Heading(string text) => EscapeInline(text);

    /// <summary>
    /// One paragraph of user text made inert: inline markup characters are backslash-escaped, and a line start
    /// that would open a block (-, +, =, 1. / 1), indentation; #, > and fences are escaped inline) is neutralised.
    /// </summary>
    private static string Escape(string text)
    {
        var line = EscapeInline(text.TrimStart(' ', '\t'));
        if (line.Length == 0)
        {
            return line;
        }

        if (line[0] is '-' or '+' or '=')
        {
            return "\\" + line;
        }

        var digits = 0;
        while (digits < line.Length && digits < 10 && char.IsAsciiDigit(line[digits]))
        {
            digits++;
        }

        if (digits > 0 && digits < line.Length && line[digits] is '.' or ')')
        {
            return line[..digits] + "\\" + line[digits..];
        }

        return line;
    }

    /// <summary>Backslash-escapes the characters that start inline markup: \ ` * _ [ ] &lt; &gt; ! ~ &amp; and #.</summary>
    private static string EscapeInline(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '!' or '~' or '&' or '#' or '|')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
