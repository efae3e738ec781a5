using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Workflow.Tests.Integration;

/// <summary>
/// Failures between the commit and the broker, on a RabbitMQ broker of these tests' own: the broker stops
/// while people keep working, and a host process is SIGKILLed after committing. In every case each event
/// reaches its consumers once: nothing lost, nothing doubled.
/// </summary>
public sealed class BrokerFailureTests(OutageBroker broker) : IClassFixture<OutageBroker>
{
    private static readonly string[] Committee = ["committee.secretary", "committee.deputy"];

    [Fact]
    public async Task With_the_broker_down_commands_succeed_and_every_event_is_delivered_once_when_it_returns()
    {
        await broker.EnsureRunningAsync();
        using var app = RabbitMqWorkflowApp.On(broker.Connection);
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "消息代理停机");
        var sections = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            var section = await Api.AddSection(admin, report, $"第{i + 1}节");
            Assert.Equal(2, await Api.EditAndSubmit(await app.As("zuzhi.author"), section, $"发展党员{i + 10}名。"));
            sections.Add(section);
        }

        // The bus works before the outage.
        foreach (var section in sections)
        {
            await app.WaitForNotice("zuzhi.head", n => Is(n, section, "task-assigned"), 60);
        }

        await broker.StopAsync();
        var head = await app.As("zuzhi.head");
        foreach (var section in sections.Take(3))
        {
            await Api.Expect(await Api.Decide(head, section, "approve", 2, "同意"), HttpStatusCode.OK);
        }

        // The dispatcher meets the dead broker for a while; people go on working all the same.
        await Task.Delay(TimeSpan.FromSeconds(8), TestContext.Current.CancellationToken);
        foreach (var section in sections.Skip(3))
        {
            await Api.Expect(await Api.Decide(head, section, "approve", 2, "同意"), HttpStatusCode.OK);
        }

        // Each approval waits in the outbox: SectionApproved and a TaskAssigned per committee member.
        var waiting = app.Count("Outbox", "\"SentAt\" IS NULL");
        Assert.True(waiting >= 3 * sections.Count, $"expected at least {3 * sections.Count} undelivered messages, found {waiting}");
        var pending = await Api.Read<JsonElement[]>(await admin.GetAsync("/api/outbox?state=pending"));
        Assert.True(pending.Length >= 3 * sections.Count);
        // An outage is not the messages' fault: no attempt is counted against them, none is parked, and the
        // host stays ready (commands do not need the broker).
        Assert.Equal(0, app.Count("Outbox", "\"ParkedAt\" IS NOT NULL"));
        Assert.Equal(0, app.Count("Outbox", "\"SentAt\" IS NULL AND \"Attempts\" > 0"));
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/health/ready", TestContext.Current.CancellationToken)).StatusCode);
        foreach (var member in Committee)
        {
            Assert.Empty((await app.Notices(member, sections[0], "task-assigned")));
        }

        var connection = broker.Connection;
        await broker.StartAsync();
        Assert.Equal(connection, broker.Connection);

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (app.Count("Outbox", "\"SentAt\" IS NULL") > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the outbox did not drain within 90 s of the broker's return");
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }

        foreach (var section in sections)
        {
            foreach (var member in Committee)
            {
                await app.WaitForNotice(member, n => Is(n, section, "task-assigned"), 60);
            }
        }

        // Let any duplicate that were to come arrive before counting.
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        foreach (var section in sections)
        {
            foreach (var member in Committee)
            {
                Assert.Single(await app.Notices(member, section, "task-assigned"));
            }

            Assert.Single(await app.Notices("zuzhi.head", section, "task-assigned"));
        }

        Assert.Equal(0, app.Count("Outbox", "\"ParkedAt\" IS NOT NULL"));
    }

    [Fact]
    public async Task A_host_killed_after_committing_and_before_publishing_delivers_the_events_after_restart_once()
    {
        await broker.EnsureRunningAsync();
        var folder = WorkflowApp.NewFolder();
        var settings = RabbitMqWorkflowApp.Settings(broker.Connection).ToList();
        Guid section;
        await using (var first = await HostProcess.StartAsync(folder, [.. settings, ("Messaging:Dispatcher:Enabled", "false")], "first"))
        {
            var admin = await first.As("admin");
            section = await Api.AddSection(admin, await Api.CreateReport(admin, "提交后崩溃"));
            await Api.EditAndSubmit(await first.As("zuzhi.author"), section, "发展党员12名。");
            await Api.Expect(await Api.Decide(await first.As("zuzhi.head"), section, "approve", 2, "同意"), HttpStatusCode.OK);

            // Committed, not published: the approval's messages sit in the outbox when the process dies.
            Assert.True(HostProcess.Scalar(folder, $"SELECT COUNT(*) FROM Outbox WHERE SentAt IS NULL AND SectionId = '{section.ToString().ToUpperInvariant()}'") >= 3);
            await first.KillAsync();
        }

        await using var second = await HostProcess.StartAsync(folder, settings, "second");
        foreach (var member in Committee)
        {
            await WaitForNotice(second, member, section, "task-assigned");
        }

        await WaitForDrainedOutbox(folder);
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        foreach (var member in Committee)
        {
            Assert.Single(await Notices(second, member, section, "task-assigned"));
        }

        Assert.Single(await Notices(second, "zuzhi.head", section, "task-assigned"));
    }

    [Fact]
    public async Task A_host_killed_in_the_middle_of_a_stream_of_approvals_loses_and_doubles_nothing()
    {
        await broker.EnsureRunningAsync();
        var folder = WorkflowApp.NewFolder();
        var settings = RabbitMqWorkflowApp.Settings(broker.Connection).ToList();
        var sections = new List<Guid>();
        await using (var first = await HostProcess.StartAsync(folder, settings, "first"))
        {
            var admin = await first.As("admin");
            var author = await first.As("zuzhi.author");
            var report = await Api.CreateReport(admin, "连续审批中崩溃");
            for (var i = 0; i < 12; i++)
            {
                var section = await Api.AddSection(admin, report, $"第{i + 1}节");
                await Api.EditAndSubmit(author, section, $"发展党员{i + 10}名。");
                sections.Add(section);
            }

            // Approvals stream in; the process is killed while it is committing and publishing them.
            var head = await first.As("zuzhi.head");
            var approvals = Task.Run(async () =>
            {
                foreach (var section in sections)
                {
                    try
                    {
                        var response = await Api.Decide(head, section, "approve", 2, "同意");
                        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    }
                    catch (HttpRequestException)
                    {
                        return;
                    }
                }
            });
            var started = DateTime.UtcNow;
            while (HostProcess.Scalar(folder, "SELECT COUNT(*) FROM Sections WHERE StageIndex = 2") < 5)
            {
                Assert.False(approvals.IsCompleted && approvals.IsFaulted, "approvals failed before the kill");
                Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60), "five approvals did not commit within 60 s");
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }

            await first.KillAsync();
            await approvals;
        }

        await using var second = await HostProcess.StartAsync(folder, settings, "second");
        await WaitForDrainedOutbox(folder);
        var atCommittee = sections.Where(s => HostProcess.Scalar(folder, $"SELECT StageIndex FROM Sections WHERE Id = '{s.ToString().ToUpperInvariant()}'") == 2).ToList();
        Assert.InRange(atCommittee.Count, 5, sections.Count);
        foreach (var section in atCommittee)
        {
            await WaitForNotice(second, "committee.secretary", section, "task-assigned");
        }

        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        var secretary = await second.As("committee.secretary");
        var notices = await Api.Read<JsonElement[]>(await secretary.GetAsync("/api/notifications"));
        foreach (var section in sections)
        {
            var expected = atCommittee.Contains(section) ? 1 : 0;
            Assert.Equal(expected, notices.Count(n => Is(n, section, "task-assigned")));
            Assert.Single(await Notices(second, "zuzhi.head", section, "task-assigned"));
        }
    }

    private static bool Is(JsonElement notice, Guid section, string kind) =>
        notice.GetProperty("sectionId").GetString() == section.ToString() && notice.GetProperty("kind").GetString() == kind;

    private static async Task<JsonElement[]> Notices(HostProcess host, string user, Guid section, string kind) =>
        (await Api.Read<JsonElement[]>(await (await host.As(user)).GetAsync("/api/notifications"))).Where(n => Is(n, section, kind)).ToArray();

    private static async Task WaitForNotice(HostProcess host, string user, Guid section, string kind)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await Notices(host, user, section, kind)).Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{user} got no {kind} notice within 60 s");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    private static async Task WaitForDrainedOutbox(string folder)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (HostProcess.Scalar(folder, "SELECT COUNT(*) FROM Outbox WHERE SentAt IS NULL") > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the outbox did not drain within 90 s");
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }
}
