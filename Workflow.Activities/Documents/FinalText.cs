using System.Text;

namespace Workflow.Activities.Documents;

/// <summary>
/// The assembled text a 签发 is bound to: title (the clerk's line breaks aside), addressee, lead, every heading and
/// body in outline order, closing and issuer, one paragraph a line. Its own fixed form — not an export's — so a
/// change of layout never changes what a signature stands for; the signing date is not part of it (it is decided by
/// signing).
/// </summary>
public static class FinalText
{
    public static string Of(ReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var sb = new StringBuilder();
        void Line(string? text)
        {
            var t = (text ?? "").Trim();
            if (t.Length > 0)
            {
                sb.Append(t).Append('\n');
            }
        }

        Line(string.Concat((doc.Title ?? "").Split('\n').Select(l => l.Trim())));
        Line(string.IsNullOrWhiteSpace(doc.Addressee) ? null : doc.Addressee.Trim() + "：");
        foreach (var p in (doc.Lead ?? "").Split('\n'))
        {
            Line(p);
        }

        foreach (var block in doc.Blocks ?? [])
        {
            Line(block.Number + block.Title);
            foreach (var p in block.Body.Split('\n'))
            {
                Line(p);
            }
        }

        foreach (var p in (doc.Closing ?? "").Split('\n'))
        {
            Line(p);
        }

        Line(doc.Issuer);
        return sb.ToString();
    }

    public static string HashOf(ReportDocument doc) => ContentHash.Of(Of(doc));

    /// <summary>The title a final text was signed with: its first line.</summary>
    public static string TitleOf(string finalText)
    {
        ArgumentNullException.ThrowIfNull(finalText);
        var end = finalText.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? finalText : finalText[..end]).Trim();
    }
}
