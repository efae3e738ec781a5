using Microsoft.AspNetCore.Html;
using Workflow.Activities.Documents;

namespace Workflow.Host.Pages;

/// <summary>
/// Section text as markup for a <c>white-space: pre-wrap</c> box. Built in code rather than in a Razor loop because
/// the loop's indentation would become visible spaces and line breaks inside the text. Every piece of text goes
/// through <see cref="HtmlContentBuilder.Append(string)"/>, which encodes it; only the fixed tags are raw.
/// </summary>
public static class TextHtml
{
    /// <summary>The text with its missing figures marked.</summary>
    public static IHtmlContent WithPlaceholders(IEnumerable<(string Text, bool Missing)> segments)
    {
        var html = new HtmlContentBuilder();
        foreach (var (text, missing) in segments)
        {
            if (missing)
            {
                html.AppendHtml("<mark class=\"placeholder\">").Append(text).AppendHtml("</mark>");
            }
            else
            {
                html.Append(text);
            }
        }

        return html;
    }

    /// <summary>Tracked changes: insertions underlined, deletions struck through, each in its maker's colour slot.</summary>
    public static IHtmlContent Tracked(TrackedView view)
    {
        var html = new HtmlContentBuilder();
        foreach (var run in view.Runs)
        {
            if (run.Op == DiffOp.Equal)
            {
                html.Append(run.Text);
                continue;
            }

            var tag = run.Op == DiffOp.Insert ? "ins" : "del";
            var maker = view.Makers.FirstOrDefault(m => m.Id == run.AuthorId);
            html.AppendHtml($"<{tag} class=\"a{view.ColourOf(run.AuthorId)}\" title=\"")
                .Append(maker?.Name ?? "")
                .AppendHtml("\">")
                .Append(run.Text)
                .AppendHtml($"</{tag}>");
        }

        return html;
    }
}
