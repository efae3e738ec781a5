using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Workflow.Tests.SqlServer;

/// <summary>
/// The product supports SQL Server 2019 and 2022 (queries at compatibility level 150), so T-SQL must parse with
/// both versions' grammars: 2019's refuses syntax only 2022 knows, 2022's refuses words it newly reserves.
/// </summary>
public static class TSqlGrammars
{
    /// <summary>
    /// Parses with both grammars and returns 2022's tree. An error both grammars find is reported once with no
    /// version; one only a single grammar finds names it (e.g. "SQL Server 2019's grammar").
    /// </summary>
    public static TSqlFragment Parse(string sql, out List<(string? Only, ParseError Error)> errors)
    {
        using (var reader = new StringReader(sql))
        {
            new TSql150Parser(initialQuotedIdentifiers: true).Parse(reader, out var older);
            errors = [.. older.Select(e => ((string?)"SQL Server 2019's grammar", e))];
        }

        using var latest = new StringReader(sql);
        var fragment = new TSql160Parser(initialQuotedIdentifiers: true).Parse(latest, out var newer);
        foreach (var e in newer)
        {
            var same = errors.FindIndex(o => o.Error.Line == e.Line && o.Error.Column == e.Column && o.Error.Message == e.Message);
            if (same >= 0)
            {
                errors[same] = (null, e);
            }
            else
            {
                errors.Add(("SQL Server 2022's grammar", e));
            }
        }

        return fragment;
    }

    public static string Label(string? only) => only is null ? "" : $" ({only})";
}
