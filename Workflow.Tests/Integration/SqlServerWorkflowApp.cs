using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.SqlClient;

namespace Workflow.Tests.Integration;

/// <summary>
/// The host on a real SQL Server named by WORKFLOW_TEST_SQLSERVER (a login that may create databases). Each
/// fixture gets its own database, dropped afterwards.
/// </summary>
public sealed class SqlServerWorkflowApp : WorkflowApp
{
    private readonly string database = "workflow_test_" + Guid.NewGuid().ToString("N")[..12];
    private bool created;

    protected override void RequireDatabase() => SqlServerTestServer.Require();

    protected override void ConfigureDatabase(IWebHostBuilder builder)
    {
        SqlServerTestServer.CreateDatabase(database);
        created = true;
        builder.UseSetting("Database:Provider", "SqlServer");
        builder.UseSetting("ConnectionStrings:Workflow", SqlServerTestServer.Database(database));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (created)
        {
            SqlServerTestServer.DropDatabase(database);
        }
    }
}

/// <summary>
/// A SQL Server 2019/2022 for the integration tests, named by WORKFLOW_TEST_SQLSERVER. No SQL Server engine can
/// run on these machines, so unlike PostgreSQL and RabbitMQ its tests are skipped without it, even in CI; the
/// offline checks (Workflow.Tests/SqlServer) run always.
/// </summary>
public static class SqlServerTestServer
{
    public const string Variable = "WORKFLOW_TEST_SQLSERVER";

    public static string Require()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            Assert.Skip($"SQL Server tests need a server: set {Variable} to a connection string (see README, 'SQL Server').");
        }

        return value!;
    }

    public static string Database(string name) => new SqlConnectionStringBuilder(Require()) { InitialCatalog = name }.ConnectionString;

    public static void CreateDatabase(string name)
    {
        Execute($"CREATE DATABASE [{name}]");
        // As the deployment notes recommend: readers see the last committed row instead of waiting for writers.
        Execute($"ALTER DATABASE [{name}] SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE");
    }

    public static void DropDatabase(string name)
    {
        SqlConnection.ClearAllPools();
        Execute($"IF DB_ID(N'{name}') IS NOT NULL BEGIN ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{name}]; END");
    }

    private static void Execute(string sql)
    {
        using var admin = new SqlConnection(new SqlConnectionStringBuilder(Require()) { InitialCatalog = "master" }.ConnectionString);
        admin.Open();
        using var cmd = admin.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
