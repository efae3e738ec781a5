using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using MassTransit;
using MassTransit.UsageTracking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Workflow.Tests.Integration;

/// <summary>
/// The host runs on government intranets: it connects to nothing outside the machine unless configured to
/// (broker, database, SMTP, webhooks). MassTransit 8.5's usage telemetry would otherwise reach the internet.
/// </summary>
public sealed class OutgoingConnectionTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    public const string StraceVariable = "WORKFLOW_TEST_STRACE";

    [Fact]
    public async Task MassTransit_usage_telemetry_is_off_on_the_running_bus()
    {
        await Api.Expect(await app.CreateClient().GetAsync("/health/ready"), HttpStatusCode.OK);

        // The tracker the bus was configured with; MASSTRANSIT_USAGE_TELEMETRY in the environment would override the code.
        var tracker = Assert.IsType<UsageTracker>(app.Services.GetRequiredService<IUsageTracker>());
        Assert.False(tracker.Enabled, "MassTransit's usage telemetry is on in the running host");
        var configured = app.Services.GetRequiredService<IOptionsFactory<UsageTelemetryOptions>>().Create(Options.DefaultName);
        Assert.False(configured.Enabled, "the host's messaging setup does not switch MassTransit's usage telemetry off");
    }

    [Fact]
    public async Task MassTransit_usage_telemetry_stays_off_when_the_environment_asks_for_it()
    {
        Environment.SetEnvironmentVariable("MASSTRANSIT_USAGE_TELEMETRY", "true");
        try
        {
            using var asked = new WorkflowApp();
            await Api.Expect(await asked.CreateClient().GetAsync("/health/ready"), HttpStatusCode.OK);

            var tracker = Assert.IsType<UsageTracker>(asked.Services.GetRequiredService<IUsageTracker>());
            Assert.False(tracker.Enabled, "MASSTRANSIT_USAGE_TELEMETRY=true turned MassTransit's usage telemetry on");
        }
        finally
        {
            Environment.SetEnvironmentVariable("MASSTRANSIT_USAGE_TELEMETRY", null);
        }
    }

    [Fact]
    public async Task The_host_process_connects_to_loopback_only()
    {
        var strace = TestServices.Require(StraceVariable, "The outgoing-connection test needs strace");
        var folder = WorkflowApp.NewFolder();
        var trace = Path.Combine(folder, "connect.trace");
        // A webhook receiver on loopback: its connection must show in the trace, so the trace is known to see the host's connects.
        await using var receiver = new WebhookReceiver();
        await receiver.StartAsync();
        List<(string, string)> settings =
        [
            ("Webhooks:Endpoints:0:Name", "loopback"),
            ("Webhooks:Endpoints:0:Url", receiver.Url("loopback")),
            ("Webhooks:Endpoints:0:Secret", WebhookReceiver.SharedSecret),
        ];
        string log;
        await using (var host = await HostProcess.StartAsync(folder, settings, "traced", [strace, "-f", "-e", "trace=connect", "-o", trace]))
        {
            // MassTransit starts its telemetry countdown just before it logs this; the report itself would come
            // minutes later (at least 30 s), which is why the test above checks the option.
            await Until(() => host.ReadLog().Contains("Bus started", StringComparison.Ordinal), "the bus did not start", host);

            var admin = await host.As("admin");
            var author = await host.As("zuzhi.author");
            var head = await host.As("zuzhi.head");
            var secretary = await host.As("committee.secretary");
            await Api.Read<JsonElement[]>(await author.GetAsync("/api/tasks"));
            var section = await Api.AddSection(admin, await Api.CreateReport(admin, "外联检查"));
            var version = await Api.EditAndSubmit(author, section, "一是深入组织动员，发展党员12名。");
            await Api.Expect(await Api.Decide(head, section, "approve", version, "同意"), HttpStatusCode.OK);
            // The approval's event went through the outbox and the bus to both consumers.
            await Until(
                async () => (await Api.Read<JsonElement[]>(await secretary.GetAsync("/api/notifications"))).Any(n => n.GetProperty("sectionId").GetString() == section.ToString()),
                "the committee got no notice of the approval",
                host);
            await receiver.WaitFor(d => d.Event == "SectionApproved" && d.SectionId == section.ToString() && d.Accepted, "of the approval", 30);

            await host.StopAsync();
            log = host.ReadLog();
        }

        var lines = await File.ReadAllLinesAsync(trace, TestContext.Current.CancellationToken);
        var port = new Uri(receiver.BaseUrl).Port;
        Assert.True(
            lines.Any(l => l.Contains($"htons({port})", StringComparison.Ordinal) && l.Contains("127.0.0.1", StringComparison.Ordinal)),
            $"the trace lacks the host's connection to the webhook receiver on port {port}: {trace}");
        var outside = ConnectTrace.Outside(lines);
        Assert.True(outside.Count == 0, $"the host connected outside loopback ({trace}):\n{string.Join('\n', outside)}");
        // MassTransit's own lines about it say "Usage Telemetry"; its namespace is UsageTracking.
        var telemetry = log.Split('\n').Where(l => Regex.IsMatch(l, "usage[-. ]?(tracking|telemetry)", RegexOptions.IgnoreCase)).ToList();
        Assert.True(telemetry.Count == 0, $"the host's log mentions usage tracking:\n{string.Join('\n', telemetry)}");
        Directory.Delete(folder, recursive: true);
    }

    private static Task Until(Func<bool> condition, string failure, HostProcess host) => Until(() => Task.FromResult(condition()), failure, host);

    private static async Task Until(Func<Task<bool>> condition, string failure, HostProcess host)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{failure} within 30 s; log:\n{string.Join('\n', host.LogTail(40))}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
