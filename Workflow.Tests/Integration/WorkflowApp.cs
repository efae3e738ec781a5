using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workflow.Persistence;

namespace Workflow.Tests.Integration;

/// <summary>
/// The real host over a real SQLite file in its own temporary folder, seeded with the demo county.
/// One instance per test class; tests create their own reports so they do not depend on each other.
/// </summary>
public class WorkflowApp : WebApplicationFactory<Program>
{
    public const string Password = "Demo-2026!";

    private readonly Dictionary<string, string> tokens = [];

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "workflow-tests", Guid.NewGuid().ToString("N"));

    public string DatabasePath => Path.Combine(Folder, "workflow.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(Folder);
        ConfigureDatabase(builder);
        builder.UseSetting("DataProtection:KeysPath", Path.Combine(Folder, "keys"));
        builder.UseSetting("Demo:Seed", "true");
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
    }

    /// <summary>A client signed in as a demo user with a bearer token obtained through POST /api/auth/login.</summary>
    public async Task<HttpClient> As(string userName)
    {
        RequireDatabase();
        var client = CreateClient();
        if (!tokens.TryGetValue(userName, out var token))
        {
            var response = await client.PostAsJsonAsync("/api/auth/login", new { userName, password = Password });
            response.EnsureSuccessStatusCode();
            token = (await response.Content.ReadFromJsonAsync<LoginResult>())!.Token;
            lock (tokens)
            {
                tokens[userName] = token;
            }
        }

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected virtual void ConfigureDatabase(IWebHostBuilder builder) =>
        builder.UseSetting("ConnectionStrings:Workflow", $"Data Source={DatabasePath}");

    /// <summary>Called before the first request, so a test on a missing server fails (or skips) with a clear reason.</summary>
    protected virtual void RequireDatabase()
    {
    }

    /// <summary>A direct connection to the SQLite file, for tampering tests that go round the API.</summary>
    public SqliteConnection OpenDatabase()
    {
        var c = new SqliteConnection($"Data Source={DatabasePath}");
        c.Open();
        return c;
    }

    /// <summary>Rows in a table, read straight from the database the host uses (identifiers are quoted alike on every provider).</summary>
    public long Count(string table, string where = "1=1") => WithDb(db =>
    {
        var c = db.Database.GetDbConnection();
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM \"{table}\" WHERE {where}";
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    });

    public T WithDb<T>(Func<WorkflowDbContext, T> read)
    {
        using var scope = Services.CreateScope();
        return read(scope.ServiceProvider.GetRequiredService<WorkflowDbContext>());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed record LoginResult(string Token, DateTimeOffset ExpiresAt);
}
