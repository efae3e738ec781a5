using System.Net;
using System.Text.Json;

namespace Workflow.Tests.Integration;

/// <summary>Removing a report: deleted while nobody has decided on it, otherwise only archived (hidden, kept, read-only).</summary>
public abstract class ReportRemovalSpec(WorkflowApp app)
{
    [Fact]
    public async Task A_report_nobody_decided_on_is_deleted_and_the_county_trail_records_it()
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "误建的报告");
        var section = await Api.AddSection(admin, report);
        await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "一是发展党员12名。");
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.As("zuzhi.head")).DeleteAsync($"/api/reports/{report}")).StatusCode);

        await Api.Expect(await admin.DeleteAsync($"/api/reports/{report}"), HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/reports/{report}")).StatusCode);
        Assert.DoesNotContain(await Api.Read<JsonElement[]>(await (await app.As("zuzhi.head")).GetAsync("/api/tasks")), t => t.GetProperty("sectionId").GetGuid() == section);
        var auditor = await app.As("auditor");
        var deleted = await Api.Read<JsonElement>(await auditor.GetAsync("/api/audit?action=report.delete&take=50"));
        Assert.Contains(deleted.GetProperty("items").EnumerateArray(), e => e.GetProperty("data").GetRawText().Contains(report.ToString(), StringComparison.Ordinal));
        // The report's own trail stays readable.
        Assert.NotEmpty((await Api.Read<JsonElement>(await auditor.GetAsync($"/api/audit?reportId={report}"))).GetProperty("items").EnumerateArray());
        Assert.True((await Api.Read<JsonElement>(await auditor.GetAsync($"/api/reports/{Guid.Empty}/audit/verify"))).GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task A_report_with_a_decision_is_only_archived_then_hidden_and_read_only()
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "已审批的报告");
        var section = await Api.AddSection(admin, report);
        var version = await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "一是发展党员12名。");
        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "return", version, "请补充。"), HttpStatusCode.OK);

        Assert.Equal("report-decided", (await Api.ReadProblem(await admin.DeleteAsync($"/api/reports/{report}"), HttpStatusCode.Conflict)).Code);
        await Api.Expect(await admin.PostAsync($"/api/reports/{report}/archive", null), HttpStatusCode.OK);

        Assert.DoesNotContain(await Api.Read<JsonElement[]>(await admin.GetAsync("/api/reports")), r => r.GetProperty("id").GetGuid() == report);
        await Api.Expect(await admin.GetAsync($"/api/reports/{report}"), HttpStatusCode.OK);
        var author = await app.As("zuzhi.author");
        Assert.Equal("report-archived", (await Api.ReadProblem(await Api.Edit(author, section, "一是发展党员15名。", version), HttpStatusCode.Conflict)).Code);
        Assert.Equal("report-archived", (await Api.ReadProblem(await admin.PostAsync($"/api/reports/{report}/sections", System.Net.Http.Json.JsonContent.Create(new { title = "新增", number = "（二）", content = "内容。", department = "zuzhi", author = "zuzhi.author" })), HttpStatusCode.Conflict)).Code);
        var trail = await Api.Read<JsonElement>(await (await app.As("auditor")).GetAsync($"/api/audit?reportId={report}&action=report.archive"));
        Assert.Single(trail.GetProperty("items").EnumerateArray());
    }
}

public sealed class SqliteReportRemovalTests(WorkflowApp app) : ReportRemovalSpec(app), IClassFixture<WorkflowApp>;

public sealed class PostgresReportRemovalTests(PostgresWorkflowApp app) : ReportRemovalSpec(app), IClassFixture<PostgresWorkflowApp>;
