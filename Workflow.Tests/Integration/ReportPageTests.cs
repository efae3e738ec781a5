using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;

namespace Workflow.Tests.Integration;

using static PageClient;

/// <summary>
/// The report's end on the pages: the board's state chip and parts, 签发 with the password for the signer (the demo's
/// county secretary), the issuing organ for the clerk, 复审 for an administrator, the finals and their comparison, the
/// report sheet (报告签发单), the report list and the signer's 待办. Each test walks its own report to 待签发 by API:
/// the title, lead and closing are drafted by the clerk (admin) and reviewed by committee.deputy, the one section by
/// 组织部.
/// </summary>
public sealed partial class ReportPageTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    private const string Closing = "下半年，县委将继续抓好党建工作。";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_board_shows_the_reports_state_and_its_parts_in_order_and_offers_sign_off_to_the_signer_only()
    {
        var (report, _) = await AwaitingSignOff("看板签发");

        var deputy = await Person("committee.deputy");
        var board = await Page(deputy, $"/reports/{report}");
        Assert.Contains("data-state=\"AwaitingSignOff\"", board);
        Assert.Contains(">待签发<", board);
        Assert.Contains("已通过 4 / 4 个部分", board);
        // Title and lead first, the section, the closing last; each reviewed part with its chip.
        var order = new[] { ">标题<", ">导语<", ">（一）党的建设<", ">结尾<" }.Select(label => board.IndexOf(label, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
        Assert.Equal(4, Regex.Matches(board, "data-testid=\"chip\"").Count);
        Assert.Contains("各部分均已审核通过，尚待签发", board);
        // A committee member who is not the signer has no 签发 form, nor the clerk's forms.
        Assert.DoesNotContain("data-testid=\"signoff\"", board);
        Assert.DoesNotContain("data-testid=\"issuer-form\"", board);

        var admin = await Person("admin");
        var adminBoard = await Page(admin, $"/reports/{report}");
        Assert.Contains("data-testid=\"issuer-form\"", adminBoard);
        Assert.DoesNotContain("data-testid=\"signoff\"", adminBoard);
        Assert.DoesNotContain("data-testid=\"reopen\"", adminBoard);

        var secretary = await Person("committee.secretary");
        var signerBoard = await Page(secretary, $"/reports/{report}");
        Assert.Contains("data-testid=\"signoff\"", signerBoard);
        Assert.Contains("autocomplete=\"current-password\"", signerBoard);
        Assert.Contains("type=\"password\"", signerBoard);
        Assert.Contains("placeholder=\"如：同意上报。\"", signerBoard);
        Assert.Equal(await CurrentHash(report), HashOnForm(signerBoard));

        // The signer finds it in their 待办, counted in the badge, linked to the form.
        var inbox = await Page(secretary, "/inbox");
        Assert.Contains("data-testid=\"signoff-tasks\"", inbox);
        Assert.Contains($"href=\"/reports/{report}#signoff\"", inbox);
        Assert.DoesNotContain("data-testid=\"signoff-tasks\"", await Page(deputy, "/inbox"));

        // In English the parts are named in English and so is the state.
        var english = await Post(deputy, board, "/culture", new() { ["culture"] = "en", ["returnUrl"] = $"/reports/{report}" });
        Assert.Contains(">Awaiting sign-off<", english);
        Assert.Contains(">Title<", english);
        Assert.Contains(">Lead<", english);
        Assert.Contains(">Closing<", english);
        Assert.Contains("4 of 4 parts approved", english);
    }

    [Fact]
    public async Task Signing_off_on_the_board_with_a_wrong_password_is_refused_in_words_and_with_the_right_one_locks_the_report()
    {
        var (report, _) = await AwaitingSignOff("页面签发");
        var admin = await Person("admin");
        var adminBoard = await Page(admin, $"/reports/{report}");
        var saved = await Post(admin, adminBoard, $"/reports/{report}?handler=Issuer", new() { ["issuer"] = "中共某县委员会", ["addressee"] = "市委" });
        Assert.Contains("落款与主送机关已保存", saved);
        Assert.Contains("value=\"中共某县委员会\"", saved);

        var secretary = await Person("committee.secretary");
        var sheetBefore = await Page(secretary, $"/reports/{report}/sheet");
        Assert.Contains("data-testid=\"not-signed\"", sheetBefore);
        Assert.Contains("未签发", sheetBefore);

        var board = await Page(secretary, $"/reports/{report}");
        var hash = HashOnForm(board);
        Assert.Equal(await CurrentHash(report), hash);
        var refused = await PostRaw(secretary, board, $"/reports/{report}?handler=SignOff", new() { ["opinion"] = "同意上报。", ["password"] = "not-my-password", ["hash"] = hash });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var again = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("密码不正确，报告未签发", again);
        // What the signer wrote stays; the password does not.
        Assert.Contains(">同意上报。</textarea>", again);
        Assert.DoesNotContain("not-my-password", again);
        Assert.Contains("data-state=\"AwaitingSignOff\"", again);
        Assert.Equal("awaitingSignOff", await StateOf(report));

        var signed = await Post(secretary, again, $"/reports/{report}?handler=SignOff", new() { ["opinion"] = "同意上报。", ["password"] = WorkflowApp.Password, ["hash"] = hash });
        Assert.Contains("已签发，报告已定稿并锁定", signed);
        Assert.Contains("data-state=\"Final\"", signed);
        Assert.Contains("定稿 1", signed);
        Assert.Contains($"<code title=\"{hash}\" data-testid=\"final-hash\">{hash[..16]}</code>", signed);
        Assert.Contains("县委书记", signed);
        Assert.Contains("已签发定稿（定稿 1），导出的是签发的定稿", signed);
        Assert.DoesNotContain("data-testid=\"signoff\"", signed);
        Assert.Contains($"/api/reports/{report}/finals/1/export?format=docx", signed);
        Assert.Equal("final", await StateOf(report));
        Assert.DoesNotContain($"href=\"/reports/{report}#signoff\"", await Page(secretary, "/inbox"));

        // The sheet: each part with its approvals as signed that day, then the 签发 with the whole hash.
        var sheet = await Page(secretary, $"/reports/{report}/sheet");
        Assert.DoesNotContain("data-testid=\"not-signed\"", sheet);
        Assert.Equal(4, Regex.Matches(sheet, "data-testid=\"sheet-part\"").Count);
        // Title, lead and closing by the committee; the section by its department and the committee.
        Assert.Equal(5, Regex.Matches(sheet, "data-testid=\"sheet-approval\"").Count);
        foreach (var expected in new[] { ">标题 <", ">导语 <", ">（一）党的建设 <", ">结尾 <", "组织部部长", "县委副书记", "部门审核", "县委审核", "同意。" })
        {
            Assert.Contains(expected, sheet);
        }

        Assert.Contains($"data-testid=\"sheet-hash\">{hash}</code>", sheet);
        Assert.Contains("data-testid=\"signer\">县委书记<", sheet);
        Assert.Contains("签发人", sheet);
        Assert.Contains("同意上报。", sheet);
        Assert.Contains("本签发单据定稿 1", sheet);
        Assert.Contains("(北京时间)", sheet);

        // The report list says it too.
        var list = await Page(secretary, "/reports");
        var row = Regex.Match(list, $"<tr data-report=\"{report}\">.*?</tr>", RegexOptions.Singleline).Value;
        Assert.Contains(">已定稿<", row);
        Assert.Contains("定稿 1", row);
        Assert.Contains("已通过 4 / 4 个部分", row);
    }

    [Fact]
    public async Task Reopening_on_the_board_needs_a_reason_then_shows_rereview_and_a_second_sign_off_compares_with_the_first()
    {
        var (report, section) = await AwaitingSignOff("页面复审");
        var secretary = await Person("committee.secretary");
        var board = await Page(secretary, $"/reports/{report}");
        await Post(secretary, board, $"/reports/{report}?handler=SignOff", new() { ["opinion"] = "同意上报。", ["password"] = WorkflowApp.Password, ["hash"] = HashOnForm(board) });

        var admin = await Person("admin");
        var locked = await Page(admin, $"/reports/{report}");
        Assert.Contains("data-testid=\"reopen\"", locked);
        Assert.DoesNotContain("data-testid=\"issuer-form\"", locked);
        Assert.Contains($"name=\"to-{section}\"", locked);
        Assert.Contains("value=\"department\"", locked);
        Assert.Contains("起草人（组织部起草人）", locked);

        var noReason = await PostRaw(admin, locked, $"/reports/{report}?handler=Reopen", new() { ["reason"] = " ", ["sections"] = section.ToString(), [$"to-{section}"] = "draft" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var kept = await noReason.Content.ReadAsStringAsync(Ct);
        Assert.Contains("复审须说明理由", kept);
        Assert.Matches($"value=\"{section}\" checked=\"checked\"", kept);
        Assert.Equal("final", await StateOf(report));

        var reopened = await Post(admin, kept, $"/reports/{report}?handler=Reopen", new() { ["reason"] = "数字需更新", ["sections"] = section.ToString(), [$"to-{section}"] = "draft" });
        Assert.Contains("已提出复审", reopened);
        Assert.Contains("data-state=\"Rereview\"", reopened);
        Assert.Contains(">复审中<", reopened);
        Assert.Contains("县委办公室管理员 于", reopened);
        Assert.Contains("数字需更新", reopened);
        Assert.Equal("rereview", await StateOf(report));

        // The section goes round again with a changed figure; the signer signs the second final.
        var author = await app.As("zuzhi.author");
        var version = await Api.EditAndSubmit(author, section, "一是深入组织动员，发展党员15名。");
        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "approve", version, "同意。"), HttpStatusCode.OK);
        await Api.Expect(await Api.Decide(await app.As("committee.deputy"), section, "approve", version, "同意。"), HttpStatusCode.OK);
        var rereview = await Page(secretary, $"/reports/{report}");
        Assert.Contains("data-state=\"Rereview\"", rereview);
        Assert.Contains($"href=\"/reports/{report}#signoff\"", await Page(secretary, "/inbox"));
        var second = await Post(secretary, rereview, $"/reports/{report}?handler=SignOff", new() { ["opinion"] = "同意重新上报。", ["password"] = WorkflowApp.Password, ["hash"] = HashOnForm(rereview) });
        Assert.Contains("定稿 2", second);
        Assert.Contains($"href=\"/reports/{report}/finals/compare?from=1&amp;to=2\"", second);

        var compare = await Page(secretary, $"/reports/{report}/finals/compare?from=1&to=2");
        Assert.Contains("定稿 1 → 定稿 2", compare);
        // Character by character, as Word marks it: 1 kept, 2 struck through, 5 inserted.
        Assert.Matches("1<del [^>]*>2</del><ins [^>]*>5</ins>名", compare);
        Assert.Equal(HttpStatusCode.NotFound, (await secretary.GetAsync($"/reports/{report}/finals/compare?from=1&to=9", Ct)).StatusCode);

        // The first final's sheet stays as it was signed, marked reopened; the second is the one in force.
        var first = await Page(secretary, $"/reports/{report}/sheet?final=1");
        Assert.Contains("数字需更新", first);
        Assert.Contains("本签发单据定稿 1", first);
        Assert.Contains("本签发单据定稿 2", await Page(secretary, $"/reports/{report}/sheet"));
    }

    private Task<(Guid Report, Guid Section)> AwaitingSignOff(string name) => AwaitingSignOff(app.As, name);

    /// <summary>A new report with title, lead, one section of 组织部 and a closing, every part approved.</summary>
    public static async Task<(Guid Report, Guid Section)> AwaitingSignOff(Func<string, Task<HttpClient>> person, string name)
    {
        var admin = await person("admin");
        var created = await admin.PostAsJsonAsync("/api/reports", new { title = $"{name}报告{Guid.NewGuid():N}", lead = "上半年，县委抓实党建工作。", closing = Closing }, Ct);
        var report = (await Api.Read<JsonElement>(created, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var section = await Api.AddSection(admin, report, "党的建设", content: "一是深入组织动员，发展党员12名。");
        var parts = (await Api.Read<JsonElement>(await admin.GetAsync($"/api/reports/{report}", Ct))).GetProperty("sections").EnumerateArray()
            .Where(s => s.GetProperty("kind").GetString() is "title" or "lead" or "closing")
            .Select(s => s.GetProperty("id").GetGuid())
            .ToList();
        Assert.Equal(3, parts.Count);
        var deputy = await person("committee.deputy");
        foreach (var part in parts)
        {
            await Api.Expect(await Api.Decide(admin, part, "submit", 1), HttpStatusCode.OK);
            await Api.Expect(await Api.Decide(deputy, part, "approve", 1, "同意。"), HttpStatusCode.OK);
        }

        await Api.Expect(await Api.Decide(await person("zuzhi.author"), section, "submit", 1), HttpStatusCode.OK);
        await Api.Expect(await Api.Decide(await person("zuzhi.head"), section, "approve", 1, "同意。"), HttpStatusCode.OK);
        await Api.Expect(await Api.Decide(deputy, section, "approve", 1, "同意。"), HttpStatusCode.OK);
        await Api.Expect(await admin.PutAsJsonAsync($"/api/reports/{report}/issuer", new { issuer = "中共南山县委", addressee = "市委组织部" }, Ct), HttpStatusCode.OK);
        return (report, section);
    }

    private async Task<string> StateOf(Guid report) =>
        (await Api.Read<JsonElement>(await (await app.As("admin")).GetAsync($"/api/reports/{report}", Ct))).GetProperty("state").GetString()!;

    /// <summary>The hash a 签发 now binds, as the assembler and FinalText make it.</summary>
    private async Task<string> CurrentHash(Guid report)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Workflow.Persistence.WorkflowDbContext>();
        var row = await db.Reports.FindAsync([report], Ct);
        var doc = await scope.ServiceProvider.GetRequiredService<Workflow.Host.Features.Export.ReportAssembler>().AssembleAsync(row!, Ct);
        return Workflow.Activities.Documents.FinalText.HashOf(doc);
    }

    private static string HashOnForm(string page) => HiddenHash().Match(page).Groups[1].Value;

    private async Task<HttpClient> Person(string userName)
    {
        var browser = app.Browser();
        await SignIn(browser, userName);
        return browser;
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"hash\" value=\"([0-9a-f]{64})\"")]
    private static partial Regex HiddenHash();
}
