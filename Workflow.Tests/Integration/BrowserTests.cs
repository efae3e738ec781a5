using Microsoft.Playwright;

namespace Workflow.Tests.Integration;

/// <summary>
/// The web UI in a real browser: Debian's Chromium driven by Playwright against the host running as its own
/// process (demo county on a fresh SQLite file). deploy/test.sh installs Chromium and sets WORKFLOW_TEST_CHROMIUM;
/// in CI a missing browser fails these tests. Screenshots go to WORKFLOW_TEST_SCREENSHOTS (the test results folder).
/// </summary>
public sealed class BrowserTests : IAsyncLifetime
{
    public const string Variable = "WORKFLOW_TEST_CHROMIUM";
    private readonly string folder = WorkflowApp.NewFolder();
    private HostProcess? host;
    private IPlaywright? playwright;
    private IBrowser? browser;

    public async ValueTask InitializeAsync()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            return;
        }

        host = await HostProcess.StartAsync(folder, [], "ui");
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable(Variable),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
    }

    [Fact]
    public async Task An_author_signs_in_sees_the_to_do_list_and_switches_to_english()
    {
        var (context, page) = await NewPerson();
        await page.GotoAsync("/inbox");
        Assert.EndsWith("/login", new Uri(page.Url).AbsolutePath);

        await SignIn(page, "zuzhi.author");

        Assert.Equal("组织部起草人", await page.InnerTextAsync("[data-testid=who] .name"));
        Assert.Equal("3", await page.InnerTextAsync("[data-testid=todo-count]"));
        Assert.Equal(3, await page.Locator("[data-testid=tasks] tbody tr").CountAsync());
        Assert.Contains("县上半年关于加强党的建设工作情况报告", await page.InnerTextAsync("[data-testid=tasks]"));
        await Screenshot(page, "inbox-zh");

        await page.ClickAsync("[data-testid=language]");
        await page.WaitForSelectorAsync("text=To do");
        Assert.Contains("To do", await page.InnerTextAsync("[data-testid=tab-todo]"));
        Assert.Equal("Sign out", await page.InnerTextAsync("[data-testid=sign-out]"));
        await Screenshot(page, "inbox-en");

        await page.ClickAsync("[data-testid=sign-out]");
        await page.WaitForURLAsync("**/login");
        await context.CloseAsync();
    }

    [Fact]
    public async Task The_board_shows_the_outline_with_state_chips_progress_and_filters()
    {
        var (context, page) = await NewPerson();
        await page.GotoAsync("/login");
        await SignIn(page, "admin");

        await page.ClickAsync("nav >> text=报告");
        await page.ClickAsync("[data-testid=reports] a");
        await page.WaitForSelectorAsync("[data-testid=outline]");

        // Three parts, nine reviewed sections, all still drafts with their authors; none approved yet.
        Assert.Equal(9, await page.Locator("[data-testid=chip]").CountAsync());
        Assert.Equal(9, await page.Locator("[data-testid=chip]", new() { HasTextString = "草稿" }).CountAsync());
        Assert.Equal("0", await page.GetAttributeAsync("[data-testid=progress]", "aria-valuenow"));
        Assert.Contains("组织部起草人", await page.InnerTextAsync("[data-testid=outline]"));
        await Screenshot(page, "board");

        await page.SelectOptionAsync("select[name=department]", "jiwei");
        await page.ClickAsync("button.secondary");
        await page.WaitForURLAsync("**department=jiwei**");
        Assert.Equal(3, await page.Locator("[data-testid=chip]").CountAsync());
        Assert.DoesNotContain("组织部起草人", await page.InnerTextAsync("[data-testid=outline]"));
        await context.CloseAsync();
    }

    [Fact]
    public async Task A_wrong_password_shows_the_refusal_on_the_page()
    {
        var (context, page) = await NewPerson();
        await page.GotoAsync("/login");
        await page.FillAsync("#userName", "zuzhi.author");
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("button.primary");

        Assert.Contains("用户名或密码错误", await page.InnerTextAsync("[data-testid=login-error]"));
        await context.CloseAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<(IBrowserContext Context, IPage Page)> NewPerson()
    {
        TestServices.Require(Variable, "Browser tests need Chromium");
        // Each person gets a separate browser context: own cookies, own session. A laptop-sized window.
        var context = await browser!.NewContextAsync(new() { BaseURL = host!.Address.ToString().TrimEnd('/'), Locale = "zh-CN", ViewportSize = new() { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(15_000);
        return (context, await context.NewPageAsync());
    }

    /// <summary>Fills in the sign-in form the page shows and waits for the inbox it leads to.</summary>
    private static async Task SignIn(IPage page, string userName)
    {
        await page.FillAsync("#userName", userName);
        await page.FillAsync("#password", WorkflowApp.Password);
        await page.ClickAsync("button.primary");
        await page.WaitForURLAsync("**/inbox");
    }

    private static async Task Screenshot(IPage page, string name)
    {
        var dir = Environment.GetEnvironmentVariable("WORKFLOW_TEST_SCREENSHOTS") ?? Path.Combine(Path.GetTempPath(), "workflow-screenshots");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }
}
