using System.Net;
using System.Text.Json;

namespace Workflow.Tests.Integration;

/// <summary>Invariant 5: an accepted command writes its state, rows, one audit entry and its events together, or nothing.</summary>
public sealed class AtomicityTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    [Fact]
    public async Task An_approval_writes_one_audit_entry_and_its_bus_messages_together()
    {
        var (section, version) = await SubmittedSection("一次写入");
        var before = (Audit: app.Count("AuditEntries"), Outbox: app.Count("Outbox"));

        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "approve", version, "同意"), HttpStatusCode.OK);

        Assert.Equal(before.Audit + 1, app.Count("AuditEntries"));
        var entry = (await Api.Read<JsonElement>(await (await app.As("auditor")).GetAsync($"/api/audit?sectionId={section}&action=section.approve"))).GetProperty("items").EnumerateArray().Single();
        var events = entry.GetProperty("data").GetProperty("events").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(["TaskClosed", "SectionApproved", "StageCompleted", "TaskAssigned", "TaskAssigned"], events);
        // Bus messages for what others act on: the approval and one new task per committee member.
        Assert.Equal(before.Outbox + events.Count(e => e is "SectionApproved" or "TaskAssigned"), app.Count("Outbox"));
    }

    [Fact]
    public async Task When_the_last_write_of_a_command_fails_nothing_of_it_remains()
    {
        var (section, version) = await SubmittedSection("半途失败");
        var before = (Audit: app.Count("AuditEntries"), SignOffs: app.Count("SignOffs"), Tasks: app.Count("Tasks", "\"Status\" = 'Pending'"), Outbox: app.Count("Outbox"));
        Execute("CREATE TRIGGER fail_outbox BEFORE INSERT ON Outbox BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END;");
        HttpResponseMessage response;
        try
        {
            response = await Api.Decide(await app.As("zuzhi.head"), section, "approve", version, "同意");
        }
        finally
        {
            Execute("DROP TRIGGER fail_outbox;");
        }

        var problem = await Api.ReadProblem(response, HttpStatusCode.InternalServerError);
        Assert.Contains("nothing was changed", problem.Detail);
        Assert.Equal(before, (app.Count("AuditEntries"), app.Count("SignOffs"), app.Count("Tasks", "\"Status\" = 'Pending'"), app.Count("Outbox")));
        var state = await Api.Read<JsonElement>(await (await app.As("zuzhi.head")).GetAsync($"/api/sections/{section}"));
        Assert.Equal("department", state.GetProperty("section").GetProperty("stage").GetString());
        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "approve", version, "同意"), HttpStatusCode.OK);
    }

    private void Execute(string sql)
    {
        using var db = app.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private async Task<(Guid Section, int Version)> SubmittedSection(string title)
    {
        var admin = await app.As("admin");
        var section = await Api.AddSection(admin, await Api.CreateReport(admin, title));
        return (section, await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "发展党员12名。"));
    }
}
