using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace Workflow.Tests.Integration;

/// <summary>
/// The host on a real PostgreSQL server started by deploy/test.sh (WORKFLOW_TEST_POSTGRES holds its
/// connection string). Each fixture gets its own database, dropped afterwards.
/// </summary>
public sealed class PostgresWorkflowApp : WorkflowApp
{
    private readonly string? server = PostgresServer.ConnectionString;
    private readonly string database = "workflow_test_" + Guid.NewGuid().ToString("N")[..12];
    private bool created;

    protected override void RequireDatabase() => PostgresServer.Require();

    protected override void ConfigureDatabase(IWebHostBuilder builder)
    {
        PostgresServer.CreateDatabase(database);
        created = true;

        builder.UseSetting("Database:Provider", "PostgreSql");
        builder.UseSetting("ConnectionStrings:Workflow", new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!created)
        {
            return;
        }

        PostgresServer.DropDatabase(database);
    }
}

/// <summary>The PostgreSQL server deploy/test.sh starts; WORKFLOW_TEST_POSTGRES holds its connection string.</summary>
public static class PostgresServer
{
    public const string Variable = "WORKFLOW_TEST_POSTGRES";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable);

    public static string Require() => TestServices.Require(Variable, "PostgreSQL tests need a server");

    public static string Database(string name) => new NpgsqlConnectionStringBuilder(Require()) { Database = name }.ConnectionString;

    public static void CreateDatabase(string name) => Execute($"CREATE DATABASE \"{name}\"");

    public static void DropDatabase(string name)
    {
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    private static void Execute(string sql)
    {
        using var admin = new NpgsqlConnection(Require());
        admin.Open();
        using var cmd = admin.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}

/// <summary>Connection details of the services deploy/test.sh starts, passed in environment variables.</summary>
public static class TestServices
{
    /// <summary>In CI a missing service is a failure, never a skip; on a developer machine the test says how to get one.</summary>
    public static string Require(string variable, string what)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value;
        }

        var message = $"{what}: {variable} is not set; run deploy/test.sh, which starts the service and sets it.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
        return "";
    }
}
