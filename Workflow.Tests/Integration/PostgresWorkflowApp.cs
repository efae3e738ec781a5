using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace Workflow.Tests.Integration;

/// <summary>
/// The host on a real PostgreSQL server started by deploy/test.sh (WORKFLOW_TEST_POSTGRES holds its
/// connection string). Each fixture gets its own database, dropped afterwards.
/// </summary>
public sealed class PostgresWorkflowApp : WorkflowApp
{
    public const string ServerVariable = "WORKFLOW_TEST_POSTGRES";

    private readonly string? server = Environment.GetEnvironmentVariable(ServerVariable);
    private readonly string database = "workflow_test_" + Guid.NewGuid().ToString("N")[..12];
    private bool created;

    protected override void RequireDatabase()
    {
        if (!string.IsNullOrWhiteSpace(server))
        {
            return;
        }

        // In CI a missing server is a failure, never a skip; on a developer machine say how to get one.
        var message = $"PostgreSQL tests need {ServerVariable}; run deploy/test.sh, which starts a server and sets it.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
    }

    protected override void ConfigureDatabase(IWebHostBuilder builder)
    {
        using (var admin = new NpgsqlConnection(server))
        {
            admin.Open();
            using var cmd = admin.CreateCommand();
            cmd.CommandText = $"CREATE DATABASE \"{database}\"";
            cmd.ExecuteNonQuery();
            created = true;
        }

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

        NpgsqlConnection.ClearAllPools();
        using var admin = new NpgsqlConnection(server);
        admin.Open();
        using var cmd = admin.CreateCommand();
        cmd.CommandText = $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)";
        cmd.ExecuteNonQuery();
    }
}
