using System.Diagnostics;

namespace Workflow.Tests.Integration;

/// <summary>
/// A RabbitMQ broker of the test's own, started, stopped and restarted with deploy/rabbitmq.sh (own state
/// folder, next free port and node name), so outage tests never disturb the shared broker other tests use.
/// Its data survives a stop, as a real broker's durable queues do.
/// </summary>
public class PrivateBroker(int basePort, string nodeName) : IAsyncDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "workflow-tests", "broker-" + Guid.NewGuid().ToString("N")[..8]);

    public string Connection { get; private set; } = "";

    public bool Running { get; private set; }

    public async Task StartAsync()
    {
        // The shared broker's variable tells that RabbitMQ is installed and tests are meant to use it.
        TestServices.Require(RabbitMqWorkflowApp.Variable, "Broker outage tests need RabbitMQ");
        var output = await RunAsync("start");
        Connection = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim();
        Running = true;
    }

    public async Task StopAsync()
    {
        await RunAsync("stop");
        Running = false;
    }

    public async Task EnsureRunningAsync()
    {
        if (!Running)
        {
            await StartAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (Running)
        {
            await RunAsync("stop");
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<string> RunAsync(string verb)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "deploy", "rabbitmq.sh"));
        start.ArgumentList.Add(verb);
        start.Environment["WORKFLOW_SERVICES_DIR"] = folder;
        // Each test class's broker has its own port range and node name: classes run in parallel, and a
        // restarted broker must come back on its own port, not one another class's broker took meanwhile.
        start.Environment["RABBITMQ_PORT_TEST"] = basePort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["RABBITMQ_NODENAME_TEST"] = nodeName;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            Assert.Fail($"deploy/rabbitmq.sh {verb} failed ({process.ExitCode}): {await stderr}");
        }

        return await stdout;
    }

    /// <summary>The checkout the tests were built from (the folder holding deploy/rabbitmq.sh).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "deploy", "rabbitmq.sh")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("deploy/rabbitmq.sh not found above " + AppContext.BaseDirectory);
    }
}

// Ports below Linux's ephemeral range (32768-60999): there, a test's own outgoing connection can hold the port
// the broker is about to listen on (seen in CI as eaddrinuse on 56800).

/// <summary>The broker BrokerFailureTests stop and start (ports from 25800).</summary>
public sealed class OutageBroker() : PrivateBroker(25800, "workflow-outage@localhost");

/// <summary>The broker ScaleOutTests share between two hosts (ports from 25900).</summary>
public sealed class ScaleOutBroker() : PrivateBroker(25900, "workflow-scale@localhost");
