using System.Net;

namespace Workflow.Tests.Integration;

using static PageClient;

/// <summary>
/// The server-rendered pages over HTTP with cookies, as a browser sends them (form posts with the
/// anti-forgery token). Browser tests with Chromium come with the rest of the UI.
/// </summary>
public sealed class WebUiTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    [Fact]
    public async Task Signing_in_shows_my_to_do_list_in_chinese_and_the_switch_turns_it_english()
    {
        var browser = Browser();
        var inbox = await browser.GetAsync("/inbox", TestContext.Current.CancellationToken);
        Assert.EndsWith("/login", inbox.RequestMessage!.RequestUri!.AbsolutePath);

        var page = await SignIn(browser, "zuzhi.author");
        Assert.Contains("待办", page);
        Assert.Contains("组织部起草人", page);
        Assert.Contains("组织部", page);
        Assert.Contains("起草人", page);
        // The demo report's sections of 组织部 wait for their author.
        Assert.Contains("县上半年关于加强党的建设工作情况报告", page);

        var english = await Post(browser, page, "/culture", new() { ["culture"] = "en", ["returnUrl"] = "/inbox" });
        Assert.Contains(">To do<", english);
        Assert.Contains("Sign out", english);
        Assert.DoesNotContain(">待办<", english);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_on_the_page_and_signs_nobody_in()
    {
        var browser = Browser();
        var form = await (await browser.GetAsync("/login", TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var response = await browser.PostAsync("/login", Form(form, new() { ["userName"] = "zuzhi.author", ["password"] = "wrong-password", ["returnUrl"] = "/inbox" }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("用户名或密码错误", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.EndsWith("/login", (await browser.GetAsync("/inbox", TestContext.Current.CancellationToken)).RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task User_text_is_encoded_on_the_page()
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "<script>window.pwned=1</script>报告");
        await Api.AddSection(admin, report, "<img src=x onerror=alert(1)>标题");

        var page = await SignIn(Browser(), "zuzhi.author");

        Assert.DoesNotContain("<script>window.pwned", page);
        Assert.DoesNotContain("<img src=x", page);
        Assert.Contains("&lt;script&gt;window.pwned=1&lt;/script&gt;报告", page);

        var adminBrowser = Browser();
        await SignIn(adminBrowser, "admin");
        var board = await (await adminBrowser.GetAsync($"/reports/{report}", TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;标题", board);
        Assert.DoesNotContain("<img src=x", board);
        Assert.DoesNotContain("<script>window.pwned", board);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var browser = Browser();
        var page = await SignIn(browser, "jiwei.author");

        var after = await Post(browser, page, "/logout", []);

        Assert.Contains("name=\"password\"", after);
        Assert.EndsWith("/login", (await browser.GetAsync("/inbox", TestContext.Current.CancellationToken)).RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task The_board_offers_the_word_export_to_county_wide_readers_only()
    {
        var ct = TestContext.Current.CancellationToken;
        var report = app.WithDb(db => db.Reports.Single(r => r.Title == "县上半年关于加强党的建设工作情况报告").Id);
        var secretary = Browser();
        await SignIn(secretary, "committee.secretary");
        var board = await Page(secretary, $"/reports/{report}");

        // Nothing is approved yet, so the page says the document will be a draft for comment.
        Assert.Contains("尚有未通过的节，导出的文档标为“征求意见稿”", board);
        var href = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(board, "href=\"([^\"]+)\" data-testid=\"export-docx\"").Groups[1].Value);
        Assert.Equal($"/api/reports/{report}/export?format=docx", href);

        // The link works with the page's own sign-in (the cookie), and gives a Word file named after the report.
        var file = await secretary.GetAsync(href, ct);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", file.Content.Headers.ContentType!.MediaType);
        Assert.Equal("县上半年关于加强党的建设工作情况报告.docx", file.Content.Headers.ContentDisposition!.FileNameStar);
        var bytes = await file.Content.ReadAsByteArrayAsync(ct);
        Assert.Equal("PK"u8.ToArray(), bytes[..2]);

        // An author sees the board of their department's sections without the export, and the address refuses them.
        var author = Browser();
        await SignIn(author, "zuzhi.author");
        var theirs = await Page(author, $"/reports/{report}");
        Assert.Contains("data-testid=\"outline\"", theirs);
        Assert.DoesNotContain("export-docx", theirs);
        Assert.Equal(HttpStatusCode.Forbidden, (await author.GetAsync(href, ct)).StatusCode);
    }

    private HttpClient Browser() => app.Browser();
}
