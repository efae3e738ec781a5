using System.Buffers;
using System.Text;

namespace Workflow.Activities.Documents;

/// <summary>A character that text may not hold, with its 1-based position (line and column as an editor counts them).</summary>
public sealed record InvalidCharacter(int Position, int Line, int Column, int CodePoint)
{
    public string Name => CodePoint <= 0xFFFF ? $"U+{CodePoint:X4}" : $"U+{CodePoint:X}";

    public string Describe(string what) =>
        $"{what} holds the character {Name} at position {Position} (line {Line}, column {Column}), which a report cannot store: it is not allowed in a Word document or in Unicode text. Remove it and try again.";
}

/// <summary>
/// What may be stored as report text: only characters that XML 1.0 allows (so every export can be written) and that
/// Unicode normalisation accepts (so the content hash can be taken). One rule for the API, the pages and the importer.
/// </summary>
public static class StoredText
{
    /// <summary>The first character that cannot be stored, or null when the whole text can.</summary>
    public static InvalidCharacter? FindInvalid(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return FirstWhere(text, rune => !IsXmlChar(rune))
            // Anything XML allows is expected to normalise; should the runtime still refuse, name the refused character.
            ?? (TryNormalize(text, out _) ? null : FirstWhere(text, rune => !TryNormalize(char.ConvertFromUtf32(rune), out _)));
    }

    /// <summary>The first code point (or lone surrogate) that fails the test, with its position.</summary>
    private static InvalidCharacter? FirstWhere(string text, Func<int, bool> refused)
    {
        var (line, column) = (1, 1);
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) != OperationStatus.Done)
            {
                return new InvalidCharacter(i + 1, line, column, text[i]); // a lone surrogate
            }

            if (refused(rune.Value))
            {
                return new InvalidCharacter(i + 1, line, column, rune.Value);
            }

            (line, column) = rune.Value == '\n' ? (line + 1, 1) : (line, column + 1);
            i += used;
        }

        return null;
    }

    /// <summary>
    /// The text with every character XML cannot hold left out: the exporters' last guard, for text stored before the
    /// check existed, so an export never fails on what is in the database.
    /// </summary>
    public static string ForXml(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        var clean = true;
        for (var i = 0; i < text.Length && clean;)
        {
            clean = Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) == OperationStatus.Done && IsXmlChar(rune.Value);
            i += used;
        }

        if (clean)
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length;)
        {
            var status = Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used);
            if (status == OperationStatus.Done && IsXmlChar(rune.Value))
            {
                result.Append(text, i, used);
            }

            i += Math.Max(1, used);
        }

        return result.ToString();
    }

    /// <summary>NFC that never throws: text a runtime refuses to normalise is normalised with the refused characters replaced by U+FFFD.</summary>
    public static string NormalizeC(string text)
    {
        if (TryNormalize(text, out var normalized))
        {
            return normalized;
        }

        var replaced = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            replaced.Append(TryNormalize(c.ToString(), out _) ? c : '\uFFFD');
        }

        return TryNormalize(replaced.ToString(), out normalized) ? normalized : replaced.ToString();
    }

    /// <summary>XML 1.0 Char: tab, line feed, carriage return, U+0020-U+D7FF, U+E000-U+FFFD, U+10000 and up.</summary>
    public static bool IsXmlChar(int codePoint) =>
        codePoint is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);

    private static bool TryNormalize(string text, out string normalized)
    {
        try
        {
            normalized = text.Normalize(NormalizationForm.FormC);
            return true;
        }
        catch (ArgumentException)
        {
            normalized = text;
            return false;
        }
    }
}
