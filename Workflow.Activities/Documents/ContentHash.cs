using System.Security.Cryptography;
using System.Text;

namespace Workflow.Activities.Documents;

/// <summary>
/// SHA-256 of the normalised text, so that a decision is bound to what a reader sees and not to
/// invisible differences: line endings, trailing spaces, Unicode composition, a byte-order mark.
/// </summary>
public static class ContentHash
{
    public static string Normalize(string text)
    {
        var t = text.Replace("\uFEFF", "", StringComparison.Ordinal).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var lines = t.Split('\n').Select(l => l.TrimEnd());
        // Never throws: text stored before characters were checked must still hash (and export, and be edited).
        return StoredText.NormalizeC(string.Join('\n', lines).Trim('\n'));
    }

    public static string Of(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(text))));
}
