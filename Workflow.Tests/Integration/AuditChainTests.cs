using System.Net;
using System.Text.Json;

namespace Workflow.Tests.Integration;

public sealed class AuditChainTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    [Fact]
    public async Task The_chain_is_intact_after_a_review_and_names_the_first_altered_entry()
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "审计链");
        var section = await Api.AddSection(admin, report);
        var version = await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "发展党员12名。");
        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "approve", version, "同意"), HttpStatusCode.OK);
        var auditor = await app.As("auditor");

        var intact = await Api.Read<JsonElement>(await auditor.GetAsync($"/api/reports/{report}/audit/verify"));
        Assert.True(intact.GetProperty("intact").GetBoolean());
        // report.create, the title and lead parts, the section, its submission and the approval.
        Assert.Equal(7, intact.GetProperty("entries").GetInt32());

        TamperWithOneRow(report, "UPDATE AuditEntries SET Data = replace(Data, '同意', '不同意') WHERE lower(ReportId) = lower($r) AND Sequence = 7");

        var broken = await Api.Read<JsonElement>(await auditor.GetAsync($"/api/reports/{report}/audit/verify"));
        Assert.False(broken.GetProperty("intact").GetBoolean());
        Assert.Equal(7, broken.GetProperty("firstBroken").GetProperty("sequence").GetInt64());
        Assert.Contains("altered", broken.GetProperty("firstBroken").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_deleted_entry_breaks_the_chain_at_the_gap()
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "删除审计");
        await Api.AddSection(admin, report);
        await Api.AddSection(admin, report, title: "第二节");
        TamperWithOneRow(report, "DELETE FROM AuditEntries WHERE lower(ReportId) = lower($r) AND Sequence = 2");

        var broken = await Api.Read<JsonElement>(await (await app.As("auditor")).GetAsync($"/api/reports/{report}/audit/verify"));

        Assert.Equal(3, broken.GetProperty("firstBroken").GetProperty("sequence").GetInt64());
    }

    [Fact]
    public async Task Removing_the_newest_entries_is_detected()
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "截尾");
        await Api.AddSection(admin, report);
        await Api.AddSection(admin, report, title: "第二节");
        TamperWithOneRow(report, "DELETE FROM AuditEntries WHERE lower(ReportId) = lower($r) AND Sequence = 5");

        var broken = await Api.Read<JsonElement>(await (await app.As("auditor")).GetAsync($"/api/reports/{report}/audit/verify"));

        Assert.False(broken.GetProperty("intact").GetBoolean());
        Assert.Equal(5, broken.GetProperty("firstBroken").GetProperty("sequence").GetInt64());
    }

    [Fact]
    public async Task The_audit_query_answers_who_changed_what_with_filters()
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "审计查询");
        var section = await Api.AddSection(admin, report);
        await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "发展党员12名。");
        var auditor = await app.As("auditor");

        var byAuthor = await Api.Read<JsonElement>(await auditor.GetAsync($"/api/audit?reportId={report}&actor=zuzhi.author"));
        Assert.Equal(["section.submit", "section.edit"], byAuthor.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()));
        var edit = byAuthor.GetProperty("items")[1].GetProperty("data");
        Assert.Equal(2, edit.GetProperty("version").GetInt32());
        Assert.Equal("补充数字", edit.GetProperty("details").GetProperty("note").GetString());

        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"));
        var none = await Api.Read<JsonElement>(await auditor.GetAsync($"/api/audit?reportId={report}&from={future}"));
        Assert.Equal(0, none.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Authors_may_not_read_the_county_wide_audit_trail()
    {
        var author = await app.As("zuzhi.author");

        await Api.ReadProblem(await author.GetAsync("/api/audit"), HttpStatusCode.Forbidden);
    }

    /// <summary>Changes the database behind the API's back, as someone with file access could.</summary>
    private void TamperWithOneRow(Guid report, string sql)
    {
        using var db = app.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$r", report.ToString());
        Assert.Equal(1, cmd.ExecuteNonQuery());
    }
}
