using System.Net;
using System.Text.Json;
using Npgsql;

namespace Workflow.Tests.Integration;

/// <summary>
/// Scale-out (ARCHITECTURE §8): two host processes on one PostgreSQL database and one broker, approvals
/// arriving at both, one of them SIGKILLed half-way. The survivor takes over the dead host's claimed outbox
/// rows when their lease runs out; every event reaches its consumer once.
/// </summary>
public sealed class ScaleOutTests(ScaleOutBroker broker) : IClassFixture<ScaleOutBroker>
{
    [Fact]
    public async Task Two_hosts_on_one_database_deliver_each_event_once_even_when_one_is_killed()
    {
        PostgresServer.Require();
        await broker.EnsureRunningAsync();
        var database = "workflow_scale_" + Guid.NewGuid().ToString("N")[..12];
        PostgresServer.CreateDatabase(database);
        var folder = WorkflowApp.NewFolder();
        try
        {
            List<(string, string)> settings =
            [
                .. RabbitMqWorkflowApp.Settings(broker.Connection),
                ("Database:Provider", "PostgreSql"),
                ("ConnectionStrings:Workflow", PostgresServer.Database(database)),
            ];
            // The first host seeds the county; the second starts on the seeded database (both share the keys folder).
            await using var first = await HostProcess.StartAsync(folder, settings, "first");
            await using var second = await HostProcess.StartAsync(folder, settings, "second");

            var admin = await first.As("admin");
            var author = await second.As("zuzhi.author");
            var report = await Api.CreateReport(admin, "两台主机");
            var sections = new List<Guid>();
            for (var i = 0; i < 16; i++)
            {
                var section = await Api.AddSection(admin, report, $"第{i + 1}节");
                await Api.EditAndSubmit(author, section, $"发展党员{i + 10}名。");
                sections.Add(section);
            }

            // Approvals go to both hosts at once; the first host dies after a few of its own.
            var heads = new[] { await first.As("zuzhi.head"), await second.As("zuzhi.head") };
            var approvals = Enumerable.Range(0, 2).Select(h => Task.Run(async () =>
            {
                foreach (var section in sections.Where((_, i) => i % 2 == h))
                {
                    try
                    {
                        var response = await Api.Decide(heads[h], section, "approve", 2, "同意");
                        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    }
                    catch (HttpRequestException) when (h == 0)
                    {
                        return;
                    }
                }
            })).ToArray();
            var started = DateTime.UtcNow;
            while (Scalar(database, "SELECT COUNT(*) FROM \"Sections\" WHERE \"StageIndex\" = 2") < 4)
            {
                Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60), "four approvals did not commit within 60 s");
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }

            await first.KillAsync();
            await Task.WhenAll(approvals);

            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (Scalar(database, "SELECT COUNT(*) FROM \"Outbox\" WHERE \"SentAt\" IS NULL") > 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the surviving host did not drain the outbox within 90 s");
                await Task.Delay(250, TestContext.Current.CancellationToken);
            }

            var atCommittee = sections.Where(s => Scalar(database, $"SELECT \"StageIndex\" FROM \"Sections\" WHERE \"Id\" = '{s}'") == 2).ToList();
            Assert.True(atCommittee.Count >= 8, $"the second host's approvals all went through, and some of the first's: {atCommittee.Count}");
            var secretary = await second.As("committee.secretary");
            var until = DateTime.UtcNow.AddSeconds(60);
            JsonElement[] notices;
            while (true)
            {
                notices = (await Api.Read<JsonElement[]>(await secretary.GetAsync("/api/notifications")))
                    .Where(n => n.GetProperty("kind").GetString() == "task-assigned").ToArray();
                if (atCommittee.All(s => notices.Any(n => n.GetProperty("sectionId").GetGuid() == s)) || DateTime.UtcNow > until)
                {
                    break;
                }

                await Task.Delay(200, TestContext.Current.CancellationToken);
            }

            foreach (var section in sections)
            {
                Assert.Equal(atCommittee.Contains(section) ? 1 : 0, notices.Count(n => n.GetProperty("sectionId").GetGuid() == section));
            }

            // Every TaskAssigned message, whichever host published it, reached the notification consumer.
            var consumedBy = DateTime.UtcNow.AddSeconds(60);
            while (Scalar(database, "SELECT COUNT(*) FROM \"Outbox\" o WHERE o.\"MessageType\" = 'TaskAssigned' AND NOT EXISTS (SELECT 1 FROM \"Inbox\" i WHERE i.\"MessageId\" = o.\"Id\")") > 0)
            {
                Assert.True(DateTime.UtcNow < consumedBy, "some TaskAssigned messages were never consumed");
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            PostgresServer.DropDatabase(database);
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static long Scalar(string database, string sql)
    {
        using var c = new NpgsqlConnection(PostgresServer.Database(database));
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
