using System.Globalization;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Workflow.Tests.SqlServer;

/// <summary>
/// Checks offline, with Microsoft's T-SQL parser, what SQL Server would refuse in the idempotent migration
/// script EF Core writes: no SQL Server runs on these machines. The script is replayed on an empty database,
/// where every IF NOT EXISTS block runs, so the schema is tracked statement by statement in script order.
/// </summary>
public static class SqlServerScriptCheck
{
    /// <summary>Largest key of a clustered index or primary key, in bytes.</summary>
    public const int ClusteredKeyLimit = 900;

    /// <summary>Largest key of a nonclustered index or unique constraint, in bytes.</summary>
    public const int NonclusteredKeyLimit = 1700;

    /// <summary>
    /// Returns the problems found, each naming its table, column, index or foreign key; empty when the script
    /// is fine. <paramref name="identityColumns"/> holds "Table.Column" (or "Schema.Table.Column") entries
    /// that must be created with IDENTITY.
    /// </summary>
    public static IReadOnlyList<string> Check(string script, IReadOnlyCollection<string> identityColumns)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(identityColumns);
        var walker = new Walker();
        walker.Run(script);
        walker.CheckAtEnd(identityColumns);
        return walker.Problems;
    }

    private enum KeyKind
    {
        PrimaryKey,
        UniqueConstraint,
        Index,
    }

    private sealed record SqlType(string Text, bool IsLob, int? Bytes, bool CanBeIdentity);

    private sealed class ColumnInfo(string name, SqlType type)
    {
        public string Name { get; set; } = name;
        public SqlType Type { get; set; } = type;
        public bool Nullable { get; set; }
        public bool Identity { get; init; }
    }

    private sealed class KeyInfo(string name, KeyKind kind, bool unique, bool clustered)
    {
        public string Name { get; set; } = name;
        public KeyKind Kind { get; } = kind;
        public bool Unique { get; } = unique;
        public bool Clustered { get; } = clustered;
        public List<ColumnInfo> Keys { get; } = [];
        public List<ColumnInfo> Includes { get; } = [];

        // What was already reported for this index, so a later re-check does not repeat it.
        public HashSet<string> Reported { get; } = new(StringComparer.Ordinal);

        public bool IsConstraint => Kind != KeyKind.Index;

        public string Describe()
        {
            var what = Kind switch
            {
                KeyKind.PrimaryKey => "primary key",
                KeyKind.UniqueConstraint => "unique constraint",
                _ => Unique ? "unique index" : "index",
            };
            return $"{(Clustered ? "clustered" : "nonclustered")} {what} [{Name}]";
        }
    }

    private sealed class ForeignKeyInfo(string name, TableInfo child, TableInfo parent, DeleteUpdateAction onDelete, DeleteUpdateAction onUpdate)
    {
        public string Name { get; set; } = name;
        public TableInfo Child { get; } = child;
        public TableInfo Parent { get; } = parent;
        public List<ColumnInfo> Columns { get; } = [];
        public List<ColumnInfo> ParentColumns { get; } = [];
        public DeleteUpdateAction OnDelete { get; } = onDelete;
        public DeleteUpdateAction OnUpdate { get; } = onUpdate;

        // SQL Server would refuse it: kept so a later DROP CONSTRAINT finds it, left out of the cascade graph.
        public bool Refused { get; set; }
    }

    private sealed class TableInfo(string schema, string name)
    {
        public string Schema { get; } = schema;
        public string Name { get; set; } = name;
        public List<ColumnInfo> Columns { get; } = [];
        public List<KeyInfo> Keys { get; } = [];
        public List<ForeignKeyInfo> ForeignKeys { get; } = [];

        public string Display => SqlServerScriptCheck.Display(Schema, Name);

        public ColumnInfo? Column(string column) => Columns.Find(c => Same(c.Name, column));

        public KeyInfo? Key(string key) => Keys.Find(k => Same(k.Name, key));
    }

    private sealed class Walker : TSqlFragmentVisitor
    {
        private readonly Dictionary<string, TableInfo> tables = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> problems = [];

        // Columns added by ALTER TABLE earlier in the current batch, outside EXEC: SQL Server compiles a batch before
        // it runs any of it, so a data statement of the same batch naming one of them fails ("Invalid column name").
        private readonly List<(string Table, string Column)> addedInBatch = [];
        private int execDepth;

        // Lines of statements inside an EXEC string are counted from the line of that string.
        private int lineOffset;
        private int unnamed;

        public IReadOnlyList<string> Problems => problems;

        public void Run(string script) => Parse(script, null)?.Accept(this);

        public void CheckAtEnd(IReadOnlyCollection<string> identityColumns)
        {
            foreach (var table in tables.Values)
            {
                foreach (var key in table.Keys)
                {
                    CheckKey(table, key, "at the end of the script: ");
                }
            }

            foreach (var entry in identityColumns)
            {
                var dot = entry.LastIndexOf('.');
                if (dot <= 0 || dot == entry.Length - 1)
                {
                    problems.Add($"identity column \"{entry}\" is not written as Table.Column");
                    continue;
                }

                var parts = SplitName(entry[..dot]);
                var table = parts.Count switch
                {
                    1 => Find("dbo", parts[0]),
                    2 => Find(parts[0], parts[1]),
                    _ => null,
                };
                var columnName = entry[(dot + 1)..].Trim('[', ']');
                if (table is null)
                {
                    problems.Add($"identity column {entry}: the script creates no table [{string.Join("].[", parts)}]");
                }
                else if (table.Column(columnName) is not { } column)
                {
                    problems.Add($"identity column {entry}: table {table.Display} has no column [{columnName}]");
                }
                else if (!column.Identity)
                {
                    problems.Add($"identity column {table.Display}.[{column.Name}] is created without IDENTITY");
                }
            }
        }

        public override void Visit(CreateTableStatement node)
        {
            // CREATE TABLE AS SELECT and file tables have no definition; temporary tables are not schema.
            if (node.Definition is null || node.SchemaObjectName.BaseIdentifier.Value.StartsWith('#'))
            {
                return;
            }

            var line = Line(node);
            var (schema, name) = Name(node.SchemaObjectName);
            if (Find(schema, name) is { } existing)
            {
                problems.Add($"line {line}: CREATE TABLE {existing.Display}: the table already exists");
                return;
            }

            var table = new TableInfo(schema, name);
            tables.Add(TableKey(schema, name), table);
            AddElements(table, node.Definition, line);
        }

        public override void Visit(AlterTableAddTableElementStatement node)
        {
            if (Table(node.SchemaObjectName, Line(node), "ALTER TABLE") is { } table)
            {
                AddElements(table, node.Definition, Line(node));
                if (execDepth == 0)
                {
                    addedInBatch.AddRange(node.Definition.ColumnDefinitions.Select(c => (table.Display, c.ColumnIdentifier.Value)));
                }
            }
        }

        public override void Visit(TSqlBatch node)
        {
            if (execDepth == 0)
            {
                addedInBatch.Clear();
            }
        }

        public override void Visit(UpdateStatement node) => CheckCompiledWithBatch(node, "UPDATE");

        public override void Visit(InsertStatement node) => CheckCompiledWithBatch(node, "INSERT");

        public override void Visit(DeleteStatement node) => CheckCompiledWithBatch(node, "DELETE");

        public override void Visit(SelectStatement node) => CheckCompiledWithBatch(node, "SELECT");

        public override void Visit(MergeStatement node) => CheckCompiledWithBatch(node, "MERGE");

        private void CheckCompiledWithBatch(TSqlStatement node, string statement)
        {
            if (execDepth > 0 || addedInBatch.Count == 0)
            {
                return;
            }

            var named = new ColumnNames();
            node.Accept(named);
            foreach (var (table, column) in addedInBatch.Where(a => named.Names.Contains(a.Column)).Distinct())
            {
                problems.Add($"line {Line(node)}: {statement} names [{column}], which {table} gains earlier in the same batch; SQL Server compiles the batch before running it, so put the statement in EXEC(N'…') or after GO");
            }
        }

        private sealed class ColumnNames : TSqlFragmentVisitor
        {
            public HashSet<string> Names { get; } = new(StringComparer.OrdinalIgnoreCase);

            public override void Visit(ColumnReferenceExpression node)
            {
                if (node.MultiPartIdentifier?.Identifiers is { Count: > 0 } parts)
                {
                    Names.Add(parts[^1].Value);
                }
            }
        }

        public override void Visit(AlterTableAlterColumnStatement node)
        {
            // Without a data type it only changes an option (ROWGUIDCOL, SPARSE, masking ...).
            if (node.DataType is null)
            {
                return;
            }

            var line = Line(node);
            if (Table(node.SchemaObjectName, line, "ALTER TABLE") is not { } table)
            {
                return;
            }

            if (table.Column(node.ColumnIdentifier.Value) is not { } column)
            {
                problems.Add($"line {line}: ALTER COLUMN {table.Display}.[{node.ColumnIdentifier.Value}]: no such column");
                return;
            }

            column.Type = TypeOf(node.DataType);
            column.Nullable = node.AlterTableAlterColumnOption != AlterTableAlterColumnOption.NotNull;
            foreach (var key in table.Keys.Where(k => k.Keys.Contains(column)))
            {
                CheckKey(table, key, $"line {line}: after ALTER COLUMN {table.Display}.[{column.Name}] {column.Type.Text}, ");
            }
        }

        public override void Visit(AlterTableDropTableElementStatement node)
        {
            var line = Line(node);
            if (Table(node.SchemaObjectName, line, "ALTER TABLE") is not { } table)
            {
                return;
            }

            foreach (var element in node.AlterTableDropTableElements)
            {
                var name = element.Name.Value;
                switch (element.TableElementType)
                {
                    case TableElementType.Column:
                        DropColumn(table, name, element.IsIfExists, line);
                        break;
                    case TableElementType.Index:
                        DropIndex(table, name, element.IsIfExists, line);
                        break;
                    case TableElementType.Constraint or TableElementType.NotSpecified:
                        DropConstraint(table, name, line);
                        break;
                    default:
                        break;
                }
            }
        }

        public override void Visit(CreateIndexStatement node)
        {
            var line = Line(node);
            if (Table(node.OnName, line, $"CREATE INDEX [{node.Name.Value}]") is not { } table)
            {
                return;
            }

            var dropExisting = node.IndexOptions.OfType<IndexStateOption>()
                .Any(o => o.OptionKind == IndexOptionKind.DropExisting && o.OptionState == OptionState.On);
            if (dropExisting && table.Key(node.Name.Value) is { Kind: KeyKind.Index } old)
            {
                table.Keys.Remove(old);
            }

            var key = new KeyInfo(node.Name.Value, KeyKind.Index, node.Unique, node.Clustered ?? false);
            AddKey(table, key, node.Columns, node.IncludeColumns, line);
        }

        public override void Visit(DropIndexStatement node)
        {
            var line = Line(node);
            foreach (var clause in node.DropIndexClauses)
            {
                var (tableName, index) = clause switch
                {
                    DropIndexClause c => (c.Object, c.Index.Value),
                    BackwardsCompatibleDropIndexClause b => (b.Index, b.Index.ChildIdentifier.Value),
                    _ => (null, null),
                };
                if (tableName is not null && index is not null && Table(tableName, line, $"DROP INDEX [{index}]") is { } table)
                {
                    DropIndex(table, index, node.IsIfExists, line);
                }
            }
        }

        public override void Visit(DropTableStatement node)
        {
            var line = Line(node);
            foreach (var name in node.Objects)
            {
                var (schema, tableName) = Name(name);
                if (Find(schema, tableName) is not { } table)
                {
                    if (!node.IsIfExists && !tableName.StartsWith('#'))
                    {
                        problems.Add($"line {line}: DROP TABLE {Display(schema, tableName)}: no such table");
                    }

                    continue;
                }

                var referencing = tables.Values.Where(t => t != table)
                    .SelectMany(t => t.ForeignKeys)
                    .Where(fk => fk.Parent == table && !fk.Refused)
                    .ToList();
                if (referencing.Count > 0)
                {
                    problems.Add($"line {line}: DROP TABLE {table.Display}: still referenced by "
                        + string.Join(", ", referencing.Select(fk => $"foreign key [{fk.Name}] on {fk.Child.Display}")));
                    continue;
                }

                tables.Remove(TableKey(table.Schema, table.Name));
            }
        }

        public override void Visit(ExecuteStatement node)
        {
            switch (node.ExecuteSpecification?.ExecutableEntity)
            {
                // EXEC(N'...'): EF wraps statements that must start a batch (filtered indexes, views ...) this way.
                case ExecutableStringList list when list.Strings.Count > 0 && list.Strings.All(s => s is StringLiteral):
                    var literals = list.Strings.Cast<StringLiteral>().ToList();
                    RunInner(string.Concat(literals.Select(s => s.Value)), literals[0]);
                    break;
                case ExecutableProcedureReference procedure:
                    var name = procedure.ProcedureReference?.ProcedureReference?.Name?.BaseIdentifier?.Value;
                    if (Same(name, "sp_rename"))
                    {
                        Rename(procedure.Parameters, Line(node));
                    }
                    else if (Same(name, "sp_executesql") && Argument(procedure.Parameters, 0, "@stmt") is { } statement)
                    {
                        RunInner(statement.Value, statement);
                    }

                    break;
                default:
                    break;
            }
        }

        private TSqlFragment? Parse(string sql, StringLiteral? from)
        {
            var fragment = TSqlGrammars.Parse(sql, out var errors);
            foreach (var (only, error) in errors)
            {
                problems.Add(from is null
                    ? $"line {lineOffset + error.Line}, column {error.Column}: syntax error{TSqlGrammars.Label(only)}: {error.Message}"
                    : $"line {lineOffset + from.StartLine + error.Line - 1}, inside EXEC: syntax error{TSqlGrammars.Label(only)}: {error.Message}");
            }

            // A batch with a syntax error is left out of the fragment, as SQL Server would not run it.
            return fragment;
        }

        private void RunInner(string sql, StringLiteral literal)
        {
            var fragment = Parse(sql, literal);
            var saved = lineOffset;
            lineOffset += literal.StartLine - 1;
            execDepth++;
            fragment?.Accept(this);
            execDepth--;
            lineOffset = saved;
        }

        private void AddElements(TableInfo table, TableDefinition definition, int line)
        {
            var uniques = new List<(UniqueConstraintDefinition Definition, ColumnInfo? Column)>();
            var foreignKeys = new List<(ForeignKeyConstraintDefinition Definition, ColumnInfo? Column)>();
            var indexes = new List<(IndexDefinition Definition, ColumnInfo? Column)>();
            var added = new List<(ColumnInfo Column, bool? Nullable)>();
            foreach (var definitionColumn in definition.ColumnDefinitions)
            {
                var name = definitionColumn.ColumnIdentifier.Value;
                if (table.Column(name) is not null)
                {
                    problems.Add($"line {line}: column {table.Display}.[{name}] already exists");
                    continue;
                }

                var column = AddColumn(table, definitionColumn, line);
                var nullable = definitionColumn.Constraints.OfType<NullableConstraintDefinition>().FirstOrDefault()?.Nullable;
                added.Add((column, nullable));
                uniques.AddRange(definitionColumn.Constraints.OfType<UniqueConstraintDefinition>().Select(u => (u, (ColumnInfo?)column)));
                foreignKeys.AddRange(definitionColumn.Constraints.OfType<ForeignKeyConstraintDefinition>().Select(f => (f, (ColumnInfo?)column)));
                if (definitionColumn.Index is { } inline)
                {
                    indexes.Add((inline, column));
                }
            }

            uniques.AddRange(definition.TableConstraints.OfType<UniqueConstraintDefinition>().Select(u => (u, (ColumnInfo?)null)));
            foreignKeys.AddRange(definition.TableConstraints.OfType<ForeignKeyConstraintDefinition>().Select(f => (f, (ColumnInfo?)null)));
            indexes.AddRange(definition.Indexes.Select(i => (i, (ColumnInfo?)null)));

            // Columns of a primary key declared in the same statement without NULL or NOT NULL become NOT NULL.
            var primaryKeyColumns = uniques.Where(u => u.Definition.IsPrimaryKey)
                .SelectMany(u => u.Column is null ? u.Definition.Columns.Select(c => ColumnName(c.Column)) : [u.Column.Name])
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var (column, nullable) in added)
            {
                column.Nullable = nullable ?? !(column.Identity || primaryKeyColumns.Contains(column.Name));
            }

            // A primary key is clustered unless it says otherwise or the table already has a clustered index.
            var clusteredDeclared = uniques.Any(u => u.Definition.Clustered == true)
                || indexes.Any(i => i.Definition.IndexType?.IndexTypeKind is IndexTypeKind.Clustered or IndexTypeKind.ClusteredColumnStore);
            foreach (var (unique, column) in uniques)
            {
                var clustered = unique.Clustered
                    ?? (unique.IsPrimaryKey && !clusteredDeclared && !table.Keys.Any(k => k.Clustered));
                var kind = unique.IsPrimaryKey ? KeyKind.PrimaryKey : KeyKind.UniqueConstraint;
                var key = new KeyInfo(ConstraintName(unique.ConstraintIdentifier, unique.IsPrimaryKey ? "PK" : "UQ", table), kind, true, clustered);
                AddKey(table, key, unique.Columns, [], line, column);
            }

            foreach (var (index, column) in indexes)
            {
                var kind = index.IndexType?.IndexTypeKind;
                if (kind is IndexTypeKind.ClusteredColumnStore or IndexTypeKind.NonClusteredColumnStore)
                {
                    continue;
                }

                var key = new KeyInfo(index.Name.Value, KeyKind.Index, index.Unique, kind == IndexTypeKind.Clustered);
                AddKey(table, key, index.Columns, index.IncludeColumns, line, column);
            }

            foreach (var (foreignKey, column) in foreignKeys)
            {
                AddForeignKey(table, foreignKey, column, line);
            }
        }

        private ColumnInfo AddColumn(TableInfo table, ColumnDefinition definition, int line)
        {
            var column = new ColumnInfo(definition.ColumnIdentifier.Value, TypeOf(definition.DataType))
            {
                Identity = definition.IdentityOptions is not null,
            };
            if (column.Identity)
            {
                if (!column.Type.CanBeIdentity)
                {
                    problems.Add($"line {line}: column {table.Display}.[{column.Name}] is {column.Type.Text}, which cannot be an IDENTITY column");
                }

                if (table.Columns.Find(c => c.Identity) is { } other)
                {
                    problems.Add($"line {line}: column {table.Display}.[{column.Name}] is a second IDENTITY column; [{other.Name}] already is one");
                }
            }

            table.Columns.Add(column);
            return column;
        }

        private void AddKey(TableInfo table, KeyInfo key, IList<ColumnWithSortOrder> keyColumns, IList<ColumnReferenceExpression> includes, int line, ColumnInfo? inlineColumn = null)
        {
            var where = $"line {line}: {key.Describe()} on {table.Display}";
            if (inlineColumn is not null && keyColumns.Count == 0)
            {
                key.Keys.Add(inlineColumn);
            }

            foreach (var name in keyColumns.Select(c => ColumnName(c.Column)))
            {
                if (table.Column(name) is { } column)
                {
                    key.Keys.Add(column);
                }
                else
                {
                    problems.Add($"{where}: no column [{name}]");
                }
            }

            foreach (var name in includes.Select(ColumnName))
            {
                if (table.Column(name) is { } column)
                {
                    key.Includes.Add(column);
                }
                else
                {
                    problems.Add($"{where}: no INCLUDE column [{name}]");
                }
            }

            if (table.Key(key.Name) is not null)
            {
                problems.Add($"{where}: an index or constraint of that name already exists");
                return;
            }

            if (key.IsConstraint && ConstraintOwner(table.Schema, key.Name) is { } owner)
            {
                problems.Add($"{where}: constraint [{key.Name}] already exists on {owner.Display}; constraint names are unique within a schema");
                return;
            }

            if (key.Clustered && table.Keys.Find(k => k.Clustered) is { } clustered)
            {
                problems.Add($"{where}: the table already has a clustered index, {clustered.Describe()}");
            }

            if (key.Kind == KeyKind.PrimaryKey)
            {
                if (table.Keys.Find(k => k.Kind == KeyKind.PrimaryKey) is { } primary)
                {
                    problems.Add($"{where}: the table already has primary key [{primary.Name}]");
                }

                foreach (var column in key.Keys.Where(c => c.Nullable))
                {
                    problems.Add($"{where}: column [{column.Name}] is nullable");
                }
            }

            table.Keys.Add(key);
            CheckKey(table, key, $"line {line}: ");
        }

        // Rules (a) and (b): no max or large-object key column, and a bounded key size.
        private void CheckKey(TableInfo table, KeyInfo key, string prefix)
        {
            var where = $"{prefix}{key.Describe()} on {table.Display}";
            foreach (var column in key.Keys.Where(c => c.Type.IsLob))
            {
                if (key.Reported.Add($"lob:{column.Name}"))
                {
                    problems.Add($"{where}: key column [{column.Name}] is {column.Type.Text}, which cannot be an index key (only INCLUDE may hold it)");
                }
            }

            var columnLimit = key.Clustered ? 16 : 32;
            if (key.Keys.Count > columnLimit && key.Reported.Add("count"))
            {
                problems.Add($"{where}: {key.Keys.Count} key columns, over the limit of {columnLimit}");
            }

            var sized = key.Keys.Where(c => !c.Type.IsLob && c.Type.Bytes is not null).ToList();
            var total = sized.Sum(c => c.Type.Bytes ?? 0);
            var limit = key.Clustered ? ClusteredKeyLimit : NonclusteredKeyLimit;
            if (total > limit && key.Reported.Add($"size:{total}"))
            {
                var terms = string.Join(" + ", sized.Select(c => $"[{c.Name}] {c.Type.Text}"));
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{where}: key {terms} is {total:N0} bytes, over the {limit:N0}-byte limit of a {(key.Clustered ? "clustered" : "nonclustered")} index"));
            }
        }

        private void AddForeignKey(TableInfo table, ForeignKeyConstraintDefinition definition, ColumnInfo? inlineColumn, int line)
        {
            var name = ConstraintName(definition.ConstraintIdentifier, "FK", table);
            var (parentSchema, parentName) = Name(definition.ReferenceTableName);
            if (Find(parentSchema, parentName) is not { } parent)
            {
                problems.Add($"line {line}: foreign key [{name}] on {table.Display} references {Display(parentSchema, parentName)}, which does not exist");
                return;
            }

            if (ConstraintOwner(table.Schema, name) is { } owner)
            {
                problems.Add($"line {line}: foreign key [{name}] on {table.Display}: constraint [{name}] already exists on {owner.Display}; constraint names are unique within a schema");
                return;
            }

            var foreignKey = new ForeignKeyInfo(name, table, parent, definition.DeleteAction, definition.UpdateAction);
            var columns = inlineColumn is not null && definition.Columns.Count == 0
                ? [inlineColumn.Name]
                : definition.Columns.Select(c => c.Value).ToList();
            foreach (var column in columns)
            {
                if (table.Column(column) is { } found)
                {
                    foreignKey.Columns.Add(found);
                }
                else
                {
                    problems.Add($"line {line}: foreign key [{name}] on {table.Display}: no column [{column}]");
                }
            }

            // Without a column list it references the parent's primary key.
            var parentColumns = definition.ReferencedTableColumns.Count > 0
                ? definition.ReferencedTableColumns.Select(c => c.Value).ToList()
                : parent.Keys.Find(k => k.Kind == KeyKind.PrimaryKey)?.Keys.Select(c => c.Name).ToList() ?? [];
            foreach (var column in parentColumns)
            {
                if (parent.Column(column) is { } found)
                {
                    foreignKey.ParentColumns.Add(found);
                }
                else
                {
                    problems.Add($"line {line}: foreign key [{name}] on {table.Display}: {parent.Display} has no column [{column}]");
                }
            }

            // Both are checked so both are reported; either one makes SQL Server refuse the key.
            var deleteRefused = CascadeRefused(foreignKey, onDelete: true, line);
            var updateRefused = CascadeRefused(foreignKey, onDelete: false, line);
            foreignKey.Refused = deleteRefused || updateRefused;
            table.ForeignKeys.Add(foreignKey);
        }

        // Rule (d): cascading actions (CASCADE, SET NULL, SET DEFAULT) must form neither a cycle nor two paths
        // from one table to another; SQL Server refuses the foreign key that would make them (error 1785).
        private bool CascadeRefused(ForeignKeyInfo foreignKey, bool onDelete, int line)
        {
            var action = onDelete ? foreignKey.OnDelete : foreignKey.OnUpdate;
            if (!Cascades(action))
            {
                return false;
            }

            var edges = tables.Values.SelectMany(t => t.ForeignKeys)
                .Where(fk => !fk.Refused && Cascades(onDelete ? fk.OnDelete : fk.OnUpdate))
                .Append(foreignKey)
                .ToList();
            var children = edges.ToLookup(e => e.Parent);
            var where = $"line {line}: foreign key [{foreignKey.Name}] on {foreignKey.Child.Display} referencing {foreignKey.Parent.Display} with ON {(onDelete ? "DELETE" : "UPDATE")} {ActionText(action)}";

            if (Paths(foreignKey.Child, foreignKey.Parent, children, 1) is [var back])
            {
                var cycle = new List<ForeignKeyInfo> { foreignKey };
                cycle.AddRange(back);
                problems.Add($"{where} makes a cycle of cascading foreign keys: {PathText(foreignKey.Parent, cycle)}; SQL Server refuses it");
                return true;
            }

            var parents = edges.ToLookup(e => e.Child);
            foreach (var from in Reachable(foreignKey.Parent, t => parents[t].Select(e => e.Parent)))
            {
                foreach (var to in Reachable(foreignKey.Child, t => children[t].Select(e => e.Child)))
                {
                    if (Paths(from, to, children, 2) is [var first, var second])
                    {
                        var firstText = PathText(from, first);
                        var secondText = PathText(from, second);
                        if (firstText == secondText)
                        {
                            firstText += $" ({string.Join(", ", first.Select(e => e.Name))})";
                            secondText += $" ({string.Join(", ", second.Select(e => e.Name))})";
                        }

                        problems.Add($"{where} makes two cascade paths from {from.Display} to {to.Display}: {firstText} and {secondText}; SQL Server refuses it");
                        return true;
                    }
                }
            }

            return false;
        }

        private void DropColumn(TableInfo table, string name, bool ifExists, int line)
        {
            if (table.Column(name) is not { } column)
            {
                if (!ifExists)
                {
                    problems.Add($"line {line}: DROP COLUMN {table.Display}.[{name}]: no such column");
                }

                return;
            }

            var users = table.Keys.Where(k => k.Keys.Contains(column) || k.Includes.Contains(column)).Select(k => k.Describe())
                .Concat(tables.Values.SelectMany(t => t.ForeignKeys)
                    .Where(fk => fk.Columns.Contains(column) || fk.ParentColumns.Contains(column))
                    .Select(fk => $"foreign key [{fk.Name}] on {fk.Child.Display}"))
                .ToList();
            if (users.Count > 0)
            {
                problems.Add($"line {line}: DROP COLUMN {table.Display}.[{column.Name}]: still used by {string.Join(", ", users)}");
                return;
            }

            table.Columns.Remove(column);
        }

        private void DropIndex(TableInfo table, string name, bool ifExists, int line)
        {
            switch (table.Key(name))
            {
                case null when !ifExists:
                    problems.Add($"line {line}: DROP INDEX [{name}] on {table.Display}: no such index");
                    break;
                case { IsConstraint: true } constraint:
                    problems.Add($"line {line}: DROP INDEX cannot drop {constraint.Describe()} on {table.Display}; it takes ALTER TABLE DROP CONSTRAINT");
                    break;
                case { } index:
                    table.Keys.Remove(index);
                    break;
            }
        }

        private void DropConstraint(TableInfo table, string name, int line)
        {
            if (table.ForeignKeys.Find(fk => Same(fk.Name, name)) is { } foreignKey)
            {
                table.ForeignKeys.Remove(foreignKey);
                return;
            }

            if (table.Key(name) is not { } key)
            {
                // Default and check constraints are not tracked; EF drops defaults by a name found at run time.
                return;
            }

            if (!key.IsConstraint)
            {
                problems.Add($"line {line}: DROP CONSTRAINT [{name}] on {table.Display}: it is an index, not a constraint");
                return;
            }

            var referencing = tables.Values.SelectMany(t => t.ForeignKeys)
                .Where(fk => fk.Parent == table && !fk.Refused && fk.ParentColumns.ToHashSet().SetEquals(key.Keys))
                .Where(fk => !table.Keys.Any(k => k != key && k.Unique && k.Keys.ToHashSet().SetEquals(key.Keys)))
                .ToList();
            if (referencing.Count > 0)
            {
                problems.Add($"line {line}: DROP CONSTRAINT {key.Describe()} on {table.Display}: still referenced by "
                    + string.Join(", ", referencing.Select(fk => $"foreign key [{fk.Name}] on {fk.Child.Display}")));
                return;
            }

            table.Keys.Remove(key);
        }

        // EXEC sp_rename N'[Table].[Column]', N'New', 'COLUMN' and its INDEX and OBJECT (table, constraint) forms.
        private void Rename(IList<ExecuteParameter> parameters, int line)
        {
            if (Argument(parameters, 0, "@objname") is not { } objectName || Argument(parameters, 1, "@newname") is not { } newName)
            {
                return;
            }

            var type = Argument(parameters, 2, "@objtype")?.Value.ToUpperInvariant() ?? "OBJECT";
            var parts = SplitName(objectName.Value);
            var what = $"line {line}: sp_rename '{objectName.Value}'";
            if (type is "COLUMN" or "INDEX")
            {
                if (parts.Count < 2)
                {
                    problems.Add($"{what}: the name lacks its table");
                    return;
                }

                var table = parts.Count == 2 ? Find("dbo", parts[0]) : Find(parts[^3], parts[^2]);
                if (table is null)
                {
                    problems.Add($"{what}: no such table");
                }
                else if (type == "COLUMN")
                {
                    RenameIn(what, table.Column(parts[^1]), table.Column(newName.Value), c => c.Name = newName.Value);
                }
                else
                {
                    RenameIn(what, table.Key(parts[^1]), table.Key(newName.Value), k => k.Name = newName.Value);
                }

                return;
            }

            if (type != "OBJECT")
            {
                return;
            }

            var schema = parts.Count > 1 ? parts[^2] : "dbo";
            if (Find(schema, parts[^1]) is { } renamed)
            {
                if (Find(schema, newName.Value) is not null)
                {
                    problems.Add($"{what}: a table [{newName.Value}] already exists");
                    return;
                }

                tables.Remove(TableKey(schema, renamed.Name));
                renamed.Name = newName.Value;
                tables.Add(TableKey(schema, renamed.Name), renamed);
                return;
            }

            var inSchema = tables.Values.Where(t => Same(t.Schema, schema)).ToList();
            if (inSchema.SelectMany(t => t.Keys).FirstOrDefault(k => k.IsConstraint && Same(k.Name, parts[^1])) is { } key)
            {
                key.Name = newName.Value;
            }
            else if (inSchema.SelectMany(t => t.ForeignKeys).FirstOrDefault(fk => Same(fk.Name, parts[^1])) is { } foreignKey)
            {
                foreignKey.Name = newName.Value;
            }
            else
            {
                problems.Add($"{what}: no such table or constraint");
            }
        }

        private void RenameIn<T>(string what, T? found, T? clash, Action<T> rename)
            where T : class
        {
            if (found is null)
            {
                problems.Add($"{what}: no such {(typeof(T) == typeof(ColumnInfo) ? "column" : "index")}");
            }
            else if (clash is not null && clash != found)
            {
                problems.Add($"{what}: the new name is already taken");
            }
            else
            {
                rename(found);
            }
        }

        private TableInfo? Table(SchemaObjectName name, int line, string statement)
        {
            var (schema, table) = Name(name);
            if (Find(schema, table) is { } found)
            {
                return found;
            }

            problems.Add($"line {line}: {statement}: no table {Display(schema, table)}");
            return null;
        }

        // Primary keys, unique constraints and foreign keys are schema objects: their names are unique per schema.
        private TableInfo? ConstraintOwner(string schema, string name) =>
            tables.Values.FirstOrDefault(t => Same(t.Schema, schema)
                && (t.Keys.Any(k => k.IsConstraint && Same(k.Name, name)) || t.ForeignKeys.Any(fk => Same(fk.Name, name))));

        private TableInfo? Find(string schema, string name) => tables.GetValueOrDefault(TableKey(schema, name));

        private string ConstraintName(Identifier? identifier, string prefix, TableInfo table) =>
            identifier?.Value ?? string.Create(CultureInfo.InvariantCulture, $"{prefix}__{table.Name}__{++unnamed}");

        private int Line(TSqlFragment node) => lineOffset + node.StartLine;
    }

    private static SqlType TypeOf(DataTypeReference? type) => type switch
    {
        null => new SqlType("computed", false, null, false),
        XmlDataTypeReference => new SqlType("xml", true, null, false),
        SqlDataTypeReference sql => TypeOf(sql),
        UserDataTypeReference user => user.Name.BaseIdentifier.Value.ToLowerInvariant() switch
        {
            "sysname" => new SqlType("sysname", false, 256, false),
            "hierarchyid" => new SqlType("hierarchyid", false, 892, false),
            "geography" or "geometry" => new SqlType(user.Name.BaseIdentifier.Value.ToLowerInvariant(), true, null, false),
            _ => new SqlType(TypeText(user.Name, user.Parameters), false, null, false),
        },
        _ => new SqlType("unknown", false, null, false),
    };

    // Largest stored size in bytes, as SQL Server counts it against the index key limits.
    private static SqlType TypeOf(SqlDataTypeReference sql)
    {
        var option = sql.SqlDataTypeOption;
        var isMax = sql.Parameters.Any(p => p is MaxLiteral);
        var first = Parameter(sql.Parameters, 0);
        int? bytes = option switch
        {
            SqlDataTypeOption.BigInt or SqlDataTypeOption.Money or SqlDataTypeOption.DateTime
                or SqlDataTypeOption.Timestamp or SqlDataTypeOption.Rowversion => 8,
            SqlDataTypeOption.Int or SqlDataTypeOption.SmallMoney or SqlDataTypeOption.SmallDateTime
                or SqlDataTypeOption.Real => 4,
            SqlDataTypeOption.SmallInt => 2,
            SqlDataTypeOption.TinyInt or SqlDataTypeOption.Bit => 1,
            SqlDataTypeOption.UniqueIdentifier => 16,
            SqlDataTypeOption.Date => 3,
            SqlDataTypeOption.Float => (first ?? 53) <= 24 ? 4 : 8,
            SqlDataTypeOption.Time => ByScale(first ?? 7, 3, 4, 5),
            SqlDataTypeOption.DateTime2 => ByScale(first ?? 7, 6, 7, 8),
            SqlDataTypeOption.DateTimeOffset => ByScale(first ?? 7, 8, 9, 10),
            SqlDataTypeOption.Decimal or SqlDataTypeOption.Numeric => (first ?? 18) switch
            {
                <= 9 => 5,
                <= 19 => 9,
                <= 28 => 13,
                _ => 17,
            },
            SqlDataTypeOption.Char or SqlDataTypeOption.VarChar or SqlDataTypeOption.Binary
                or SqlDataTypeOption.VarBinary => isMax ? null : first ?? 1,
            SqlDataTypeOption.NChar or SqlDataTypeOption.NVarChar => isMax ? null : 2 * (first ?? 1),
            SqlDataTypeOption.Sql_Variant => 8016,
            _ => null,
        };
        var isLob = isMax || option is SqlDataTypeOption.Text or SqlDataTypeOption.NText
            or SqlDataTypeOption.Image or SqlDataTypeOption.Json or SqlDataTypeOption.Vector;
        var canBeIdentity = option is SqlDataTypeOption.BigInt or SqlDataTypeOption.Int
                or SqlDataTypeOption.SmallInt or SqlDataTypeOption.TinyInt
            || (option is SqlDataTypeOption.Decimal or SqlDataTypeOption.Numeric && (Parameter(sql.Parameters, 1) ?? 0) == 0);
        return new SqlType(TypeText(sql.Name, sql.Parameters), isLob, bytes, canBeIdentity);
    }

    private static int ByScale(int scale, int upTo2, int upTo4, int upTo7) => scale <= 2 ? upTo2 : scale <= 4 ? upTo4 : upTo7;

    private static int? Parameter(IList<Literal> parameters, int index) =>
        parameters.Count > index && int.TryParse(parameters[index].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private static string TypeText(SchemaObjectName name, IList<Literal> parameters)
    {
        var text = name.BaseIdentifier.Value.ToLowerInvariant();
        return parameters.Count == 0
            ? text
            : $"{text}({string.Join(",", parameters.Select(p => p is MaxLiteral ? "max" : p.Value))})";
    }

    private static bool Cascades(DeleteUpdateAction action) =>
        action is DeleteUpdateAction.Cascade or DeleteUpdateAction.SetNull or DeleteUpdateAction.SetDefault;

    private static string ActionText(DeleteUpdateAction action) => action switch
    {
        DeleteUpdateAction.Cascade => "CASCADE",
        DeleteUpdateAction.SetNull => "SET NULL",
        DeleteUpdateAction.SetDefault => "SET DEFAULT",
        _ => "NO ACTION",
    };

    // Up to `limit` distinct paths of foreign keys (parent to child); a table reaches itself by the empty path.
    private static List<List<ForeignKeyInfo>> Paths(TableInfo from, TableInfo to, ILookup<TableInfo, ForeignKeyInfo> children, int limit)
    {
        var found = new List<List<ForeignKeyInfo>>();
        var path = new List<ForeignKeyInfo>();
        var onPath = new HashSet<TableInfo> { from };

        void Walk(TableInfo table)
        {
            if (table == to)
            {
                found.Add([.. path]);
                return;
            }

            foreach (var edge in children[table])
            {
                if (found.Count >= limit)
                {
                    return;
                }

                if (edge.Child != to && !onPath.Add(edge.Child))
                {
                    continue;
                }

                path.Add(edge);
                Walk(edge.Child);
                path.RemoveAt(path.Count - 1);
                onPath.Remove(edge.Child);
            }
        }

        Walk(from);
        return found;
    }

    // Breadth first, so the nearest tables come first, starting with the table itself.
    private static List<TableInfo> Reachable(TableInfo start, Func<TableInfo, IEnumerable<TableInfo>> next)
    {
        var seen = new List<TableInfo> { start };
        for (var i = 0; i < seen.Count; i++)
        {
            seen.AddRange(next(seen[i]).Distinct().Where(t => !seen.Contains(t)).ToList());
        }

        return seen;
    }

    private static string PathText(TableInfo from, IEnumerable<ForeignKeyInfo> path) =>
        string.Join(" → ", path.Select(e => e.Child.Display).Prepend(from.Display));

    private static StringLiteral? Argument(IList<ExecuteParameter> parameters, int position, string name)
    {
        var named = parameters.FirstOrDefault(p => Same(p.Variable?.Name, name));
        var parameter = named ?? (parameters.Count > position && parameters[position].Variable is null ? parameters[position] : null);
        return parameter?.ParameterValue as StringLiteral;
    }

    private static string ColumnName(ColumnReferenceExpression column) =>
        column.MultiPartIdentifier?.Identifiers[^1].Value ?? column.ColumnType.ToString();

    private static (string Schema, string Name) Name(SchemaObjectName name) =>
        (name.SchemaIdentifier?.Value ?? "dbo", name.BaseIdentifier.Value);

    private static string TableKey(string schema, string name) => $"{schema}.{name}";

    private static string Display(string schema, string name) => Same(schema, "dbo") ? $"[{name}]" : $"[{schema}].[{name}]";

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    // Splits "[wf].[Things].[Body]" or "wf.Things.Body" into its parts, honouring brackets and quotes.
    private static List<string> SplitName(string text)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '[' or '"')
            {
                var close = c == '[' ? ']' : '"';
                for (i++; i < text.Length; i++)
                {
                    if (text[i] == close)
                    {
                        if (i + 1 < text.Length && text[i + 1] == close)
                        {
                            current.Append(close);
                            i++;
                            continue;
                        }

                        break;
                    }

                    current.Append(text[i]);
                }
            }
            else if (c == '.')
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else if (!char.IsWhiteSpace(c))
            {
                current.Append(c);
            }
        }

        parts.Add(current.ToString());
        return parts;
    }
}
