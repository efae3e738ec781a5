using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Workflow.Tests.Integration;

/// <summary>
/// A database that cannot be used stops the host with one line that names the setting to fix: no stack trace,
/// no password, a non-zero exit within a minute, on every provider.
/// </summary>
public sealed partial class DatabaseStartupTests
{
    private const string Secret = "Never-Shown-7f3a";

    [Fact]
    public async Task An_unreachable_sql_server_stops_the_host_with_one_line_naming_the_connection_string()
    {
        var (exit, stderr, all) = await RunHostAsync(("Database:Provider", "SqlServer"), ("ConnectionStrings:Workflow", $"Server=127.0.0.1,1;Database=workflow;User ID=workflow;Password={Secret};TrustServerCertificate=True"));

        TheOneLine(exit, stderr, all, "ConnectionStrings:Workflow", "SqlServer");
    }

    [Fact]
    public async Task An_unreachable_postgresql_server_stops_the_host_with_one_line_naming_the_connection_string()
    {
        var (exit, stderr, all) = await RunHostAsync(("Database:Provider", "PostgreSql"), ("ConnectionStrings:Workflow", $"Host=127.0.0.1;Port=1;Database=workflow;Username=workflow;Password={Secret}"));

        TheOneLine(exit, stderr, all, "ConnectionStrings:Workflow", "PostgreSql");
    }

    [Theory]
    [InlineData("SqlServer", "Server=127.0.0.1,1;Database=workflow;User ID=workflow;Password=Never;Shown-7f3a=1;TrustServerCertificate=True")]
    [InlineData("PostgreSql", "Host=127.0.0.1;Port=1;Username=workflow;Password=Never;Shown-7f3a=1")]
    public async Task A_connection_string_the_driver_cannot_read_is_refused_without_quoting_the_password(string provider, string connection)
    {
        // An unquoted ';' in the password makes the rest of it read as a keyword, which drivers quote in their errors.
        var (exit, stderr, all) = await RunHostAsync(("Database:Provider", provider), ("ConnectionStrings:Workflow", connection));

        TheOneLine(exit, stderr, all, "ConnectionStrings:Workflow", provider);
        Assert.DoesNotContain("Shown-7f3a", all, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_sqlite_file_that_cannot_be_created_stops_the_host_with_one_line_naming_the_connection_string()
    {
        var folder = WorkflowApp.NewFolder();
        Directory.CreateDirectory(folder);
        var blocker = Path.Combine(folder, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "a file where the database's folder should be");

        try
        {
            var (exit, stderr, all) = await RunHostAsync(("ConnectionStrings:Workflow", $"Data Source={Path.Combine(blocker, "data", "workflow.db")}"));

            TheOneLine(exit, stderr, all, "ConnectionStrings:Workflow", "SQLite");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_file_that_is_not_a_sqlite_database_stops_the_host_and_is_left_as_it_was()
    {
        var folder = WorkflowApp.NewFolder();
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "workflow.db");
        var content = string.Concat(Enumerable.Repeat("某县上半年工作总结，不是数据库。\n", 200));
        await File.WriteAllTextAsync(file, content);

        try
        {
            var (exit, stderr, all) = await RunHostAsync(("ConnectionStrings:Workflow", $"Data Source={file}"));

            TheOneLine(exit, stderr, all, "ConnectionStrings:Workflow", "Sqlite");
            Assert.Equal(content, await File.ReadAllTextAsync(file));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_unknown_provider_stops_the_host_with_one_line_naming_the_setting()
    {
        var (exit, stderr, all) = await RunHostAsync(("Database:Provider", "Oracle"));

        TheOneLine(exit, stderr, all, "Database:Provider", "SqlServer");
    }

    private static void TheOneLine(int exit, string stderr, string all, string setting, string mentions)
    {
        Assert.NotEqual(0, exit);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.Contains(setting, line, StringComparison.Ordinal);
        Assert.Contains(mentions, line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(StackFrame(), all);
        Assert.DoesNotContain(Secret, all, StringComparison.Ordinal);
    }

    /// <summary>The built host in a folder of its own, given a minute to give up.</summary>
    private static async Task<(int Exit, string Stderr, string All)> RunHostAsync(params (string Key, string Value)[] settings)
    {
        var folder = WorkflowApp.NewFolder();
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Workflow.Host.dll"));
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DataProtection__KeysPath"] = Path.Combine(folder, "keys");
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"the host was still running after 60 s; output: {await stdout}{await stderr}");
            }

            return (process.ExitCode, await stderr, await stdout + await stderr);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [GeneratedRegex(@"^\s+at \S", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}
