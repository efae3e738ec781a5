using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
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
    private readonly bool ownsFolder;

    public WorkflowApp()
        : this(null)
    {
    }

    /// <summary>A host on an existing folder (database, keys) is a restart of an earlier host; the folder then outlives it.</summary>
    protected WorkflowApp(string? folder)
    {
        ownsFolder = folder is null;
        Folder = folder ?? NewFolder();
    }

    public static string NewFolder() => Path.Combine(Path.GetTempPath(), "workflow-tests", Guid.NewGuid().ToString("N"));

    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, "workflow.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(Folder);
        ConfigureDatabase(builder);
        builder.UseSetting("DataProtection:KeysPath", Path.Combine(Folder, "keys"));
        builder.UseSetting("Demo:Seed", "true");
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, ClientAddressFilter>());
    }

    /// <summary>Header a test sets to play a client at another address (the test server has no real remote address).</summary>
    public const string ClientAddressHeader = "X-Test-Client-Address";

    private sealed class ClientAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, nextMiddleware) =>
            {
                if (System.Net.IPAddress.TryParse(http.Request.Headers[ClientAddressHeader].ToString(), out var ip))
                {
                    http.Connection.RemoteIpAddress = ip;
                }

                return nextMiddleware(http);
            });
            next(app);
        };
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

    /// <summary>Forget the bearer tokens, e.g. after moving a fake clock past their lifetime.</summary>
    public void ForgetSignIns()
    {
        lock (tokens)
        {
            tokens.Clear();
        }
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
        if (!ownsFolder)
        {
            return;
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Polls the user's notices until <paramref name="match"/> finds one (the bus delivers after the commit).</summary>
    public async Task<JsonElement> WaitForNotice(string user, Func<JsonElement, bool> match, int seconds = 15)
    {
        var client = await As(user);
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var notices = await Api.Read<JsonElement[]>(await client.GetAsync("/api/notifications"));
            var found = notices.FirstOrDefault(match);
            if (found.ValueKind != JsonValueKind.Undefined)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no matching notice for {user} within {seconds} s");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The user's notices about one section, of one kind.</summary>
    public async Task<JsonElement[]> Notices(string user, Guid section, string kind) =>
        (await Api.Read<JsonElement[]>(await (await As(user)).GetAsync("/api/notifications")))
            .Where(n => n.GetProperty("sectionId").GetString() == section.ToString() && n.GetProperty("kind").GetString() == kind)
            .ToArray();

    private sealed record LoginResult(string Token, DateTimeOffset ExpiresAt);
}
