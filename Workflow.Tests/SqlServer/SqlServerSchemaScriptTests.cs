using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Workflow.Persistence;

namespace Workflow.Tests.SqlServer;

/// <summary>
/// deploy/sqlserver/schema.sql, the idempotent script a database administrator runs, checked without a server:
/// it is what the SQL Server migrations generate today, it parses as T-SQL, and it keeps SQL Server's rules.
/// </summary>
public sealed class SqlServerSchemaScriptTests
{
    private static readonly string CommittedScript = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "SqlServer", "schema.sql"));

    [Fact]
    public void The_committed_script_is_what_the_migrations_generate()
    {
        using var db = SqlServerContext();
        var generated = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.True(
            Normalized(generated) == Normalized(CommittedScript),
            "deploy/sqlserver/schema.sql is out of date with the SQL Server migrations; run deploy/sqlserver/script.sh (deploy/new-migration.sh does it for you).");
    }

    [Fact]
    public void The_script_parses_and_keeps_sql_servers_rules_for_keys_indexes_identity_and_cascades()
    {
        using var db = SqlServerContext();
        var identity = db.Model.GetEntityTypes()
            .SelectMany(e => e.GetProperties().Select(p => (Entity: e, Property: p)))
            .Where(x => SqlServerPropertyExtensions.GetValueGenerationStrategy(x.Property) == SqlServerValueGenerationStrategy.IdentityColumn)
            .Select(x => $"{x.Entity.GetTableName()}.{x.Property.GetColumnName()}")
            .ToList();

        var problems = SqlServerScriptCheck.Check(CommittedScript, identity);

        // The two claims tables have int keys the database numbers; the rule would pass vacuously without them.
        Assert.Contains("AspNetUserClaims.Id", identity);
        Assert.Contains("AspNetRoleClaims.Id", identity);
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    private static WorkflowDbContext SqlServerContext() =>
        WorkflowDatabase.CreateContext(new DatabaseSettings(DatabaseProvider.SqlServer, "Server=127.0.0.1,1;Database=offline;TrustServerCertificate=True"));

    private static string Normalized(string script) => script.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
}
