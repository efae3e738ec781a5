using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Workflow.Persistence;

namespace Workflow.Tests.Integration;

/// <summary>The hand-written migrations must build exactly the schema EF derives from the model.</summary>
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

    private static async Task<List<string>> SchemaOf(string path, Func<WorkflowDbContext, Task> create)
    {
        var options = new DbContextOptionsBuilder<WorkflowDbContext>().UseSqlite($"Data Source={path}").Options;
        await using (var db = new WorkflowDbContext(options))
        {
            await create(db);
        }

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
                    rows.Add(string.Join(",", Enumerable.Range(pragma == "table_info" ? 1 : 1, r.FieldCount - 1).Select(i => r.IsDBNull(i) ? "null" : r.GetValue(i).ToString())));
                }

                lines.AddRange(rows.Order().Select(row => $"  {pragma}: {row}"));
            }
        }

        return lines;
    }
}
