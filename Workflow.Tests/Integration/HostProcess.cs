using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Workflow.Tests.Integration;

/// <summary>
/// The host as a real operating-system process (the built Workflow.Host.dll) serving HTTP on a free loopback
/// port, over a folder's SQLite file, so a test can SIGKILL it and start another on the same data.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly string logPath;
    private readonly bool wrapped;

    private HostProcess(Process process, Uri address, string logPath, bool wrapped)
    {
        this.process = process;
        Address = address;
        this.logPath = logPath;
        this.wrapped = wrapped;
    }

    public Uri Address { get; }

    /// <summary>
    /// Starts the host; a <paramref name="wrapper"/> command (e.g. strace and its options) runs it as its child
    /// and must exit when the host does.
    /// </summary>
    public static async Task<HostProcess> StartAsync(string folder, IEnumerable<(string Key, string Value)> settings, string name, IReadOnlyList<string>? wrapper = null)
    {
        Directory.CreateDirectory(folder);
        var port = FreePort();
        var start = new ProcessStartInfo(wrapper?[0] ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        if (wrapper is not null)
        {
            foreach (var argument in wrapper.Skip(1).Append("dotnet"))
            {
                start.ArgumentList.Add(argument);
            }
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Workflow.Host.dll"));
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Workflow"] = $"Data Source={Path.Combine(folder, "workflow.db")}";
        start.Environment["DataProtection__KeysPath"] = Path.Combine(folder, "keys");
        start.Environment["Demo__Seed"] = "true";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var logPath = Path.Combine(folder, $"{name}.log");
        var process = Process.Start(start)!;
        var log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new HostProcess(process, new Uri($"http://127.0.0.1:{port}"), logPath, wrapper is not null);
        await host.WaitReadyAsync();
        return host;
    }

    /// <summary>The last lines the host wrote (standard output and error), for a failing test's message.</summary>
    public IReadOnlyList<string> LogTail(int lines)
    {
        var all = ReadLog().Split('\n');
        return all[Math.Max(0, all.Length - lines)..];
    }

    /// <summary>All the host wrote so far (standard output and error).</summary>
    public string ReadLog()
    {
        using var stream = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>SIGTERM, as a service manager stops the host: it runs its shutdown (bus, hosted services) and exits.</summary>
    public async Task StopAsync()
    {
        // A wrapper such as strace -o FILE ignores the signal and exits after the host, its only child.
        var pid = wrapped ? int.Parse(File.ReadAllText($"/proc/{process.Id}/task/{process.Id}/children").Trim(), System.Globalization.CultureInfo.InvariantCulture) : process.Id;
        Assert.Equal(0, SendSignal(pid, SigTerm));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the host did not stop within 60 s of SIGTERM; log: {logPath}");
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing; whatever was not committed is gone.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async Task<HttpClient> As(string userName)
    {
        var client = new HttpClient { BaseAddress = Address };
        var login = await client.PostAsJsonAsync("/api/auth/login", new { userName, password = WorkflowApp.Password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    /// <summary>A scalar read straight from a host folder's database (works while a host runs: WAL).</summary>
    public static long Scalar(string folder, string sql)
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(folder, "workflow.db")};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task WaitReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                Assert.Fail($"the host exited with {process.ExitCode} during start-up; log: {await File.ReadAllTextAsync(logPath)}");
            }

            try
            {
                if ((await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        Assert.Fail($"the host was not ready within 60 s; log: {logPath}");
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    private const int SigTerm = 15;

    [DllImport("libc.so.6", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
