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

    private HttpClient Browser() => app.Browser();
}
