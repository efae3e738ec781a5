using System.Text;

namespace Workflow.Host.Features.Audit;

/// <summary>RFC 4180 cells and rows, safe to open in a spreadsheet.</summary>
public static class Csv
{
    /// <summary>
    /// A cell quoted when it holds a separator, quote or line break. Text a spreadsheet would run as a formula
    /// (starting with =, +, -, @, tab or CR) gets a leading apostrophe, so an opinion like =HYPERLINK(…) stays text.
    /// </summary>
    public static string Cell(string? value)
    {
        var v = value ?? "";
        if (v.Length > 0 && v[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            v = "'" + v;
        }

        return v.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
    }

    /// <summary>One record, ended with CRLF as RFC 4180 asks.</summary>
    public static string Row(params IEnumerable<string?> cells)
    {
        var sb = new StringBuilder();
        var first = true;
        foreach (var c in cells)
        {
            if (!first)
            {
                sb.Append(',');
            }

            sb.Append(Cell(c));
            first = false;
        }

        return sb.Append("\r\n").ToString();
    }
}
