using System.Text;

namespace Workflow.Activities.Documents;

/// <summary>
/// Turns the bytes of an uploaded text file into text. Government files are often GB18030 (GBK) rather
/// than UTF-8, and carry no marker saying so: a byte-order mark decides first, then strict UTF-8, and
/// what is not valid UTF-8 is read as GB18030, which can decode any byte sequence.
/// </summary>
public static class TextDecoder
{
    static TextDecoder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static (string Text, string Encoding) Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (Strict(new UTF8Encoding(false, true), bytes[3..], "utf-8"), "utf-8-bom");
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return (Strict(new UnicodeEncoding(false, false, true), bytes[2..], "utf-16le"), "utf-16le");
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (Strict(new UnicodeEncoding(true, false, true), bytes[2..], "utf-16be"), "utf-16be");
        }

        try
        {
            return (new UTF8Encoding(false, true).GetString(bytes), "utf-8");
        }
        catch (DecoderFallbackException)
        {
            var gb = Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            return (Strict(gb, bytes, "GB18030"), "gb18030");
        }
    }

    /// <summary>
    /// Control characters other than tab and line breaks (form feeds, a DOS end-of-file mark at the end of an
    /// old GB file) carry no text and are not allowed in a .docx, so they become spaces or vanish at the end.
    /// </summary>
    public static string WithoutControls(string text)
    {
        if (!text.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')))
        {
            return text;
        }

        var chars = text.Select(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r') ? ' ' : c).ToArray();
        return new string(chars).TrimEnd(' ');
    }

    private static string Strict(Encoding encoding, ReadOnlySpan<byte> bytes, string name)
    {
        try
        {
            return encoding.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new DocumentRejectedException("bad-encoding", $"The file is not valid {name} text (byte {ex.Index} cannot be decoded); save it as UTF-8 or GB18030 and try again.");
        }
    }
}
