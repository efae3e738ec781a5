using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Workflow.Persistence;

namespace Workflow.Tests.Integration;

/// <summary>
/// Databases made by the last release with hand-written migrations (Fixtures/LegacyRelease: the demo county with
/// one section returned, revised and approved twice) are upgraded in place by today's host, with nothing lost.
/// </summary>
public sealed class LegacyUpgradeTests
{
    private static readonly string[] Tables =
        ["AspNetUsers", "AspNetUserRoles", "Departments", "Reports", "Sections", "SectionVersions", "Tasks", "SignOffs", "AuditEntries", "Outbox", "Notifications", "Routes"];

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "LegacyRelease", name);

    [Fact]
    public async Task A_sqlite_database_of_the_last_hand_migrated_release_upgrades_in_place_with_nothing_lost()
    {
        var folder = WorkflowApp.NewFolder();
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "workflow.db");
        File.Copy(Fixture("sqlite.db"), path);
        try
        {
            var before = Tables.ToDictionary(t => t, t => SqliteCount(path, t));
            using (var app = new ExistingSqliteApp(folder))
            {
                await TheUpgradedDatabaseStillServesItsReview(app, before);
            }

            var fresh = Path.Combine(folder, "fresh.db");
            await using (var db = WorkflowDatabase.CreateContext(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={fresh}")))
            {
                await db.MigrateWorkflowDatabaseAsync();
            }

            Assert.Equal(await SchemaTests.ReadSqliteSchema(fresh), await SchemaTests.ReadSqliteSchema(path));
            Assert.Equal(await History($"Data Source={fresh}", DatabaseProvider.Sqlite), (await History($"Data Source={path}", DatabaseProvider.Sqlite)).Where(m => !m.StartsWith("20261122", StringComparison.Ordinal)));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_postgresql_database_of_the_last_hand_migrated_release_upgrades_in_place_with_nothing_lost()
    {
        PostgresServer.Require();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var (legacy, fresh) = ($"legacy_{suffix}", $"fresh_{suffix}");
        PostgresServer.CreateDatabase(legacy);
        PostgresServer.CreateDatabase(fresh);
        try
        {
            await using (var c = new NpgsqlConnection(PostgresServer.Database(legacy)))
            {
                await c.OpenAsync();
                await using var load = new NpgsqlCommand(await File.ReadAllTextAsync(Fixture("postgresql.sql")), c);
                await load.ExecuteNonQueryAsync();
            }

            NpgsqlConnection.ClearAllPools();
            var before = Tables.ToDictionary(t => t, t => PostgresCount(PostgresServer.Database(legacy), t));
            Assert.Equal(18, before["AuditEntries"]);
            using (var app = new ExistingPostgresApp(PostgresServer.Database(legacy)))
            {
                await TheUpgradedDatabaseStillServesItsReview(app, before);
            }

            await using (var db = WorkflowDatabase.CreateContext(new DatabaseSettings(DatabaseProvider.PostgreSql, PostgresServer.Database(fresh))))
            {
                await db.MigrateWorkflowDatabaseAsync();
            }

            Assert.Equal(await SchemaTests.ReadPostgresSchema(PostgresServer.Database(fresh)), await SchemaTests.ReadPostgresSchema(PostgresServer.Database(legacy)));
            Assert.Equal(await History(PostgresServer.Database(fresh), DatabaseProvider.PostgreSql), (await History(PostgresServer.Database(legacy), DatabaseProvider.PostgreSql)).Where(m => !m.StartsWith("20261122", StringComparison.Ordinal)));
        }
        finally
        {
            PostgresServer.DropDatabase(legacy);
            PostgresServer.DropDatabase(fresh);
        }
    }

    [Theory]
    [InlineData("DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = '20261122000006_AuditTime'", "20261122000005_OpinionPhrases")]
    [InlineData("INSERT INTO \"__EFMigrationsHistory\" VALUES ('20261130000001_Hotfix', '10.0.14')", "20261130000001_Hotfix")]
    public async Task A_database_the_baseline_does_not_describe_is_refused_with_a_line_saying_why(string change, string named)
    {
        var folder = WorkflowApp.NewFolder();
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "workflow.db");
        File.Copy(Fixture("sqlite.db"), path);
        try
        {
            await using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                await c.OpenAsync();
                await using var cmd = c.CreateCommand();
                cmd.CommandText = change;
                Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
            }

            await using var db = WorkflowDatabase.CreateContext(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}"));
            var refused = await Assert.ThrowsAsync<DatabaseStartupException>(() => db.MigrateWorkflowDatabaseAsync());

            Assert.Contains(named, refused.Message, StringComparison.Ordinal);
            Assert.Contains(DatabaseSettings.ConnectionKey, refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', refused.Message);
            Assert.DoesNotContain(await History($"Data Source={path}", DatabaseProvider.Sqlite), m => m.EndsWith("_Baseline", StringComparison.Ordinal));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_login_that_may_not_change_the_schema_is_told_which_migrations_wait()
    {
        PostgresServer.Require();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var (database, login) = ($"narrow_{suffix}", $"reader_{suffix}");
        PostgresServer.CreateDatabase(database);
        var owner = PostgresServer.Database(database);
        try
        {
            await using (var db = WorkflowDatabase.CreateContext(new DatabaseSettings(DatabaseProvider.PostgreSql, owner)))
            {
                await db.MigrateWorkflowDatabaseAsync();
            }

            // As if a new release brought KeyLengths: it waits, and the login may read and write but not alter tables.
            await using (var c = new NpgsqlConnection(owner))
            {
                await c.OpenAsync();
                await using var cmd = new NpgsqlCommand(
                    $"""
                    DELETE FROM "__EFMigrationsHistory" WHERE "MigrationId" LIKE '%_KeyLengths';
                    CREATE ROLE {login} LOGIN PASSWORD 'narrow';
                    GRANT USAGE ON SCHEMA public TO {login};
                    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {login};
                    """, c);
                await cmd.ExecuteNonQueryAsync();
            }

            var narrow = new NpgsqlConnectionStringBuilder(owner) { Username = login, Password = "narrow" }.ConnectionString;
            await using var asLogin = WorkflowDatabase.CreateContext(new DatabaseSettings(DatabaseProvider.PostgreSql, narrow));
            var refused = await Assert.ThrowsAsync<DatabaseStartupException>(() => asLogin.MigrateWorkflowDatabaseAsync());

            Assert.Contains("_KeyLengths", refused.Message, StringComparison.Ordinal);
            Assert.Contains(DatabaseSettings.ConnectionKey, refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', refused.Message);
        }
        finally
        {
            PostgresServer.DropDatabase(database);
            await using var c = new NpgsqlConnection(PostgresServer.Require());
            await c.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP ROLE IF EXISTS {login}", c);
            await drop.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Everything the old release kept is there and readable, and the review goes on on top of it.</summary>
    private static async Task TheUpgradedDatabaseStillServesItsReview(WorkflowApp app, Dictionary<string, long> before)
    {
        // The demo seed runs on start as it did for the old release: it must find the county there already.
        var author = await app.As("zuzhi.author");
        foreach (var (table, rows) in before)
        {
            // This release makes the demo's county secretary a signer (签发人), publishes the report-frame route and the
            // demo's countersign and joint-committee routes, and
            // gives the old report its title and lead as parts (sections with a first version, a draft task for the
            // clerk, an audit entry and a task notice each); the demo's county secretary becomes its signer (签发人).
            var added = new Dictionary<string, long> { ["Routes"] = 3, ["Sections"] = 2, ["SectionVersions"] = 2, ["Tasks"] = 2, ["AuditEntries"] = 2, ["Outbox"] = 2, ["AspNetUserRoles"] = 1 };
            var expected = rows + added.GetValueOrDefault(table);
            // Those notices are delivered in the background: their rows may or may not be there yet, none may be lost.
            var delivered = table == "Notifications";
            Assert.True(delivered ? app.Count(table) >= rows : app.Count(table) == expected, $"{table}: {rows} rows before the upgrade, {app.Count(table)} after");
        }

        var auditor = await app.As("auditor");
        var report = (await Api.Read<JsonElement[]>(await auditor.GetAsync("/api/reports"))).Single().GetProperty("id").GetGuid();
        var chain = await Api.Read<JsonElement>(await auditor.GetAsync($"/api/reports/{report}/audit/verify"));
        Assert.True(chain.GetProperty("intact").GetBoolean());
        Assert.Equal(18 + 2, chain.GetProperty("entries").GetInt32());

        // The section the old release took through a return and two approvals keeps its history and sign-offs.
        var approved = app.WithDb(db => db.Sections.AsNoTracking().Single(s => s.Status == Activities.Engine.SectionStatus.Approved));
        var signOffs = await Api.Read<JsonElement>(await auditor.GetAsync($"/api/sections/{approved.Id}/signoffs"));
        Assert.Equal(["returned", "approved", "approved"], signOffs.EnumerateArray().Select(s => s.GetProperty("decision").GetString()));
        Assert.Equal(approved.CurrentHash, signOffs[2].GetProperty("hash").GetString());
        // Sign-offs from before names were kept carry the names of the upgrade's day from now on.
        Assert.Equal(["组织部部长", "组织部部长", "县委书记"], signOffs.EnumerateArray().Select(s => s.GetProperty("actor").GetProperty("displayName").GetString()));
        Assert.All(signOffs.EnumerateArray(), s => Assert.False(string.IsNullOrEmpty(s.GetProperty("actorDepartment").GetString())));
        var versions = await Api.Read<JsonElement>(await auditor.GetAsync($"/api/sections/{approved.Id}/versions"));
        Assert.Equal(3, versions.GetArrayLength());

        // New work lands on the old chain: the author submits another section and the chain stays whole.
        var tasks = await Api.Read<JsonElement[]>(await author.GetAsync("/api/tasks"));
        var next = tasks.First().GetProperty("sectionId").GetGuid();
        await Api.EditAndSubmit(author, next, "二是压实主体责任。全县新建党支部12个。");
        var head = await app.As("zuzhi.head");
        Assert.Contains(await Api.Read<JsonElement[]>(await head.GetAsync("/api/tasks")), t => t.GetProperty("sectionId").GetGuid() == next);
        chain = await Api.Read<JsonElement>(await auditor.GetAsync($"/api/reports/{report}/audit/verify"));
        Assert.True(chain.GetProperty("intact").GetBoolean());
        Assert.Equal(20 + 2, chain.GetProperty("entries").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/reports/{report}/export?format=txt")).StatusCode);
    }

    private static async Task<List<string>> History(string connection, DatabaseProvider provider)
    {
        await using var db = WorkflowDatabase.CreateContext(new DatabaseSettings(provider, connection));
        return [.. (await db.Database.GetAppliedMigrationsAsync()).Order(StringComparer.Ordinal)];
    }

    private static long SqliteCount(string path, string table)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static long PostgresCount(string connection, string table)
    {
        using var c = new NpgsqlConnection(connection);
        c.Open();
        using var cmd = new NpgsqlCommand($"SELECT COUNT(*) FROM \"{table}\"", c);
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Today's host on the copied SQLite file of the old release.</summary>
    private sealed class ExistingSqliteApp(string folder) : WorkflowApp(folder);

    /// <summary>Today's host on the restored PostgreSQL database of the old release.</summary>
    private sealed class ExistingPostgresApp(string connection) : WorkflowApp
    {
        protected override void RequireDatabase() => PostgresServer.Require();

        protected override void ConfigureDatabase(IWebHostBuilder builder)
        {
            builder.UseSetting("Database:Provider", "PostgreSql");
            builder.UseSetting("ConnectionStrings:Workflow", connection);
        }
    }
}
