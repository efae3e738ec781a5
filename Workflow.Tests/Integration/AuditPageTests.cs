using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Workflow.Tests.Integration;

using static PageClient;

/// <summary>
/// The audit page (/audit) over HTTP as a county-wide reader uses it: who changed what, its filters, the CSV
/// export and the hash chain's verdict. Each test makes its own report and filters on it, so tests stay apart.
/// </summary>
public sealed partial class AuditPageTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_auditor_sees_a_submit_and_a_return_with_person_action_and_opinion()
    {
        var (report, _) = await ReportWithReturnedSection("谁改了什么", "数字不全，请补充后再报。");

        var page = await AuditorPage($"/audit?report={report}");

        var rows = Rows(page);
        // report.create, its title and lead parts, the section, its submission and the return.
        Assert.Equal(6 + 1, rows.Count);
        var returned = rows[0];
        Assert.Contains("退回", returned);
        Assert.Contains("组织部部长", returned);
        Assert.Contains("zuzhi.head", returned);
        Assert.Contains("数字不全，请补充后再报。", returned);
        Assert.Contains("部门审核 → 起草", returned);
        var submitted = rows[1];
        Assert.Contains("提交", submitted);
        Assert.Contains("组织部起草人", submitted);
        Assert.Contains("zuzhi.author", submitted);
        Assert.Contains("起草 → 部门审核", submitted);
        Assert.Contains("修改", rows[2]);
        Assert.Contains("补充数字", rows[2]);
        Assert.Contains("（一）党的高质量建设效果凸显", returned);
        Assert.Matches(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", returned);
        Assert.Contains("共 7 条记录", page);
    }

    [Fact]
    public async Task Each_filter_narrows_the_rows()
    {
        var (report, first) = await ReportWithReturnedSection("筛选", "请补充。");
        var second = await Api.AddSection(await app.As("admin"), report, title: "第二节");
        var browser = await Auditor();

        Assert.Equal(8, Total(await Page(browser, $"/audit?report={report}")));
        Assert.Equal(4, Total(await Page(browser, $"/audit?report={report}&section={first}")));
        Assert.Equal(2, Total(await Page(browser, $"/audit?report={report}&person=zuzhi.author")));
        var returns = await Page(browser, $"/audit?report={report}&action=section.return");
        Assert.Equal(1, Total(returns));
        Assert.Contains("请补充。", Assert.Single(Rows(returns)));

        // A section id alone (a shared link) is enough, and brings its report's section list along.
        var bySection = await Page(browser, $"/audit?section={second}");
        Assert.Equal(1, Total(bySection));
        Assert.Contains($"<option value=\"{second}\" selected=\"selected\">（一）第二节</option>", bySection);

        // The report's first entry moved to 00:30 on 1 March, Beijing time (still 28 February in UTC).
        var at = new DateTimeOffset(2026, 2, 28, 16, 30, 0, TimeSpan.Zero);
        Sql("UPDATE AuditEntries SET At = $at WHERE lower(ReportId) = lower($r) AND Sequence = 1", report, ("$at", at.UtcTicks));
        Assert.Equal(1, Total(await Page(browser, $"/audit?report={report}&from=2026-03-01&to=2026-03-01")));
        Assert.Equal(0, Total(await Page(browser, $"/audit?report={report}&to=2026-02-28")));
        Assert.Equal(7, Total(await Page(browser, $"/audit?report={report}&from=2026-03-02")));
        var moved = await Page(browser, $"/audit?report={report}&to=2026-03-01");
        Assert.Contains("2026-03-01 00:30:00", Assert.Single(Rows(moved)));
    }

    [Fact]
    public async Task The_trail_is_paged_newest_first_and_paging_keeps_the_filters()
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "分页");
        var section = await Api.AddSection(admin, report);
        var author = await app.As("zuzhi.author");
        for (var v = 1; v <= 103; v++)
        {
            await Api.Expect(await Api.Edit(author, section, $"发展党员{v}名。", v, $"第{v}次修改"), HttpStatusCode.OK);
        }

        var browser = await Auditor();
        var first = await Page(browser, $"/audit?report={report}&action=section.edit");
        Assert.Equal(103, Total(first));
        Assert.Equal(100, Rows(first).Count);
        Assert.Contains("第103次修改", Rows(first)[0]);
        Assert.Contains("第 1 / 2 页", first);
        Assert.Contains($"href=\"/audit?report={report}&amp;action=section.edit&amp;p=2\"", first);

        var second = await Page(browser, $"/audit?report={report}&action=section.edit&p=2");
        Assert.Equal(3, Rows(second).Count);
        Assert.Contains("第1次修改", Rows(second)[2]);

        // The export holds every page, not just the one shown.
        var csv = Records(await Csv(browser, $"/audit?handler=csv&report={report}&action=section.edit"));
        Assert.Equal(104, csv.Count);
    }

    [Fact]
    public async Task The_csv_export_holds_exactly_the_filtered_rows_quoted_and_safe_for_spreadsheets()
    {
        const string Opinion = "=HYPERLINK(\"http://evil.example\",\"点我\"),\n另起一行";
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "=HYPERLINK(\"http://evil.example\")报告");
        var section = await Api.AddSection(admin, report, title: "标题,含\"引号\"");
        var version = await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "发展党员12名。");
        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "return", version, Opinion), HttpStatusCode.OK);
        var browser = await Auditor();

        var response = await browser.GetAsync($"/audit?handler=csv&report={report}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches(@"^audit-\d{8}\.csv$", response.Content.Headers.ContentDisposition?.FileName);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.StartsWith("时间,用户名,姓名,操作,报告,章节,详情,序号,哈希\r\n", text);

        var records = Records(text);
        Assert.Equal(["时间", "用户名", "姓名", "操作", "报告", "章节", "详情", "序号", "哈希"], records[0]);
        Assert.Equal(["7", "6", "5", "4", "3", "2", "1"], records.Skip(1).Select(r => r[7]));
        var returned = records[1];
        Assert.Equal(["zuzhi.head", "组织部部长", "退回"], returned[1..4]);
        Assert.Equal("'=HYPERLINK(\"http://evil.example\")报告", returned[4]);
        Assert.Equal("（一）标题,含\"引号\"", returned[5]);
        Assert.Contains("意见: " + Opinion, returned[6]);
        Assert.Matches("^[0-9a-f]{64}$", returned[8]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", returned[0]);
        // The raw text shows the RFC 4180 quoting that the parser above undid.
        Assert.Contains("\"（一）标题,含\"\"引号\"\"\"", text);

        var onlyReturns = Records(await Csv(browser, $"/audit?handler=csv&report={report}&action=section.return"));
        Assert.Equal(2, onlyReturns.Count);
        Assert.Equal("退回", onlyReturns[1][3]);
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("两行\n文字", "\"两行\n文字\"")]
    [InlineData("普通文字", "普通文字")]
    public void A_csv_cell_is_quoted_and_guarded_against_formulas(string value, string cell) =>
        Assert.Equal(cell, Host.Features.Audit.Csv.Cell(value));

    [Fact]
    public async Task A_tampered_entry_shows_the_broken_chain_with_its_number_and_an_intact_report_says_so()
    {
        var (tampered, _) = await ReportWithReturnedSection("被改动的报告", "原始意见");
        var (intact, _) = await ReportWithReturnedSection("完整的报告", "原始意见");
        Sql("UPDATE AuditEntries SET Data = replace(Data, '原始意见', '伪造意见') WHERE lower(ReportId) = lower($r) AND Sequence = 7", tampered);
        var browser = await Auditor();

        var broken = await Page(browser, $"/audit?report={tampered}");
        Assert.Contains("审计链被改动：第 7 条记录的内容与其哈希不符", broken);
        Assert.DoesNotContain("审计链完整", broken);

        var whole = await Page(browser, $"/audit?report={intact}");
        Assert.Contains("审计链完整：共 7 条记录，逐条校验通过", whole);
        Assert.DoesNotContain("审计链被改动", whole);

        // Without a report chosen, every report's verdict is listed when asked for (it rehashes the whole trail).
        Assert.DoesNotContain("audit-bad", await Page(browser, "/audit"));
        var overview = await Page(browser, "/audit?chains=true");
        Assert.Matches($"被改动的报告</a></td>\\s*<td class=\"audit-bad\">第 7 条被改动</td>", overview);
        Assert.Matches($"完整的报告</a></td>\\s*<td class=\"audit-ok\">完整（7 条）</td>", overview);
    }

    [Fact]
    public async Task The_overview_names_reports_whose_sheet_or_text_no_longer_says_what_the_trail_records()
    {
        var (opinion, _) = await ReportWithReturnedSection("意见被改的报告", "原始意见");
        var (text, section) = await ReportWithReturnedSection("正文被改的报告", "原始意见");
        var (intact, _) = await ReportWithReturnedSection("未动的报告", "原始意见");
        Sql("UPDATE SignOffs SET Opinion = '同意。' WHERE lower(ReportId) = lower($r)", opinion);
        Sql("UPDATE SectionVersions SET Content = '发展党员120名。' WHERE lower(SectionId) = lower($r) AND Content = '发展党员12名。'", section);
        var browser = await Auditor();

        var overview = await Page(browser, "/audit?chains=true");
        Assert.Matches("意见被改的报告</a></td>\\s*<td class=\"audit-bad\">签批单或正文与第 7 条所载不符</td>", overview);
        Assert.Matches("正文被改的报告</a></td>\\s*<td class=\"audit-bad\">签批单或正文与第 \\d 条所载不符</td>", overview);
        Assert.Matches("未动的报告</a></td>\\s*<td class=\"audit-ok\">完整（7 条）</td>", overview);
        Assert.Contains("审计链所载与正文不符", await Page(browser, $"/audit?report={text}"));
        Assert.Contains("审计链完整", await Page(browser, $"/audit?report={intact}"));
    }

    [Theory]
    [InlineData("zuzhi.author")]
    [InlineData("zuzhi.head")]
    public async Task Authors_and_department_heads_may_not_open_the_audit_page_or_its_csv(string user)
    {
        var browser = app.Browser();
        await SignIn(browser, user);

        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/audit", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/audit?handler=csv", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("committee.secretary")]
    [InlineData("auditor")]
    public async Task County_wide_readers_may_open_the_audit_page(string user)
    {
        var browser = app.Browser();
        await SignIn(browser, user);

        Assert.Contains("审计记录", await Page(browser, "/audit"));
    }

    [Fact]
    public async Task Markup_in_an_opinion_and_a_section_title_is_shown_as_text()
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "编码");
        var section = await Api.AddSection(admin, report, title: "<img src=x onerror=alert(1)>标题");
        var version = await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "发展党员12名。");
        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "return", version, "<script>window.pwned=1</script>意见"), HttpStatusCode.OK);

        var page = await AuditorPage($"/audit?report={report}");

        Assert.DoesNotContain("<script>window.pwned", page);
        Assert.DoesNotContain("<img src=x", page);
        Assert.Contains("&lt;script&gt;window.pwned=1&lt;/script&gt;意见", page);
        Assert.Contains("（一）&lt;img src=x onerror=alert(1)&gt;标题", page);
    }

    [Fact]
    public async Task The_page_speaks_english_after_the_language_switch()
    {
        var (report, _) = await ReportWithReturnedSection("英文", "请补充。");
        var browser = await Auditor();
        var page = await Page(browser, $"/audit?report={report}");

        var english = await Post(browser, page, "/culture", new() { ["culture"] = "en", ["returnUrl"] = $"/audit?report={report}" });

        Assert.Contains("Audit chain intact: 7 entries, each one verified", english);
        Assert.Contains(">Return<", english);
        Assert.Contains(">Submit<", english);
        Assert.Contains("Opinion", english);
    }

    /// <summary>A report whose one section was edited, submitted and returned: five entries.</summary>
    private async Task<(Guid Report, Guid Section)> ReportWithReturnedSection(string title, string opinion)
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, title);
        var section = await Api.AddSection(admin, report);
        var version = await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "发展党员12名。");
        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "return", version, opinion), HttpStatusCode.OK);
        return (report, section);
    }

    private async Task<HttpClient> Auditor()
    {
        var browser = app.Browser();
        await SignIn(browser, "auditor");
        return browser;
    }

    private async Task<string> AuditorPage(string path) => await Page(await Auditor(), path);

    private static async Task<string> Csv(HttpClient browser, string path)
    {
        var response = await browser.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(Ct)).TrimStart('\uFEFF');
    }

    private static int Total(string page) => int.Parse(TotalText().Match(page).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static List<string> Rows(string page) => [.. RowText().Matches(page).Select(m => WebUtility.HtmlDecode(m.Value))];

    /// <summary>An RFC 4180 reader, strict enough that a wrongly quoted file fails the test.</summary>
    private static List<string[]> Records(string csv)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < csv.Length)
        {
            if (csv[i] == '"' && field.Length == 0)
            {
                i++;
                while (true)
                {
                    Assert.True(i < csv.Length, "unterminated quoted field");
                    if (csv[i] == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                    }
                    else if (csv[i] == '"')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        field.Append(csv[i++]);
                    }
                }

                Assert.True(i == csv.Length || csv[i] is ',' or '\r', $"text after a closing quote at {i}");
            }
            else if (csv[i] == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                i++;
            }
            else if (csv[i] == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
                i += 2;
            }
            else
            {
                Assert.False(csv[i] is '\n' or '\r' or '"', $"bare line break or quote at {i}");
                field.Append(csv[i++]);
            }
        }

        Assert.True(fields.Count == 0 && field.Length == 0, "the last record is not ended with CRLF");
        return records;
    }

    private void Sql(string sql, Guid report, params (string Name, object Value)[] parameters)
    {
        using var db = app.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$r", report.ToString());
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        Assert.Equal(1, cmd.ExecuteNonQuery());
    }

    [GeneratedRegex("data-testid=\"total\">共 (\\d+) 条记录<")]
    private static partial Regex TotalText();

    [GeneratedRegex("<tr data-testid=\"audit-row\".*?</tr>", RegexOptions.Singleline)]
    private static partial Regex RowText();
}
