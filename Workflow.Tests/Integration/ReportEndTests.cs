using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using Workflow.Activities.Documents;

namespace Workflow.Tests.Integration;

/// <summary>
/// The report's end: its title, lead and closing reviewed like sections, 签发 with the password entered again and bound
/// to the final text's hash, the lock (定稿), the final document, and 复审 giving the next final.
/// </summary>
public abstract class ReportEndSpec(WorkflowApp app)
{
    private const string Password = "Demo-2026!";

    [Fact]
    public async Task The_title_lead_and_closing_are_parts_with_versions_placeholders_and_a_committee_review()
    {
        var admin = await app.As("admin");
        var created = await Api.Read<JsonElement>(await admin.PostAsJsonAsync("/api/reports", new { title = "部分审核", lead = "XX县委坚持党要管党。", closing = "下半年，县委将继续努力。" }), HttpStatusCode.Created);
        var report = created.GetProperty("id").GetGuid();
        Assert.Equal(["title", "lead", "closing"], created.GetProperty("sections").EnumerateArray().Select(s => s.GetProperty("kind").GetString()));
        Assert.Equal("drafting", created.GetProperty("state").GetString());
        var lead = Part(created, "lead");
        Assert.Equal(1, lead.GetProperty("missingFigures").GetInt32());
        Assert.Equal("admin", lead.GetProperty("pendingWith")[0].GetProperty("userName").GetString());

        // The committee cannot approve a lead that still reads XX县委: it returns it, the clerk fills it in and resubmits.
        var leadId = lead.GetProperty("id").GetGuid();
        await Api.Expect(await Api.Decide(admin, leadId, "submit", 1), HttpStatusCode.OK);
        var deputy = await app.As("committee.deputy");
        Assert.Equal("missing-figures", (await Api.ReadProblem(await Api.Decide(deputy, leadId, "approve", 1, "同意"), HttpStatusCode.UnprocessableEntity)).Code);
        await Api.Expect(await Api.Decide(deputy, leadId, "return", 1, "请补全县名。"), HttpStatusCode.OK);
        var filled = await Api.Read<JsonElement>(await Api.Edit(admin, leadId, "南山县委坚持党要管党。", 1));
        Assert.Equal(2, filled.GetProperty("version").GetInt32());
        await Api.Expect(await Api.Decide(admin, leadId, "submit", 2), HttpStatusCode.OK);
        await Api.Expect(await Api.Decide(deputy, leadId, "approve", 2, "同意"), HttpStatusCode.OK);
        // The clerk's notices name the report a part belongs to, not just "导语".
        await app.WaitForNotice("admin", n => n.GetProperty("text").GetString() == "“《部分审核》的导语”已审核通过");

        // A line break in the title part says where the printed title wraps; lists show the title on one line.
        var title = Part(created, "title").GetProperty("id").GetGuid();
        await Api.Expect(await Api.Edit(admin, title, "中共南山县委关于2020年上半年\n加强党的建设工作情况的报告", 1), HttpStatusCode.OK);
        var detail = await Api.Read<JsonElement>(await admin.GetAsync($"/api/reports/{report}"));
        Assert.Equal("中共南山县委关于2020年上半年加强党的建设工作情况的报告", detail.GetProperty("title").GetString());
        Assert.Equal("南山县委坚持党要管党。", detail.GetProperty("lead").GetString());
        Assert.Equal("approved", Part(detail, "lead").GetProperty("status").GetString());
        Assert.Equal("inReview", detail.GetProperty("state").GetString());
        var diff = await Api.Read<JsonElement>(await admin.GetAsync($"/api/sections/{leadId}/diff?from=1&to=2"));
        Assert.Contains("南山", diff.GetRawText());
        Assert.True((await Api.Read<JsonElement>(await (await app.As("auditor")).GetAsync($"/api/reports/{report}/audit/verify"))).GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task Signing_off_is_refused_until_every_part_is_approved_and_no_placeholder_is_left()
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "未完成的报告");
        var section = await Api.AddSection(admin, report, content: "一是发展党员12名。");
        var secretary = await app.As("committee.secretary");

        var early = await Api.ReadProblem(await SignOff(secretary, report), HttpStatusCode.Conflict);
        Assert.Equal("report-not-approved", early.Code);
        Assert.Contains("标题", early.Detail);

        await ApproveAll(report);
        Assert.Equal("issuer-required", (await Api.ReadProblem(await SignOff(secretary, report), HttpStatusCode.Conflict)).Code);
        await Api.Expect(await admin.PutAsJsonAsync($"/api/reports/{report}/issuer", new { issuer = "中共XX县委", addressee = "市委" }), HttpStatusCode.OK);
        var placeholder = await Api.ReadProblem(await SignOff(secretary, report), HttpStatusCode.Conflict);
        Assert.Equal("placeholders-left", placeholder.Code);
        Assert.Contains("XX", placeholder.Detail);

        await Api.Expect(await admin.PutAsJsonAsync($"/api/reports/{report}/issuer", new { issuer = "中共南山县委", addressee = "市委" }), HttpStatusCode.OK);
        Assert.Contains(await Api.Read<JsonElement[]>(await secretary.GetAsync("/api/tasks/signoffs")), t => t.GetProperty("reportId").GetGuid() == report);
        Assert.Empty(await Api.Read<JsonElement[]>(await (await app.As("committee.deputy")).GetAsync("/api/tasks/signoffs")));
        Assert.Equal("awaitingSignOff", (await Api.Read<JsonElement>(await admin.GetAsync($"/api/reports/{report}"))).GetProperty("state").GetString());
        Assert.Equal(section, (await Api.Read<JsonElement>(await admin.GetAsync($"/api/reports/{report}"))).GetProperty("sections").EnumerateArray().Single(s => s.GetProperty("kind").GetString() == "body").GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Only_a_signer_who_enters_their_password_again_signs_and_a_wrong_password_is_audited()
    {
        var report = await ReadyReport("签发口令");
        var secretary = await app.As("committee.secretary");

        Assert.Equal("not-signer", (await Api.ReadProblem(await SignOff(await app.As("committee.deputy"), report), HttpStatusCode.Forbidden)).Code);
        Assert.Equal("password-required", (await Api.ReadProblem(await secretary.PostAsJsonAsync($"/api/reports/{report}/signoff", new { opinion = "同意上报" }), HttpStatusCode.BadRequest)).Code);
        Assert.Equal("opinion-required", (await Api.ReadProblem(await secretary.PostAsJsonAsync($"/api/reports/{report}/signoff", new { opinion = " ", password = Password }), HttpStatusCode.BadRequest)).Code);
        var wrong = await Api.ReadProblem(await SignOff(secretary, report, password: "not-my-password"), HttpStatusCode.Forbidden);
        Assert.Equal("reauthentication-failed", wrong.Code);

        var detail = await Api.Read<JsonElement>(await secretary.GetAsync($"/api/reports/{report}"));
        Assert.Equal("awaitingSignOff", detail.GetProperty("state").GetString());
        Assert.Empty(await Api.Read<JsonElement[]>(await secretary.GetAsync($"/api/reports/{report}/finals")));
        var refused = await Api.Read<JsonElement>(await (await app.As("auditor")).GetAsync($"/api/audit?reportId={report}&action=report.signoff-refused"));
        var entry = Assert.Single(refused.GetProperty("items").EnumerateArray());
        Assert.Equal("committee.secretary", entry.GetProperty("actorName").GetString());
        Assert.DoesNotContain("not-my-password", refused.GetRawText());

        // The text the signer was shown is what is signed: a hash of anything else is refused.
        Assert.Equal("report-changed", (await Api.ReadProblem(await SignOff(secretary, report, hash: new string('0', 64)), HttpStatusCode.Conflict)).Code);
        var signed = await Api.Read<JsonElement>(await SignOff(secretary, report), HttpStatusCode.Created);
        Assert.Equal(1, signed.GetProperty("number").GetInt32());
        await app.WaitForNotice("committee.secretary", n => n.GetProperty("text").GetString() == "待签发：《签发口令》各部分均已审核通过，请签发");
        await app.WaitForNotice("admin", n => n.GetProperty("text").GetString() == "《签发口令》已由县委书记签发，定稿 1");
        Assert.Equal("县委书记", signed.GetProperty("signer").GetString());
        Assert.Equal("同意上报", signed.GetProperty("opinion").GetString());
        Assert.Contains("signer", signed.GetProperty("signerTitle").GetString());
        Assert.True((await Api.Read<JsonElement>(await (await app.As("auditor")).GetAsync($"/api/reports/{report}/audit/verify"))).GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task A_signed_report_is_locked_and_exports_as_the_final_document()
    {
        var report = await ReadyReport("定稿锁定");
        var admin = await app.As("admin");
        var section = Part(await Api.Read<JsonElement>(await admin.GetAsync($"/api/reports/{report}")), "body").GetProperty("id").GetGuid();
        var draft = await Text(await admin.GetAsync($"/api/reports/{report}/export?format=txt"));
        Assert.Contains("征求意见稿", draft);

        var signed = await Api.Read<JsonElement>(await SignOff(await app.As("committee.secretary"), report), HttpStatusCode.Created);

        var detail = await Api.Read<JsonElement>(await admin.GetAsync($"/api/reports/{report}"));
        Assert.Equal("final", detail.GetProperty("state").GetString());
        Assert.Equal(signed.GetProperty("hash").GetString(), detail.GetProperty("final").GetProperty("hash").GetString());
        Assert.Equal(1, detail.GetProperty("final").GetProperty("number").GetInt32());
        var finals = await Api.Read<JsonElement[]>(await admin.GetAsync($"/api/reports/{report}/finals"));
        Assert.Equal(["title", "lead", "body"], Assert.Single(finals).GetProperty("parts").EnumerateArray().Select(p => p.GetProperty("kind").GetString()));

        // Nothing changes a locked report: edits, decisions, assignment, new sections, imports, the issuer, another 签发.
        var author = await app.As("zuzhi.author");
        Assert.Equal("report-locked", (await Api.ReadProblem(await Api.Edit(author, section, "一是发展党员13名。", 1), HttpStatusCode.Conflict)).Code);
        Assert.Equal("report-locked", (await Api.ReadProblem(await Api.Decide(author, section, "withdraw", 1, "撤回"), HttpStatusCode.Conflict)).Code);
        Assert.Equal("report-locked", (await Api.ReadProblem(await admin.PutAsJsonAsync($"/api/sections/{section}/assignment", new { department = "jiwei", author = "jiwei.author" }), HttpStatusCode.Conflict)).Code);
        Assert.Equal("report-locked", (await Api.ReadProblem(await admin.PostAsJsonAsync($"/api/reports/{report}/sections", new { title = "新增", number = "（二）", content = "内容。", department = "zuzhi", author = "zuzhi.author" }), HttpStatusCode.Conflict)).Code);
        Assert.Equal("report-locked", (await Api.ReadProblem(await admin.PutAsJsonAsync($"/api/reports/{report}/issuer", new { issuer = "中共北山县委" }), HttpStatusCode.Conflict)).Code);
        Assert.Equal("report-locked", (await Api.ReadProblem(await admin.PostAsync($"/api/reports/{report}/import", new StringContent("一、新内容\n发展党员12名。", System.Text.Encoding.UTF8, "text/plain")), HttpStatusCode.Conflict)).Code);
        Assert.Equal("report-locked", (await Api.ReadProblem(await SignOff(await app.As("committee.secretary"), report), HttpStatusCode.Conflict)).Code);

        // The final document: no 征求意见稿, the issuer and the day of signing (Beijing time) at its end.
        var day = DateTimeOffset.Parse(signed.GetProperty("signedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToOffset(TimeSpan.FromHours(8));
        var words = await DocxText(await admin.GetAsync($"/api/reports/{report}/export?format=docx"));
        Assert.DoesNotContain("征求意见稿", words);
        Assert.Contains("中共南山县委", words);
        Assert.Contains($"{day.Year}年{day.Month}月{day.Day}日", words);
        Assert.Contains("市委组织部：", words);
        Assert.Equal(words, await DocxText(await admin.GetAsync($"/api/reports/{report}/finals/1/export?format=docx")));
    }

    [Fact]
    public async Task A_reopened_report_keeps_its_other_approvals_and_a_second_signoff_gives_final_2()
    {
        var report = await ReadyReport("复审报告");
        var admin = await app.As("admin");
        var secretary = await app.As("committee.secretary");
        var detail = await Api.Read<JsonElement>(await admin.GetAsync($"/api/reports/{report}"));
        var section = Part(detail, "body").GetProperty("id").GetGuid();
        var lead = Part(detail, "lead").GetProperty("id").GetGuid();

        Assert.Equal("report-not-signed", (await Api.ReadProblem(await Reopen(admin, report, "复核数字", section), HttpStatusCode.Conflict)).Code);
        await Api.Expect(await SignOff(secretary, report), HttpStatusCode.Created);
        Assert.Equal("reason-required", (await Api.ReadProblem(await Reopen(admin, report, " ", section), HttpStatusCode.BadRequest)).Code);
        Assert.Equal("sections-required", (await Api.ReadProblem(await admin.PostAsJsonAsync($"/api/reports/{report}/reopen", new { reason = "复核" }), HttpStatusCode.BadRequest)).Code);
        Assert.Equal("unknown-section", (await Api.ReadProblem(await Reopen(admin, report, "复核", Guid.NewGuid()), HttpStatusCode.BadRequest)).Code);
        Assert.Equal(HttpStatusCode.Forbidden, (await Reopen(secretary, report, "复核", section)).StatusCode);

        var reopened = await Api.Read<JsonElement>(await Reopen(admin, report, "市委要求核实发展党员人数", section));
        Assert.Equal(1, reopened.GetProperty("final").GetInt32());

        detail = await Api.Read<JsonElement>(await admin.GetAsync($"/api/reports/{report}"));
        Assert.Equal("rereview", detail.GetProperty("state").GetString());
        Assert.Equal("returned", Part(detail, "body").GetProperty("status").GetString());
        Assert.Equal("approved", Part(detail, "lead").GetProperty("status").GetString());
        Assert.Equal(lead, Part(detail, "lead").GetProperty("id").GetGuid());
        var finals = await Api.Read<JsonElement[]>(await admin.GetAsync($"/api/reports/{report}/finals"));
        Assert.Equal("市委要求核实发展党员人数", Assert.Single(finals).GetProperty("final").GetProperty("reopenReason").GetString());

        // The author corrects the figure, it goes up the route again, and the secretary signs the second final.
        var author = await app.As("zuzhi.author");
        var version = await Api.Read<JsonElement>(await Api.Edit(author, section, "一是发展党员15名。", 1));
        var v = version.GetProperty("version").GetInt32();
        await Api.Expect(await Api.Decide(author, section, "submit", v), HttpStatusCode.OK);
        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "approve", v, "同意"), HttpStatusCode.OK);
        await Api.Expect(await Api.Decide(await app.As("committee.deputy"), section, "approve", v, "同意"), HttpStatusCode.OK);
        var second = await Api.Read<JsonElement>(await SignOff(secretary, report, opinion: "同意，更正后上报"), HttpStatusCode.Created);
        Assert.Equal(2, second.GetProperty("number").GetInt32());

        finals = await Api.Read<JsonElement[]>(await admin.GetAsync($"/api/reports/{report}/finals"));
        Assert.Equal([1, 2], finals.Select(f => f.GetProperty("final").GetProperty("number").GetInt32()));
        Assert.NotEqual(finals[0].GetProperty("final").GetProperty("hash").GetString(), finals[1].GetProperty("final").GetProperty("hash").GetString());
        var compare = await Api.Read<JsonElement>(await admin.GetAsync($"/api/reports/{report}/finals/compare?from=1&to=2"));
        var runs = compare.GetProperty("runs").EnumerateArray().ToList();
        Assert.Contains(runs, r => r.GetProperty("op").GetString() == "delete" && r.GetProperty("text").GetString()!.Contains('2'));
        Assert.Contains(runs, r => r.GetProperty("op").GetString() == "insert" && r.GetProperty("text").GetString()!.Contains('5'));
        // Each final exports as it was signed.
        Assert.Contains("发展党员12名", await DocxText(await admin.GetAsync($"/api/reports/{report}/finals/1/export?format=docx")));
        Assert.Contains("发展党员15名", await DocxText(await admin.GetAsync($"/api/reports/{report}/finals/2/export?format=docx")));
    }

    [Fact]
    public async Task A_part_can_be_reopened_straight_to_the_committee()
    {
        var report = await ReadyReport("复审到县委");
        var admin = await app.As("admin");
        await Api.Expect(await SignOff(await app.As("committee.secretary"), report), HttpStatusCode.Created);
        var lead = Part(await Api.Read<JsonElement>(await admin.GetAsync($"/api/reports/{report}")), "lead").GetProperty("id").GetGuid();

        // A stage the part's route does not have is refused, and the refusal leaves the report signed and locked.
        Assert.Equal("invalid-return-target", (await Api.ReadProblem(await admin.PostAsJsonAsync($"/api/reports/{report}/reopen", new { reason = "再议", sections = new[] { new { id = lead, toStage = "nowhere" } } }), HttpStatusCode.Conflict)).Code);
        Assert.Equal("final", (await Api.Read<JsonElement>(await admin.GetAsync($"/api/reports/{report}"))).GetProperty("state").GetString());

        await Api.Expect(await admin.PostAsJsonAsync($"/api/reports/{report}/reopen", new { reason = "导语措辞再斟酌", sections = new[] { new { id = lead, toStage = "committee" } } }), HttpStatusCode.OK);

        var tasks = await Api.Read<JsonElement[]>(await (await app.As("committee.deputy")).GetAsync("/api/tasks"));
        Assert.Contains(tasks, t => t.GetProperty("sectionId").GetGuid() == lead);
    }

    private static JsonElement Part(JsonElement report, string kind) =>
        report.GetProperty("sections").EnumerateArray().First(s => s.GetProperty("kind").GetString() == kind);

    private static Task<HttpResponseMessage> SignOff(HttpClient c, Guid report, string opinion = "同意上报", string password = Password, string? hash = null) =>
        c.PostAsJsonAsync($"/api/reports/{report}/signoff", new { opinion, password, hash });

    private static Task<HttpResponseMessage> Reopen(HttpClient c, Guid report, string reason, Guid section) =>
        c.PostAsJsonAsync($"/api/reports/{report}/reopen", new { reason, sections = new[] { new { id = section, toStage = (string?)null } } });

    private static async Task<string> Text(HttpResponseMessage r)
    {
        await Api.Expect(r, HttpStatusCode.OK);
        return await r.Content.ReadAsStringAsync();
    }

    private static async Task<string> DocxText(HttpResponseMessage r)
    {
        await Api.Expect(r, HttpStatusCode.OK);
        using var doc = WordprocessingDocument.Open(new MemoryStream(await r.Content.ReadAsByteArrayAsync()), false);
        return string.Join("\n", doc.MainDocumentPart!.Document.Body!.Descendants<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText));
    }

    /// <summary>A report with its title, lead and one section approved, an issuer and addressee set: ready for 签发.</summary>
    private async Task<Guid> ReadyReport(string title)
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, title);
        await Api.AddSection(admin, report, content: "一是发展党员12名。");
        await ApproveAll(report);
        await Api.Expect(await admin.PutAsJsonAsync($"/api/reports/{report}/issuer", new { issuer = "中共南山县委", addressee = "市委组织部" }), HttpStatusCode.OK);
        return report;
    }

    /// <summary>Walks every part of the report up its route at version 1: sections by their author and head, the report's own parts by the clerk; the deputy approves for the committee.</summary>
    private async Task ApproveAll(Guid report)
    {
        var admin = await app.As("admin");
        var deputy = await app.As("committee.deputy");
        var detail = await Api.Read<JsonElement>(await admin.GetAsync($"/api/reports/{report}"));
        foreach (var part in detail.GetProperty("sections").EnumerateArray().Where(s => !s.GetProperty("isGroup").GetBoolean()))
        {
            var id = part.GetProperty("id").GetGuid();
            if (part.GetProperty("kind").GetString() == "body")
            {
                await Api.Expect(await Api.Decide(await app.As("zuzhi.author"), id, "submit", 1), HttpStatusCode.OK);
                await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), id, "approve", 1, "同意"), HttpStatusCode.OK);
            }
            else
            {
                await Api.Expect(await Api.Decide(admin, id, "submit", 1), HttpStatusCode.OK);
            }

            await Api.Expect(await Api.Decide(deputy, id, "approve", 1, "同意"), HttpStatusCode.OK);
        }
    }
}

public sealed class SqliteReportEndTests(WorkflowApp app) : ReportEndSpec(app), IClassFixture<WorkflowApp>;

public sealed class PostgresReportEndTests(PostgresWorkflowApp app) : ReportEndSpec(app), IClassFixture<PostgresWorkflowApp>;
