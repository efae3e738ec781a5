using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Workflow.Tests.SqlServer;

/// <summary>
/// Answers a recorded command with rows made from a few seeded entities, so the product's code goes past its first
/// read and issues the queries that follow. WHERE clauses are not evaluated: a result has as many rows as the most
/// seeded table it reads from (the others repeat their last row), as the answer only has to be well typed, not true.
/// A column it cannot work out leaves that result empty.
/// Aggregates and EXISTS answer zero and false, as an empty database would; OUTPUT clauses answer one row, so a
/// save that checks its concurrency token succeeds.
/// </summary>
public sealed class CannedRows
{
    private readonly Dictionary<Type, List<object>> seeds = [];

    public void Seed(params object[] rows)
    {
        foreach (var row in rows)
        {
            (seeds.TryGetValue(row.GetType(), out var list) ? list : seeds[row.GetType()] = []).Add(row);
        }
    }

    public static DbDataReader Nothing() => new DataTableReader(new DataTable());

    public DbDataReader Answer(TSqlScript script, IModel model)
    {
        var results = new List<DataTable>();
        foreach (var statement in script.Batches.SelectMany(b => b.Statements))
        {
            var answer = new Statement(this, model, statement);
            if (statement is SelectStatement { Into: null } select)
            {
                results.Add(answer.Select(select.QueryExpression));
            }
            else if (Modification(statement)?.OutputClause is { } output)
            {
                results.Add(answer.Output(output));
            }
        }

        return results.Count == 0 ? Nothing() : new DataTableReader([.. results]);
    }

    private static DataModificationSpecification? Modification(TSqlStatement statement) => statement switch
    {
        InsertStatement i => i.InsertSpecification,
        UpdateStatement u => u.UpdateSpecification,
        DeleteStatement d => d.DeleteSpecification,
        MergeStatement m => m.MergeSpecification,
        _ => null,
    };

    /// <summary>One statement with its table aliases, which every column reference is resolved through.</summary>
    private sealed class Statement : TSqlFragmentVisitor
    {
        private readonly CannedRows canned;
        private readonly IRelationalModel model;
        private readonly Dictionary<string, TableReferenceWithAlias> aliases = new(StringComparer.OrdinalIgnoreCase);
        private readonly string? target;

        // Which row is being made, and how many the seeded tables read so far call for.
        private int row;
        private int rowCount = 1;

        public Statement(CannedRows canned, IModel model, TSqlStatement statement)
        {
            this.canned = canned;
            this.model = model.GetRelationalModel();
            statement.Accept(this);
            target = (Modification(statement)?.Target as NamedTableReference)?.SchemaObject.BaseIdentifier.Value;
        }

        public override void ExplicitVisit(NamedTableReference node)
        {
            aliases[node.Alias?.Value ?? node.SchemaObject.BaseIdentifier.Value] = node;
            base.ExplicitVisit(node);
        }

        public override void ExplicitVisit(QueryDerivedTable node)
        {
            if (node.Alias is not null)
            {
                aliases[node.Alias.Value] = node;
            }

            base.ExplicitVisit(node);
        }

        public DataTable Select(QueryExpression query)
        {
            var specification = Specification(query);
            var elements = specification?.SelectElements ?? [];
            // FirstOrDefault is TOP(1), and EF then expects at most one row.
            var top = specification?.TopRowFilter?.Expression switch
            {
                IntegerLiteral i => int.Parse(i.Value, CultureInfo.InvariantCulture),
                ParenthesisExpression { Expression: IntegerLiteral i } => int.Parse(i.Value, CultureInfo.InvariantCulture),
                _ => int.MaxValue,
            };
            return Rows(top, () =>
            {
                var values = new List<Value>();
                foreach (var element in elements)
                {
                    if (element is not SelectScalarExpression scalar || Resolve(scalar.Expression, defaults: false) is not { } value)
                    {
                        return null;
                    }

                    values.Add(value);
                }

                return values;
            });
        }

        public DataTable Output(OutputClause output) => Rows(1, () =>
            [.. output.SelectColumns.Select(e => e is SelectScalarExpression scalar && Resolve(scalar.Expression, defaults: true) is { } value ? value : new Value(typeof(int), 1))]);

        /// <summary>The first row tells how many rows there are (and their column types); null for an empty result.</summary>
        private DataTable Rows(int most, Func<List<Value>?> next)
        {
            var table = new DataTable();
            (row, rowCount) = (0, 1);
            if (next() is not { } first)
            {
                return table;
            }

            for (var i = 0; i < first.Count; i++)
            {
                table.Columns.Add(new DataColumn($"c{i}", first[i].Type) { AllowDBNull = true });
            }

            table.Rows.Add([.. first.Select(v => v.Data ?? DBNull.Value)]);
            for (row = 1; row < Math.Min(rowCount, most); row++)
            {
                table.Rows.Add([.. next()!.Select(v => v.Data ?? DBNull.Value)]);
            }

            return table;
        }

        private static QuerySpecification? Specification(QueryExpression? query) => query switch
        {
            QuerySpecification s => s,
            QueryParenthesisExpression p => Specification(p.QueryExpression),
            BinaryQueryExpression b => Specification(b.FirstQueryExpression),
            _ => null,
        };

        private Value? Resolve(ScalarExpression? expression, bool defaults) => expression switch
        {
            ColumnReferenceExpression { MultiPartIdentifier.Identifiers: { Count: >= 2 } parts } =>
                Column(parts[^2].Value, parts[^1].Value, defaults),
            ColumnReferenceExpression { MultiPartIdentifier.Identifiers: [var only] } when target is not null =>
                FromTable(target, only.Value, defaults),
            IntegerLiteral i => new Value(typeof(int), int.Parse(i.Value, CultureInfo.InvariantCulture)),
            StringLiteral s => new Value(typeof(string), s.Value),
            CastCall c => Typed(c.DataType, c.Parameter),
            ConvertCall c => Typed(c.DataType, c.Parameter),
            FunctionCall { FunctionName.Value: var name } when name.Equals("COUNT", StringComparison.OrdinalIgnoreCase) => new Value(typeof(int), 0),
            FunctionCall { FunctionName.Value: var name } when name.Equals("COUNT_BIG", StringComparison.OrdinalIgnoreCase) => new Value(typeof(long), 0L),
            SearchedCaseExpression c => Resolve(c.ElseExpression ?? c.WhenClauses[0].ThenExpression, defaults),
            SimpleCaseExpression c => Resolve(c.ElseExpression ?? c.WhenClauses[0].ThenExpression, defaults),
            CoalesceExpression c => Resolve(c.Expressions[0], defaults),
            ParenthesisExpression p => Resolve(p.Expression, defaults),
            BinaryExpression b => Resolve(b.FirstExpression, defaults) is { } first && Resolve(b.SecondExpression, defaults)?.Type == first.Type ? first : null,
            ScalarSubquery q => Specification(q.QueryExpression)?.SelectElements is [SelectScalarExpression inner, ..] ? Resolve(inner.Expression, defaults) : null,
            _ => null,
        };

        /// <summary>[alias].[column]: a table's column, or the column of a subquery in FROM, followed inside it.</summary>
        private Value? Column(string alias, string column, bool defaults)
        {
            if (alias.Equals("INSERTED", StringComparison.OrdinalIgnoreCase) || alias.Equals("DELETED", StringComparison.OrdinalIgnoreCase))
            {
                return target is null ? null : FromTable(target, column, defaults);
            }

            return aliases.GetValueOrDefault(alias) switch
            {
                NamedTableReference table => FromTable(table.SchemaObject.BaseIdentifier.Value, column, defaults),
                QueryDerivedTable derived => Specification(derived.QueryExpression)?.SelectElements
                    .OfType<SelectScalarExpression>()
                    .Where(e => OutputName(e)?.Equals(column, StringComparison.OrdinalIgnoreCase) == true)
                    .Select(e => Resolve(e.Expression, defaults))
                    .FirstOrDefault(),
                _ => null,
            };
        }

        private static string? OutputName(SelectScalarExpression e) =>
            e.ColumnName?.Value ?? (e.Expression as ColumnReferenceExpression)?.MultiPartIdentifier.Identifiers[^1].Value;

        /// <summary>The seeded entity's value for a column, in the form the provider stores it (after value converters).</summary>
        private Value? FromTable(string tableName, string columnName, bool defaults)
        {
            var column = model.FindTable(tableName, null)?.FindColumn(columnName);
            if (column is null)
            {
                return null;
            }

            var mapping = column.PropertyMappings.First();
            var converter = mapping.TypeMapping.Converter;
            var type = converter?.ProviderClrType ?? mapping.Property.ClrType;
            type = Nullable.GetUnderlyingType(type) ?? type;
            var seeded = column.PropertyMappings
                .Select(m => (m.Property, Rows: canned.seeds.GetValueOrDefault(m.Property.DeclaringType.ClrType)))
                .FirstOrDefault(m => m.Rows is not null);
            if (seeded.Rows is null)
            {
                return defaults ? new Value(type, DefaultOf(type)) : null;
            }

            rowCount = Math.Max(rowCount, seeded.Rows.Count);
            var value = seeded.Property.PropertyInfo!.GetValue(seeded.Rows[Math.Min(row, seeded.Rows.Count - 1)]);
            return new Value(type, value is null || converter is null ? value : converter.ConvertToProvider(value));
        }

        private static Value? Typed(DataTypeReference dataType, ScalarExpression parameter)
        {
            if (dataType is not SqlDataTypeReference sql || ClrType(sql.SqlDataTypeOption) is not { } type)
            {
                return null;
            }

            if (parameter is IntegerLiteral literal)
            {
                return new Value(type, type == typeof(bool) ? literal.Value != "0" : Convert.ChangeType(literal.Value, type, CultureInfo.InvariantCulture));
            }

            return new Value(type, DefaultOf(type));
        }

        private static Type? ClrType(SqlDataTypeOption option) => option switch
        {
            SqlDataTypeOption.Bit => typeof(bool),
            SqlDataTypeOption.TinyInt => typeof(byte),
            SqlDataTypeOption.SmallInt => typeof(short),
            SqlDataTypeOption.Int => typeof(int),
            SqlDataTypeOption.BigInt => typeof(long),
            SqlDataTypeOption.Decimal or SqlDataTypeOption.Numeric or SqlDataTypeOption.Money => typeof(decimal),
            SqlDataTypeOption.Float => typeof(double),
            SqlDataTypeOption.Real => typeof(float),
            SqlDataTypeOption.NVarChar or SqlDataTypeOption.VarChar or SqlDataTypeOption.NChar or SqlDataTypeOption.Char => typeof(string),
            SqlDataTypeOption.UniqueIdentifier => typeof(Guid),
            _ => null,
        };

        private static object DefaultOf(Type type) => type == typeof(string) ? "" : Activator.CreateInstance(type)!;
    }

    private sealed record Value(Type Type, object? Data);
}
