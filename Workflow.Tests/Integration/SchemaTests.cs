using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Workflow.Persistence;

namespace Workflow.Tests.Integration;

/// <summary>The generated migrations must build exactly the schema EF derives from the model.</summary>
public sealed class SchemaTests
{
    [Fact]
    public async Task Migrations_create_the_same_sqlite_schema_as_the_model()
    {
        var folder = Directory.CreateTempSubdirectory("workflow-schema").FullName;
        try
        {
            var migrated = await SchemaOf(Path.Combine(folder, "migrated.db"), db => db.MigrateWorkflowDatabaseAsync());
            var modelled = await SchemaOf(Path.Combine(folder, "model.db"), db => db.Database.EnsureCreatedAsync());

            Assert.Equal(modelled, migrated);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Migrations_create_the_same_postgresql_schema_as_the_model()
    {
        PostgresServer.Require();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var (migratedDb, modelDb) = ($"schema_m_{suffix}", $"schema_e_{suffix}");
        PostgresServer.CreateDatabase(migratedDb);
        PostgresServer.CreateDatabase(modelDb);
        try
        {
            var migrated = await PostgresSchemaOf(migratedDb, db => db.MigrateWorkflowDatabaseAsync());
            var modelled = await PostgresSchemaOf(modelDb, db => db.Database.EnsureCreatedAsync());

            Assert.NotEmpty(modelled);
            Assert.Equal(modelled, migrated);
        }
        finally
        {
            PostgresServer.DropDatabase(migratedDb);
            PostgresServer.DropDatabase(modelDb);
        }
    }

    [Fact]
    public async Task Migrations_and_the_dba_script_create_the_same_sql_server_schema_as_the_model()
    {
        SqlServerTestServer.Require();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        string[] databases = [$"schema_m_{suffix}", $"schema_e_{suffix}", $"schema_s_{suffix}"];
        foreach (var name in databases)
        {
            SqlServerTestServer.CreateDatabase(name);
        }

        try
        {
            var migrated = await SqlServerSchemaOf(databases[0], db => db.MigrateWorkflowDatabaseAsync());
            var modelled = await SqlServerSchemaOf(databases[1], db => db.Database.EnsureCreatedAsync());
            // The administrator's script, run twice as an upgrade would: the second run must change nothing.
            var script = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "SqlServer", "schema.sql"));
            await RunSqlServerScript(SqlServerTestServer.Database(databases[2]), script);
            await RunSqlServerScript(SqlServerTestServer.Database(databases[2]), script);
            var scripted = await ReadSqlServerSchema(SqlServerTestServer.Database(databases[2]));

            Assert.NotEmpty(modelled);
            Assert.Equal(modelled, migrated);
            Assert.Equal(migrated, scripted);
        }
        finally
        {
            foreach (var name in databases)
            {
                SqlServerTestServer.DropDatabase(name);
            }
        }
    }

    private static async Task<List<string>> SqlServerSchemaOf(string database, Func<WorkflowDbContext, Task> create)
    {
        var connection = SqlServerTestServer.Database(database);
        await using (var db = WorkflowDatabase.CreateContext(new DatabaseSettings(DatabaseProvider.SqlServer, connection)))
        {
            await create(db);
        }

        return await ReadSqlServerSchema(connection);
    }

    private static async Task RunSqlServerScript(string connection, string script)
    {
        await using var c = new Microsoft.Data.SqlClient.SqlConnection(connection);
        await c.OpenAsync();
        foreach (var batch in System.Text.RegularExpressions.Regex.Split(script, @"^\s*GO\s*$", System.Text.RegularExpressions.RegexOptions.Multiline))
        {
            if (string.IsNullOrWhiteSpace(batch))
            {
                continue;
            }

            await using var cmd = new Microsoft.Data.SqlClient.SqlCommand(batch, c);
            await cmd.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Columns with type, length, precision, nullability and collation; defaults and checks; indexes with uniqueness, filter and columns; foreign keys; identity columns.</summary>
    private static async Task<List<string>> ReadSqlServerSchema(string connection)
    {
        var lines = new List<string>();
        await using var c = new Microsoft.Data.SqlClient.SqlConnection(connection);
        await c.OpenAsync();
        foreach (var sql in new[]
                 {
                     "SELECT TABLE_NAME + '.' + COLUMN_NAME + ' ' + DATA_TYPE + '(' + ISNULL(CAST(CHARACTER_MAXIMUM_LENGTH AS varchar(10)), '') + ',' + ISNULL(CAST(NUMERIC_PRECISION AS varchar(10)), '') + ',' + ISNULL(CAST(NUMERIC_SCALE AS varchar(10)), '') + ',' + ISNULL(CAST(DATETIME_PRECISION AS varchar(10)), '') + ') null=' + IS_NULLABLE + ' collation=' + ISNULL(COLLATION_NAME, '') FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME NOT LIKE '[_][_]EF%'",
                     // Defaults and checks by table and column, not by their generated names.
                     "SELECT 'default ' + OBJECT_NAME(d.parent_object_id) + '.' + c.name + ' ' + d.definition FROM sys.default_constraints d JOIN sys.columns c ON c.object_id = d.parent_object_id AND c.column_id = d.parent_column_id WHERE OBJECT_NAME(d.parent_object_id) NOT LIKE '[_][_]EF%'",
                     "SELECT 'check ' + OBJECT_NAME(parent_object_id) + ' ' + definition FROM sys.check_constraints WHERE OBJECT_NAME(parent_object_id) NOT LIKE '[_][_]EF%'",
                     "SELECT t.name + '.' + i.name + ' unique=' + CAST(i.is_unique AS varchar(1)) + ' clustered=' + CAST(i.type AS varchar(3)) + ' filter=' + ISNULL(i.filter_definition, '') + ' columns=' + STRING_AGG(c.name, ',') WITHIN GROUP (ORDER BY ic.key_ordinal) FROM sys.indexes i JOIN sys.tables t ON t.object_id = i.object_id JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id WHERE t.name NOT LIKE '[_][_]EF%' AND i.name IS NOT NULL GROUP BY t.name, i.name, i.is_unique, i.type, i.filter_definition",
                     "SELECT OBJECT_NAME(parent_object_id) + ' ' + name + ' on delete ' + delete_referential_action_desc FROM sys.foreign_keys",
                     "SELECT 'identity ' + OBJECT_NAME(object_id) + '.' + name FROM sys.identity_columns WHERE OBJECT_NAME(object_id) NOT LIKE '[_][_]EF%'",
                 })
        {
            await using var cmd = new Microsoft.Data.SqlClient.SqlCommand(sql, c);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                lines.Add(r.GetString(0));
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task<List<string>> PostgresSchemaOf(string database, Func<WorkflowDbContext, Task> create)
    {
        var connection = PostgresServer.Database(database);
        await using (var db = WorkflowDatabase.CreateContext(new DatabaseSettings(DatabaseProvider.PostgreSql, connection)))
        {
            await create(db);
        }

        return await ReadPostgresSchema(connection);
    }

    /// <summary>Every column with type, length, nullability and identity, every index and constraint, sorted.</summary>
    public static async Task<List<string>> ReadPostgresSchema(string connection)
    {
        var lines = new List<string>();
        await using var c = new Npgsql.NpgsqlConnection(connection);
        await c.OpenAsync();
        foreach (var sql in new[]
                 {
                     // Types, lengths and nullability of every column (defaults left out, as for SQLite).
                     "SELECT table_name || '.' || column_name || ' ' || data_type || '(' || coalesce(character_maximum_length::text, '') || ') null=' || is_nullable || ' identity=' || is_identity FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE '__EF%'",
                     // Index definitions, which name the covered columns and uniqueness.
                     "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT LIKE '__EF%'",
                     // Keys and foreign keys with their delete rules.
                     "SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT LIKE '%EF%'",
                 })
        {
            await using var cmd = new Npgsql.NpgsqlCommand(sql, c);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                lines.Add(r.GetString(0));
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task<List<string>> SchemaOf(string path, Func<WorkflowDbContext, Task> create)
    {
        await using (var db = WorkflowDatabase.CreateContext(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}")))
        {
            await create(db);
        }

        return await ReadSqliteSchema(path);
    }

    /// <summary>Every table's columns, indexes (with their columns in order) and foreign keys.</summary>
    public static async Task<List<string>> ReadSqliteSchema(string path)
    {
        var lines = new List<string>();
        await using var c = new SqliteConnection($"Data Source={path}");
        await c.OpenAsync();
        var tables = new List<string>();
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '__EF%' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                tables.Add(r.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            lines.Add($"table {table}");
            foreach (var pragma in new[] { "table_info", "index_list", "foreign_key_list" })
            {
                await using var cmd = c.CreateCommand();
                cmd.CommandText = $"SELECT * FROM pragma_{pragma}('{table}')";
                await using var r = await cmd.ExecuteReaderAsync();
                var rows = new List<string>();
                while (await r.ReadAsync())
                {
                    // Skip the row id column of index_list/foreign_key_list, which only numbers the rows.
                    // Column defaults are left out: later migrations add NOT NULL columns with a default only to
                    // fill existing rows, which the model need not know.
                    var fields = Enumerable.Range(1, r.FieldCount - 1).Where(i => !(pragma == "table_info" && r.GetName(i) == "dflt_value"));
                    rows.Add(string.Join(",", fields.Select(i => r.IsDBNull(i) ? "null" : r.GetValue(i).ToString())));
                }

                lines.AddRange(rows.Order().Select(row => $"  {pragma}: {row}"));
            }

            // index_list names the indexes; index_info says which columns they cover, in order.
            await using (var idx = c.CreateCommand())
            {
                idx.CommandText = $"SELECT il.name, ii.seqno, ii.name FROM pragma_index_list('{table}') il JOIN pragma_index_info(il.name) ii ORDER BY il.name, ii.seqno";
                await using var r = await idx.ExecuteReaderAsync();
                while (await r.ReadAsync())
                {
                    lines.Add($"  index {r.GetString(0)} #{r.GetInt64(1)}: {r.GetString(2)}");
                }
            }
        }

        return lines;
    }
}
