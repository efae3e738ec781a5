using System.Net.Http.Json;
using Microsoft.Playwright;
using Workflow.Tests.Integration;

namespace Workflow.Tests.Browser;

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
    private readonly List<IPage> pages = [];

    /// <summary>
    /// How long one browser step may take before the test fails: generous, because on a 2-core CI runner the
    /// browser tests share the machine with hosts, PostgreSQL and RabbitMQ of other tests. Speed is measured by
    /// Workflow.Benchmarks pages, not here.
    /// </summary>
    private const float StepTimeout = 60_000;


    public async ValueTask InitializeAsync()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            return;
        }

        // Each request's path, status and time go to the host's log, which a failing test prints (see Diagnose).
        host = await HostProcess.StartAsync(folder, [("Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Information")], "ui");
        try
        {
            playwright = await Playwright.CreateAsync();
            browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = Environment.GetEnvironmentVariable(Variable),
                Headless = true,
                // The machines have no internet: no QUIC, sync or background fetches that would only be refused.
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-sync", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
            });

            // The first page a fresh browser and a fresh host serve costs the most (fonts, compiling the page's code);
            // it is paid here, with time to spare, rather than inside a test's first step.
            var warm = await browser.NewContextAsync(new() { BaseURL = host.Address.ToString().TrimEnd('/') });
            var page = await warm.NewPageAsync();
            await page.GotoAsync("/login", new() { Timeout = 120_000 });
            await warm.CloseAsync();
        }
        catch (Exception e)
        {
            // xunit does not dispose a test class whose set-up failed: stop what was started and say why here.
            var log = string.Join('\n', host.LogTail(80));
            await DisposeAsync();
            throw new InvalidOperationException($"Browser test set-up failed: {e.Message}\nhost log (last 80 lines):\n{log}", e);
        }
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
        await Arrived(page, "#password");
        Assert.EndsWith("/login", new Uri(page.Url).AbsolutePath);
        await context.CloseAsync();
    }

    [Fact]
    public async Task The_pages_work_under_the_content_security_policy_without_a_violation()
    {
        var (context, page) = await NewPerson();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                lock (violations)
                {
                    violations.Add(message.Text);
                }
            }
        };
        var login = await page.GotoAsync("/login");
        Assert.Contains("script-src 'self'", await login!.HeaderValueAsync("content-security-policy") ?? "");
        await SignIn(page, "admin");

        await page.ClickAsync("nav >> text=报告");
        await page.ClickAsync("[data-testid=reports] a");
        await page.WaitForSelectorAsync("[data-testid=outline]");
        // The board's progress is drawn without an inline style: the bar is as wide as the page lets it be.
        Assert.True((await page.Locator("[data-testid=progress]").BoundingBoxAsync())!.Width > 100);
        await page.ClickAsync("[data-testid=section-link] >> nth=0");
        await Arrived(page, "[data-testid=version]");
        foreach (var path in new[] { "/inbox", "/audit", "/admin", "/admin/users", "/admin/departments", "/admin/import", "/me/proxy" })
        {
            await page.GotoAsync(path);
            await page.WaitForFunctionAsync("() => document.readyState === 'complete'");
        }

        lock (violations)
        {
            Assert.Empty(violations);
        }

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

        // The report's title and lead, then three parts of nine reviewed sections, all still drafts with their authors;
        // none approved yet.
        Assert.Equal(11, await page.Locator("[data-testid=chip]").CountAsync());
        Assert.Equal(11, await page.Locator("[data-testid=chip]", new() { HasTextString = "草稿" }).CountAsync());
        Assert.Equal("起草中", await page.InnerTextAsync("[data-testid=report-state]"));
        Assert.Equal("0", await page.GetAttributeAsync("[data-testid=progress]", "aria-valuenow"));
        Assert.Contains("组织部起草人", await page.InnerTextAsync("[data-testid=outline]"));
        await Screenshot(page, "board");

        await page.SelectOptionAsync("select[name=department]", "jiwei");
        await page.ClickAsync("button.secondary");
        await Arrived(page, "select[name=department] option[value=jiwei][selected]");
        Assert.Contains("department=jiwei", page.Url);
        Assert.Equal(3, await page.Locator("[data-testid=chip]").CountAsync());
        Assert.DoesNotContain("组织部起草人", await page.InnerTextAsync("[data-testid=outline]"));

        // Each section opens its page from the board.
        await page.ClickAsync("[data-testid=section-link] >> nth=0");
        await page.WaitForSelectorAsync("[data-testid=versions]");
        Assert.Contains("纪委", await page.InnerTextAsync(".meta"));
        await context.CloseAsync();
    }

    [Fact]
    public async Task A_wrong_password_shows_the_refusal_on_the_page()
    {
        var (context, page) = await NewPerson();
        var streams = 0;
        page.Request += (_, r) => streams += r.Url.Contains("/api/events/stream", StringComparison.Ordinal) ? 1 : 0;
        await page.GotoAsync("/login");
        await page.FillAsync("#userName", "zuzhi.author");
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("button.primary");

        Assert.Contains("用户名或密码错误", await page.InnerTextAsync("[data-testid=login-error]"));
        // Nobody is signed in, so the page never asks for the live event stream (it would only be refused).
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Equal(0, streams);
        await context.CloseAsync();
    }

    [Fact]
    public async Task Three_people_take_a_section_through_a_return_to_approval_and_the_sheet_records_both_opinions()
    {
        var (_, author) = await SignedIn("zuzhi.author");
        var (_, head) = await SignedIn("zuzhi.head");
        var (_, committee) = await SignedIn("committee.secretary");
        Assert.Equal("0", (await head.InnerTextAsync("[data-testid=todo-count]")).Trim());

        // The author opens the first draft, fills in most figures and tries to submit: the page warns first.
        await author.ClickAsync("[data-testid=task-link] >> nth=0");
        await author.WaitForSelectorAsync("[data-testid=editor]");
        var section = new Uri(author.Url).AbsolutePath;
        var title = (await author.InnerTextAsync("h1")).Split(' ')[0];
        await author.FillAsync("[data-testid=editor]", "全县建立“党员先锋岗”12个，招募党员志愿者XX人。\n组织党员捐款356人。");
        Assert.Contains("1", await author.InnerTextAsync("[data-testid=missing-live]"));
        await author.ClickAsync("[data-testid=submit]");
        Assert.Contains("待补数字", await author.InnerTextAsync("[data-testid=missing-confirm]"));
        Assert.Equal("1", await author.InputValueAsync("input[name=baseVersion]"));

        // Filled in, with a note: saved as version 2 and submitted in one go.
        await author.FillAsync("[data-testid=editor]", "全县建立“党员先锋岗”12个，招募党员志愿者85人。\n组织党员捐款356人。");
        await author.FillAsync("[data-testid=note]", "补齐数字");
        await author.ClickAsync("[data-testid=submit]");
        await author.WaitForSelectorAsync("[data-testid=done]");
        Assert.Equal("待部门审核", await author.InnerTextAsync("[data-testid=chip]"));
        Assert.Contains("当前第 2 版", await author.InnerTextAsync("[data-testid=version]"));

        // The head's open inbox receives the task without a reload (server-sent events).
        await head.WaitForFunctionAsync("() => document.querySelector('[data-testid=todo-count]').textContent.trim() === '1'");
        await head.ClickAsync("[data-testid=task-link]");
        await head.WaitForSelectorAsync("[data-testid=opinion]");
        Assert.Contains("首次审阅", await head.InnerTextAsync("main"));

        // Return without an opinion: the page says so and sends nothing.
        await head.ClickAsync("[data-testid=return]");
        Assert.True(await head.IsVisibleAsync("[data-testid=opinion-required]"));
        Assert.EndsWith("/review", new Uri(head.Url).AbsolutePath);
        Assert.Equal("待部门审核", await head.InnerTextAsync("[data-testid=chip]"));

        // A preset phrase plus the head's own words, then Return.
        await head.ClickAsync("button.preset >> text=请修改后再报。");
        Assert.Equal("请修改后再报。", await head.InputValueAsync("[data-testid=opinion]"));
        await head.FillAsync("[data-testid=opinion]", "请修改后再报。请写明捐款金额。");
        await head.ClickAsync("[data-testid=return]");
        await head.WaitForSelectorAsync("[data-testid=done]");
        Assert.Equal("已退回", await head.InnerTextAsync("[data-testid=chip]"));

        // The author sees the opinion, revises and resubmits.
        await author.GotoAsync(section);
        Assert.Contains("请写明捐款金额。", await author.InnerTextAsync("[data-testid=return-opinion]"));
        await author.FillAsync("[data-testid=editor]", "全县建立“党员先锋岗”12个，招募党员志愿者90人。\n组织党员捐款356人，累计捐款金额4.2万元。");
        await author.FillAsync("[data-testid=note]", "补充捐款金额");
        await author.ClickAsync("[data-testid=submit]");
        await author.WaitForSelectorAsync("[data-testid=done]");

        // The head sees what changed since the version they returned, as tracked changes, and approves.
        await head.GotoAsync("/inbox");
        await head.ClickAsync("[data-testid=task-link]");
        await head.WaitForSelectorAsync("[data-testid=diff]");
        Assert.Contains("第 2 版", await head.InnerTextAsync("h2"));
        Assert.Equal(["90", "，累计捐款金额4.2万元"], await head.Locator("[data-testid=diff] ins").AllInnerTextsAsync());
        Assert.Equal(["85"], await head.Locator("[data-testid=diff] del").AllInnerTextsAsync());
        Assert.Contains("组织部起草人", await head.InnerTextAsync("[data-testid=diff-legend]"));
        await Screenshot(head, "review-diff");
        await head.ClickAsync("button.preset >> text=同意。");
        await head.ClickAsync("[data-testid=approve]");
        await head.WaitForSelectorAsync("[data-testid=done]");
        Assert.Equal("待县委审核", await head.InnerTextAsync("[data-testid=chip]"));

        // The committee member approves from their inbox.
        await committee.GotoAsync("/inbox");
        await committee.ClickAsync("[data-testid=task-link]");
        await committee.WaitForSelectorAsync("[data-testid=opinion]");
        await committee.FillAsync("[data-testid=opinion]", "同意上报。");
        await committee.ClickAsync("[data-testid=approve]");
        await committee.WaitForSelectorAsync("[data-testid=done]");
        Assert.Equal("已通过", await committee.InnerTextAsync("[data-testid=chip]"));

        // The board shows the section approved; the head's 已办 shows both decisions.
        await committee.ClickAsync(".crumbs a");
        await committee.WaitForSelectorAsync("[data-testid=outline]");
        Assert.Equal("已通过", await committee.InnerTextAsync($"[data-testid=outline] li:has-text('{title}') [data-testid=chip]"));
        Assert.Equal("1", await committee.GetAttributeAsync("[data-testid=progress]", "aria-valuenow"));
        await head.GotoAsync("/inbox?state=done");
        var done = await head.InnerTextAsync("[data-testid=tasks]");
        Assert.Contains("请写明捐款金额。", done);
        Assert.Contains("同意。", done);

        // The sign-off sheet: the return and both approvals, each with name, department, full time and version.
        await committee.GotoAsync(section + "/signoff");
        var sheet = await committee.InnerTextAsync("[data-testid=sheet]");
        Assert.Contains("请修改后再报。请写明捐款金额。", sheet);
        Assert.Contains("同意。", sheet);
        Assert.Contains("同意上报。", sheet);
        Assert.Contains("组织部部长", sheet);
        Assert.Contains("针对第 2 版", sheet);
        Assert.Contains("针对第 3 版", sheet);
        Assert.Matches(@"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}", sheet);
        await Screenshot(committee, "signoff-sheet");
        // Each decision word sits on its signer's line (a rule meant for the review form once pushed it down).
        var signatures = committee.Locator("[data-testid=sheet] .signature");
        for (var i = 0; i < await signatures.CountAsync(); i++)
        {
            var decision = await signatures.Nth(i).Locator(".decision").BoundingBoxAsync();
            var signer = await signatures.Nth(i).Locator(".signer").BoundingBoxAsync();
            Assert.InRange(decision!.Y, signer!.Y - 2, signer.Y + 2);
        }

        await committee.ClickAsync("[data-testid=language]");
        await committee.WaitForSelectorAsync("text=Sign-off sheet");
        Assert.Contains("on version 3", await committee.InnerTextAsync("[data-testid=sheet]"));
    }

    [Fact]
    public async Task A_review_of_a_text_that_changed_meanwhile_is_refused_with_the_conflict_message()
    {
        var (_, author) = await SignedIn("jiwei.author");
        var (_, head) = await SignedIn("jiwei.head");
        await author.ClickAsync("[data-testid=task-link] >> nth=0");
        await author.FillAsync("[data-testid=editor]", "全年立案审查12件。");
        await author.ClickAsync("[data-testid=submit]");
        await author.WaitForSelectorAsync("[data-testid=done]");
        var section = new Uri(author.Url).AbsolutePath;

        // The head opens the review; meanwhile the author withdraws, changes the text and submits again.
        await head.GotoAsync(section + "/review");
        await head.FillAsync("[data-testid=opinion]", "同意。");
        await author.ClickAsync("[data-testid=withdraw]");
        await author.WaitForSelectorAsync("[data-testid=editor]");
        await author.FillAsync("[data-testid=editor]", "全年立案审查15件。");
        await author.ClickAsync("[data-testid=submit]");
        await author.WaitForSelectorAsync("[data-testid=done]");

        await head.ClickAsync("[data-testid=approve]");
        var message = await head.InnerTextAsync("[data-testid=error]");
        Assert.Contains("第 2 版", message);
        Assert.Contains("第 3 版", message);
        Assert.Equal("待部门审核", await head.InnerTextAsync("[data-testid=chip]"));
        Assert.Equal("同意。", await head.InputValueAsync("[data-testid=opinion]"));

        // After reading the latest text the decision goes through.
        await head.ClickAsync("[data-testid=reload]");
        await head.WaitForSelectorAsync("[data-testid=text]");
        Assert.Contains("15件", await head.InnerTextAsync("[data-testid=text]"));
        await head.FillAsync("[data-testid=opinion]", "同意。");
        await head.ClickAsync("[data-testid=approve]");
        await head.WaitForSelectorAsync("[data-testid=done]");
        Assert.Equal("待县委审核", await head.InnerTextAsync("[data-testid=chip]"));
    }

    [Fact]
    public async Task The_opinion_box_counts_as_you_type_and_a_pasted_opinion_over_the_limit_is_kept_and_refused_in_words()
    {
        var (_, author) = await SignedIn("jiwei.author");
        var (context, head) = await SignedIn("jiwei.head");
        await author.ClickAsync("[data-testid=task-link] >> nth=0");
        await author.FillAsync("[data-testid=editor]", "全年立案审查12件。");
        await author.ClickAsync("[data-testid=submit]");
        await author.WaitForSelectorAsync("[data-testid=done]");
        var section = new Uri(author.Url).AbsolutePath;

        await head.GotoAsync(section + "/review");
        Assert.Equal("0 / 2000 字", await head.InnerTextAsync("[data-testid=opinion-count]"));
        await head.Locator("[data-testid=opinion]").PressSequentiallyAsync("请补充");
        Assert.Equal("3 / 2000 字", await head.InnerTextAsync("[data-testid=opinion-count]"));
        var calm = await CountColour(head);

        // Pasted from another document: 30 lines, over 2,000 characters. A line break is sent as CR LF, so the count
        // takes two for it, as the server will.
        var pasted = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"第{i:00}条：" + new string('改', 64)));
        var counted = pasted.Length + 29;
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await head.EvaluateAsync("text => navigator.clipboard.writeText(text)", pasted);
        await head.FillAsync("[data-testid=opinion]", "");
        await head.FocusAsync("[data-testid=opinion]");
        await head.Keyboard.PressAsync("Control+V");

        Assert.Equal(pasted, await head.InputValueAsync("[data-testid=opinion]"));
        Assert.Equal($"{counted} / 2000 字 意见超出 2000 字，请删减后再提交。", await head.InnerTextAsync("[data-testid=opinion-count]"));
        Assert.Equal("true", await head.GetAttributeAsync("[data-testid=opinion]", "aria-invalid"));
        // Said in the warning colour, not in the grey of a hint.
        Assert.NotEqual(calm, await CountColour(head));

        // Sent anyway: refused in words, nothing decided, and the opinion is still there to shorten.
        await head.ClickAsync("[data-testid=return]");
        Assert.Equal("意见不能超过 2,000 字，请删减后再提交。", (await head.InnerTextAsync("[data-testid=error]")).Trim());
        Assert.Equal("待部门审核", await head.InnerTextAsync("[data-testid=chip]"));
        Assert.Equal(pasted, await head.InputValueAsync("[data-testid=opinion]"));
        Assert.StartsWith($"{counted} / 2000 字", await head.InnerTextAsync("[data-testid=opinion-count]"));
        Assert.NotEqual(calm, await CountColour(head));
        await Screenshot(head, "review-opinion-too-long");

        // Shortened to its first lines, it goes through.
        var shortened = string.Join('\n', pasted.Split('\n').Take(3));
        await head.FillAsync("[data-testid=opinion]", shortened);
        Assert.Equal($"{shortened.Length + 2} / 2000 字", await head.InnerTextAsync("[data-testid=opinion-count]"));
        Assert.Equal(calm, await CountColour(head));
        await head.ClickAsync("[data-testid=return]");
        await head.WaitForSelectorAsync("[data-testid=done]");
        Assert.Equal("已退回", await head.InnerTextAsync("[data-testid=chip]"));
    }

    [Fact]
    public async Task Back_after_a_page_answered_a_post_shows_it_again_without_resubmitting()
    {
        var (_, author) = await SignedIn("zuzhi.author");
        await author.ClickAsync("[data-testid=task-link] >> nth=0");
        var section = new Uri(author.Url).AbsolutePath;

        // The warning about missing figures answers the post in place; its history entry is a plain GET.
        await author.FillAsync("[data-testid=editor]", "一是深入组织动员，发展党员X名。");
        await author.ClickAsync("[data-testid=submit]");
        await author.WaitForSelectorAsync("[data-testid=missing-confirm]");
        Assert.Equal(section, new Uri(author.Url).PathAndQuery);
        await author.ClickAsync("[data-testid=submit]");
        await author.WaitForSelectorAsync("[data-testid=done]");

        // Back reads the page again (or restores it) instead of Chrome's "Confirm Form Resubmission".
        var back = await author.GoBackAsync();
        Assert.True(back is null || (back.Request.Method == "GET" && back.Ok), $"Back: {back?.Request.Method} {back?.Status}");
        Assert.Equal(section, new Uri(author.Url).PathAndQuery);
        await author.WaitForSelectorAsync("[data-testid=chip]");
    }

    [Fact]
    public async Task Script_in_a_section_text_and_an_opinion_never_runs_on_any_page()
    {
        const string payload = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">";
        var (_, author) = await SignedIn("xuanchuan.author");
        var (_, head) = await SignedIn("xuanchuan.head");
        var dialogs = 0;
        author.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        head.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };

        await author.ClickAsync("[data-testid=task-link] >> nth=0");
        var section = new Uri(author.Url).AbsolutePath;
        await author.FillAsync("[data-testid=editor]", "正文" + payload + "结束。");
        await author.FillAsync("[data-testid=note]", payload);
        await author.ClickAsync("[data-testid=submit]");
        // "src=x" reads as a missing figure (x), so the page asks first; the author submits anyway.
        await author.WaitForSelectorAsync("[data-testid=missing-confirm]");
        await author.ClickAsync("[data-testid=submit]");
        await author.WaitForSelectorAsync("[data-testid=done]");

        await head.GotoAsync(section + "/review");
        await head.FillAsync("[data-testid=opinion]", "退回" + payload);
        await head.ClickAsync("[data-testid=return]");
        await head.WaitForSelectorAsync("[data-testid=done]");

        foreach (var (page, path) in new[] { (author, section), (author, section + "/signoff"), (author, "/inbox"), (head, "/inbox?state=done"), (head, section + "/signoff"), (head, section + "?from=1&to=2") })
        {
            await page.GotoAsync(path);
            Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned ?? null"));
            Assert.Equal(0, await page.Locator("main img").CountAsync());
        }

        // The payload is shown as text, where it was typed.
        await author.GotoAsync(section);
        Assert.Contains("<script>window.__pwned=1</script>", await author.InnerTextAsync("[data-testid=return-opinion]"));
        Assert.Contains("<img src=x", await author.InputValueAsync("[data-testid=editor]"));
        Assert.Equal(0, dialogs);
    }

    [Fact]
    public async Task On_a_tablet_every_page_fits_the_screen_and_a_review_can_be_done_with_the_keyboard_alone()
    {
        var (_, author) = await SignedIn("zuzhi.author");
        await author.ClickAsync("[data-testid=task-link] >> nth=0");
        var section = new Uri(author.Url).AbsolutePath;
        await author.FillAsync("[data-testid=editor]", "全年发展党员12名。");
        await author.ClickAsync("[data-testid=submit]");
        await author.WaitForSelectorAsync("[data-testid=done]");

        // A tablet held upright, touch screen.
        var context = await browser!.NewContextAsync(new() { BaseURL = host!.Address.ToString().TrimEnd('/'), Locale = "zh-CN", ViewportSize = new() { Width = 768, Height = 1024 }, HasTouch = true, IsMobile = true });
        context.SetDefaultTimeout(StepTimeout);
        var head = await context.NewPageAsync();
        pages.Add(head);
        await head.GotoAsync("/login");
        await SignIn(head, "zuzhi.head");
        var report = (await head.GetAttributeAsync("[data-testid=tasks] td a", "href"))!;
        foreach (var path in new[] { "/inbox", "/inbox?state=done", "/reports", report, section, section + "/review", section + "/signoff" })
        {
            await head.GotoAsync(path);
            var overflow = await head.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{path} is {overflow}px wider than the tablet's screen");
        }

        await head.GotoAsync(section + "/review");
        await Screenshot(head, "review-tablet");

        // The clerk's pages on the same tablet.
        var clerk = await context.NewPageAsync();
        pages.Add(clerk);
        await context.ClearCookiesAsync();
        await clerk.GotoAsync("/login");
        await SignIn(clerk, "admin");
        foreach (var path in new[] { "/audit", "/audit?chains=true", "/admin", "/admin/users", "/admin/departments", "/admin/import", report.Replace("/reports/", "/admin/reports/", StringComparison.Ordinal) + "/assignment" })
        {
            await clerk.GotoAsync(path);
            var overflow = await clerk.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{path} is {overflow}px wider than the tablet's screen");
        }

        await context.ClearCookiesAsync();
        await head.GotoAsync("/login");
        await SignIn(head, "zuzhi.head");
        await head.GotoAsync(section + "/review");

        // Keyboard only: Tab to the preset phrase 同意。, Enter puts it in the opinion; Tab on to 同意 and press Enter.
        await TabTo(head, "el => el.dataset.phrase === '同意。'");
        await head.Keyboard.PressAsync("Enter");
        Assert.Equal("同意。", await head.InputValueAsync("[data-testid=opinion]"));
        await TabTo(head, "el => el.dataset.testid === 'approve'");
        await head.Keyboard.PressAsync("Enter");
        await head.WaitForSelectorAsync("[data-testid=done]");
        Assert.Equal("待县委审核", await head.InnerTextAsync("[data-testid=chip]"));
        await context.CloseAsync();
    }

    private static Task<string> CountColour(IPage page) =>
        page.EvalOnSelectorAsync<string>("[data-testid=opinion-count]", "el => getComputedStyle(el).color");

    /// <summary>Presses Tab until the focused element matches; fails after 40 presses (the element is not reachable).</summary>
    private static async Task TabTo(IPage page, string predicate)
    {
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>($"() => !!document.activeElement && ({predicate})(document.activeElement)"))
            {
                // Focus must be visible, not only reachable.
                Assert.NotEqual("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
                return;
            }
        }

        Assert.Fail($"No element matching {predicate} could be reached with Tab.");
    }

    /// <summary>
    /// 会签 with a branch's return counted as a refusal (one of the two departments suffices), 加签 before me, 转办, and
    /// a proxy deciding for an away committee member, each done on the pages; the sign-off sheet then shows it all.
    /// </summary>
    private const string CountersignRoute = """
        { "definitionId": "browser-joint", "version": 1, "name": "会签审核",
          "stages": [
            { "key": "draft", "name": "起草", "kind": "draft" },
            { "key": "department", "name": "部门审核", "kind": "review", "assignee": { "type": "departmentHead" } },
            { "key": "cosign", "name": "纪委组织部会签", "kind": "countersign", "quorum": { "atLeast": 1 }, "onBranchReturn": "countAsRefusal",
              "branches": [ { "type": "departmentHeads", "departments": ["jiwei", "zuzhi"] } ] },
            { "key": "committee", "name": "县委审核", "kind": "review", "assignee": { "type": "role", "role": "committee-member" } } ] }
        """;

    [Fact]
    public async Task A_countersign_branch_returns_a_signer_is_added_the_task_transferred_and_a_proxy_decides_and_the_sheet_shows_it_all()
    {
        TestServices.Require(Variable, "Browser tests need Chromium");
        var admin = await host!.As("admin");
        await Api.Expect(await admin.PostAsync("/api/routes", new StringContent(CountersignRoute, System.Text.Encoding.UTF8, "application/json")), System.Net.HttpStatusCode.Created);
        var created = await admin.PostAsJsonAsync("/api/reports", new { title = "会签与委托", routeId = "browser-joint" });
        var report = (await Api.Read<System.Text.Json.JsonElement>(created, System.Net.HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var section = await Api.AddSection(admin, report, "强化监督执纪", "xuanchuan", "xuanchuan.author");
        var version = await Api.EditAndSubmit(await host.As("xuanchuan.author"), section, "一是压实主体责任，全县开展廉政谈话36人次。");
        await Api.Expect(await Api.Decide(await host.As("xuanchuan.head"), section, "approve", version, "同意。"), System.Net.HttpStatusCode.OK);
        var row = $"tr[data-section='{section}'] [data-testid=task-link]";

        // 组织部 returns its branch: counted as a refusal, the section stays at the countersign for 纪委.
        var (_, zuzhi) = await SignedIn("zuzhi.head");
        await zuzhi.ClickAsync(row);
        await Arrived(zuzhi, "[data-testid=return]");
        Assert.Equal("待纪委组织部会签", await zuzhi.InnerTextAsync("[data-testid=chip]"));
        await zuzhi.FillAsync("[data-testid=opinion]", "组织部意见：数字需再核。");
        await zuzhi.ClickAsync("[data-testid=return]");
        await Arrived(zuzhi, "[data-testid=done]");
        Assert.Contains("会签其他方仍可同意", await zuzhi.InnerTextAsync("[data-testid=done]"));
        Assert.Equal("待纪委组织部会签", await zuzhi.InnerTextAsync("[data-testid=chip]"));

        // 纪委 adds 组织部起草人 before itself, who approves first.
        var (_, jiwei) = await SignedIn("jiwei.head");
        await jiwei.ClickAsync(row);
        await Arrived(jiwei, "[data-testid=add-signer-form]");
        await jiwei.SelectOptionAsync("[data-testid=add-signer-user]", "zuzhi.author");
        await jiwei.CheckAsync("[data-testid=position-before]");
        await jiwei.ClickAsync("[data-testid=add-signer]");
        await Arrived(jiwei, "[data-testid=done]");
        Assert.Contains("组织部起草人", await jiwei.InnerTextAsync("[data-branch=jiwei]"));
        await Screenshot(jiwei, "route-diagram");

        var (_, added) = await SignedIn("zuzhi.author");
        Assert.Equal("前加签", await added.InnerTextAsync($"tr[data-section='{section}'] [data-testid=task-kind]"));
        await added.ClickAsync(row);
        await Arrived(added, "[data-testid=approve]");
        await added.FillAsync("[data-testid=opinion]", "数字无误。");
        await added.ClickAsync("[data-testid=approve]");
        await Arrived(added, "[data-testid=done]");

        // 纪委 hands its task to the deputy secretary (转办), who countersigns: on to the committee.
        await jiwei.GotoAsync($"/sections/{section}/review");
        await Arrived(jiwei, "[data-testid=transfer-form]");
        await jiwei.SelectOptionAsync("[data-testid=transfer-user]", "committee.deputy");
        await jiwei.FillAsync("#transfer-note", "请副书记代为会签。");
        await jiwei.ClickAsync("[data-testid=transfer]");
        await Arrived(jiwei, "[data-testid=done]");
        var (_, deputy) = await SignedIn("committee.deputy");
        await deputy.ClickAsync(row);
        await Arrived(deputy, "[data-testid=approve]");
        await deputy.ClickAsync("[data-testid=approve]");
        await Arrived(deputy, "[data-testid=done]");
        Assert.Equal("待县委审核", await deputy.InnerTextAsync("[data-testid=chip]"));

        // The secretary is away and names 纪委起草人 as proxy on the proxy page.
        var (_, secretary) = await SignedIn("committee.secretary");
        await secretary.ClickAsync("[data-testid=nav-proxy]");
        await Arrived(secretary, "[data-testid=proxy-user]");
        await secretary.SelectOptionAsync("[data-testid=proxy-user]", "jiwei.author");
        await secretary.ClickAsync("[data-testid=set-proxy]");
        await Arrived(secretary, "[data-testid=my-proxies]");
        Assert.Contains("纪委起草人", await secretary.InnerTextAsync("[data-testid=my-proxies]"));

        var (_, proxy) = await SignedIn("jiwei.author");
        Assert.Equal("代县委书记", await proxy.InnerTextAsync($"tr[data-section='{section}'] [data-testid=on-behalf-of]"));
        await proxy.ClickAsync(row);
        await Arrived(proxy, "[data-testid=on-behalf-of]");
        Assert.Equal("代县委书记同意", await proxy.InnerTextAsync("[data-testid=approve]"));
        await proxy.FillAsync("[data-testid=opinion]", "代为同意。");
        await proxy.ClickAsync("[data-testid=approve]");
        await Arrived(proxy, "[data-testid=done]");
        Assert.Equal("已通过", await proxy.InnerTextAsync("[data-testid=chip]"));

        // The sheet: both branches by department, the branch's return, the signer added, the transfer and the proxy.
        await secretary.GotoAsync($"/sections/{section}/signoff");
        await Arrived(secretary, "[data-testid=sheet]");
        var cosign = await secretary.InnerTextAsync("[data-stage=cosign]");
        Assert.Contains("纪委会签意见", cosign);
        Assert.Contains("组织部会签意见", cosign);
        Assert.Contains("组织部意见：数字需再核。", await secretary.InnerTextAsync("[data-stage=cosign] [data-branch=zuzhi]"));
        Assert.Contains("纪委书记 加签 组织部起草人（在其之前）", cosign);
        Assert.Contains("前加签", cosign);
        Assert.Contains("纪委书记 转办给 县委副书记", cosign);
        Assert.Contains("纪委起草人 代 县委书记", await secretary.InnerTextAsync("[data-stage=committee]"));
        await Screenshot(secretary, "sheet-countersign");
    }

    [Fact]
    public async Task The_clerk_splits_a_unit_in_the_import_preview_and_enter_in_the_title_confirms_the_edited_cut()
    {
        const string text = "县关于浏览器调整分节工作情况的报告\n今年以来，全县党建工作取得新成效。\n一、主要工作\n（一）强化学习\n一是集中学习X次。\n二是个人自学。\n三是专题研讨。\n" +
            "产生以上成效的原因主要有：\n一是领导重视。\n二是措施得力。\n（二）抓好落实\n全县建立党员先锋岗X个。\n各支部认真落实“三会一课”制度。\n下半年，县委将重点抓好以下工作：\n一是强化政治引领。\n二是夯实基层基础。\n";
        var (_, page) = await SignedIn("admin");
        await page.GotoAsync("/admin/import");
        await page.SetInputFilesAsync("#import-file", new FilePayload { Name = "report.txt", MimeType = "text/plain", Buffer = System.Text.Encoding.UTF8.GetBytes(text) });
        await page.ClickAsync("[data-testid=import-upload] button.primary");
        await Arrived(page, "[data-testid=import-preview]");
        Assert.Contains("下半年，县委将重点抓好以下工作：", await page.InnerTextAsync("[data-testid=import-closing]"));
        Assert.Contains("第 9 行", await page.InnerTextAsync("[data-testid=import-warnings]"));
        await Screenshot(page, "import-preview");

        await page.FillAsync("#u-1-1-split-title", "成效原因");
        await page.ClickAsync("button[value='split|3|1.1']");
        await Arrived(page, "[data-unit='1.1.s1']");
        Assert.Contains("成效原因", await page.InnerTextAsync("[data-unit='1.1.s1'] .title"));
        Assert.Equal(0, await page.Locator("[data-testid=import-warnings]").CountAsync());

        // Enter in the title field confirms, as it did before the preview had buttons for changes.
        await page.FillAsync("[data-testid=import-title]", "浏览器调整分节导入");
        await page.PressAsync("[data-testid=import-title]", "Enter");
        await Arrived(page, "[data-testid=admin-done]");
        Assert.Contains("成效原因", await page.InnerTextAsync("[data-testid=assignment]"));
        Assert.DoesNotContain("下半年", await page.InnerTextAsync("[data-testid=assignment]"));
    }

    [Fact]
    public async Task The_signer_signs_a_report_off_from_the_to_do_list_and_prints_its_sheet()
    {
        TestServices.Require(Variable, "Browser tests need Chromium");
        var (report, _) = await Integration.ReportPageTests.AwaitingSignOff(host!.As, "浏览器签发");
        var (_, secretary) = await SignedIn("committee.secretary");
        var violations = new List<string>();
        secretary.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                lock (violations)
                {
                    violations.Add(message.Text);
                }
            }
        };

        // 签发 is in the signer's 待办 and leads to the board's form.
        await secretary.ClickAsync($"[data-testid=signoff-tasks] tr[data-report='{report}'] [data-testid=signoff-task]");
        await Arrived(secretary, "[data-testid=signoff-form]");
        Assert.Equal("待签发", await secretary.InnerTextAsync("[data-testid=report-state]"));
        await secretary.FillAsync("#signoff-opinion", "同意上报。");
        await secretary.FillAsync("#signoff-password", "not-my-password");
        await secretary.ClickAsync("[data-testid=signoff-submit]");
        await Arrived(secretary, "[data-testid=signoff] [data-testid=error]");
        Assert.Contains("密码不正确", await secretary.InnerTextAsync("[data-testid=signoff] [data-testid=error]"));
        Assert.Equal("同意上报。", await secretary.InputValueAsync("#signoff-opinion"));
        Assert.Equal("", await secretary.InputValueAsync("#signoff-password"));
        await Screenshot(secretary, "signoff-refused");

        await secretary.FillAsync("#signoff-password", WorkflowApp.Password);
        await secretary.ClickAsync("[data-testid=signoff-submit]");
        await Arrived(secretary, "[data-testid=final]");
        Assert.Equal("已定稿", await secretary.InnerTextAsync("[data-testid=report-state]"));
        Assert.Contains("定稿 1", await secretary.InnerTextAsync("[data-testid=final]"));
        await Screenshot(secretary, "board-final");

        // The sheet prints on its own: no top bar, no buttons.
        await secretary.ClickAsync("[data-testid=sheet-link]");
        await Arrived(secretary, "[data-testid=report-sheet]");
        Assert.Contains("县委书记", await secretary.InnerTextAsync("[data-testid=sheet-signoff]"));
        await Screenshot(secretary, "report-sheet");
        await secretary.EmulateMediaAsync(new() { Media = Media.Print });
        Assert.False(await secretary.IsVisibleAsync("header.bar"));
        Assert.False(await secretary.IsVisibleAsync("[data-print]"));
        Assert.True(await secretary.IsVisibleAsync("[data-testid=sheet-hash]"));
        await Screenshot(secretary, "report-sheet-print");
        lock (violations)
        {
            Assert.Empty(violations);
        }
    }

    /// <summary>
    /// Issue 13's walk: the demo report goes to 定稿 — its sections up their routes (by the API, as the other browser tests
    /// cover those pages), the lead's missing figures filled by the clerk in the editor and approved on the review page,
    /// 签发 on the board with the password, the lock, the final Word file downloaded and read — then 复审 of one
    /// section and a second 签发 giving 定稿 2.
    /// </summary>
    [Fact]
    public async Task The_demo_report_is_walked_to_its_final_document_then_reopened_and_signed_again_as_final_2()
    {
        TestServices.Require(Variable, "Browser tests need Chromium");
        var admin = await host!.As("admin");
        var reports = await Api.Read<System.Text.Json.JsonElement[]>(await admin.GetAsync("/api/reports"));
        var report = reports.Single(r => r.GetProperty("title").GetString() == Workflow.Host.Demo.DemoSeeder.ReportTitle).GetProperty("id").GetGuid();
        var parts = (await Api.Read<System.Text.Json.JsonElement>(await admin.GetAsync($"/api/reports/{report}"))).GetProperty("sections").EnumerateArray()
            .Where(s => !s.GetProperty("isGroup").GetBoolean())
            .ToDictionary(s => s.GetProperty("id").GetGuid(), s => s.GetProperty("kind").GetString()!);
        var lead = parts.Single(p => p.Value == "lead").Key;
        foreach (var part in parts.Where(p => p.Key != lead))
        {
            await WalkToApproval(report, part.Key);
        }

        // The clerk fills the lead's missing figures (the county's name) in the editor and submits it.
        var (_, clerk) = await SignedIn("admin");
        await clerk.GotoAsync($"/sections/{lead}");
        await Arrived(clerk, "[data-testid=editor]");
        var text = await clerk.InputValueAsync("[data-testid=editor]");
        Assert.Contains("X县在市委的正确领导下", text);
        await clerk.FillAsync("[data-testid=editor]", text.Replace("X县", "南山县", StringComparison.Ordinal));
        await clerk.FillAsync("[data-testid=note]", "补齐县名");
        await clerk.ClickAsync("[data-testid=submit]");
        await Arrived(clerk, "[data-testid=done]");

        // The committee approves it on the review page; the report waits for 签发.
        var (_, deputy) = await SignedIn("committee.deputy");
        await deputy.GotoAsync($"/sections/{lead}/review");
        await Arrived(deputy, "[data-testid=approve]");
        await deputy.FillAsync("[data-testid=opinion]", "同意。");
        await deputy.ClickAsync("[data-testid=approve]");
        await Arrived(deputy, "[data-testid=done]");

        // 签发 on the board: a wrong password is refused, the right one locks the report as 定稿 1.
        var (_, secretary) = await SignedIn("committee.secretary");
        await secretary.GotoAsync($"/reports/{report}");
        await Arrived(secretary, "[data-testid=signoff-form]");
        Assert.Equal("待签发", await secretary.InnerTextAsync("[data-testid=report-state]"));
        await SignOffOnTheBoard(secretary, "同意上报。", "Wrong-2026!");
        await Arrived(secretary, "[data-testid=signoff] [data-testid=error]");
        Assert.Contains("密码不正确", await secretary.InnerTextAsync("[data-testid=signoff] [data-testid=error]"));
        await SignOffOnTheBoard(secretary, "同意上报。", WorkflowApp.Password);
        await Arrived(secretary, "[data-testid=final]");
        Assert.Equal("已定稿", await secretary.InnerTextAsync("[data-testid=report-state]"));
        Assert.Contains("定稿 1", await secretary.InnerTextAsync("[data-testid=final]"));
        await Screenshot(secretary, "demo-final-1");

        // Locked: the author's edit is refused.
        var section = parts.First(p => p.Value == "body").Key;
        Assert.Equal("report-locked", (await Api.ReadProblem(await Api.Edit(await host.As("zuzhi.author"), section, "改动。", 1), System.Net.HttpStatusCode.Conflict)).Code);

        // The final Word file, downloaded from the board: no 征求意见稿, the issuer and the day of signing at its end.
        var words = await DownloadedWords(secretary);
        Assert.DoesNotContain("征求意见稿", words);
        Assert.Contains("中共南山县委", words);
        var day = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        Assert.Contains($"{day.Year}年{day.Month}月", words);
        Assert.Contains("市委组织部：", words);
        Assert.Contains("南山县在市委的正确领导下", words);

        // 复审 of one section: the clerk reopens it to its author with a reason.
        await clerk.GotoAsync($"/reports/{report}");
        await Arrived(clerk, "[data-testid=reopen-form]");
        await clerk.FillAsync("#reopen-reason", "市委要求核实发展党员人数");
        await clerk.CheckAsync($"[data-testid=reopen-part][value='{section}']");
        await clerk.ClickAsync("[data-testid=reopen-submit]");
        await Arrived(clerk, "[data-testid=reopened]");
        Assert.Equal("复审中", await clerk.InnerTextAsync("[data-testid=report-state]"));

        // The author corrects it, it goes up its route again, and the secretary signs 定稿 2.
        await WalkToApproval(report, section, "发展党员（核实）");
        await secretary.GotoAsync($"/reports/{report}");
        await Arrived(secretary, "[data-testid=signoff-form]");
        await SignOffOnTheBoard(secretary, "同意，核实后上报。", WorkflowApp.Password);
        await Arrived(secretary, "[data-testid=final]");
        Assert.Contains("定稿 2", await secretary.InnerTextAsync("[data-testid=final]"));
        Assert.Equal(2, await secretary.Locator("[data-testid=finals] [data-testid=final-export]").CountAsync());
        Assert.Contains("（核实）", await DownloadedWords(secretary));
        await Screenshot(secretary, "demo-final-2");
    }

    private static async Task SignOffOnTheBoard(IPage page, string opinion, string password)
    {
        await page.FillAsync("#signoff-opinion", opinion);
        await page.FillAsync("#signoff-password", password);
        await page.ClickAsync("[data-testid=signoff-submit]");
    }

    /// <summary>The board's Word export, downloaded as a reader does, and its paragraphs' text.</summary>
    private static async Task<string> DownloadedWords(IPage page)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=export-docx]"));
        using var doc = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(await download.PathAsync(), false);
        return string.Join("\n", doc.MainDocumentPart!.Document.Body!.Descendants<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText));
    }

    /// <summary>
    /// Takes a part up its route by the API: its author (or the clerk, for the report's own parts) fills every missing
    /// figure (and <paramref name="insert"/> before the first 发展党员, when given) and submits; whoever the route asks
    /// next approves, until the part is approved.
    /// </summary>
    private async Task WalkToApproval(Guid report, Guid part, string? insert = null)
    {
        var admin = await host!.As("admin");
        for (var turn = 0; turn < 12; turn++)
        {
            var node = (await Api.Read<System.Text.Json.JsonElement>(await admin.GetAsync($"/api/reports/{report}"))).GetProperty("sections").EnumerateArray()
                .Single(s => s.GetProperty("id").GetGuid() == part);
            var status = node.GetProperty("status").GetString();
            if (status == "approved")
            {
                return;
            }

            var version = node.GetProperty("version").GetInt32();
            if (status is "draft" or "returned")
            {
                var author = await host.As(node.GetProperty("author").GetProperty("userName").GetString()!);
                var content = (await Api.Read<System.Text.Json.JsonElement>(await author.GetAsync($"/api/sections/{part}"))).GetProperty("content").GetString()!;
                var filled = Filled(content);
                if (insert is not null)
                {
                    var at = filled.IndexOf("发展党员", StringComparison.Ordinal);
                    filled = at < 0 ? filled + insert : filled[..at] + insert + filled[at..];
                }

                if (filled != content)
                {
                    version = (await Api.Read<System.Text.Json.JsonElement>(await Api.Edit(author, part, filled, version, "补齐数字"))).GetProperty("version").GetInt32();
                }

                await Api.Expect(await Api.Decide(author, part, "submit", version), System.Net.HttpStatusCode.OK);
                continue;
            }

            // One holder at a time: under "any" the first approval passes the stage and closes the others' tasks.
            var holder = node.GetProperty("pendingWith")[0].GetProperty("userName").GetString()!;
            await Api.Expect(await Api.Decide(await host.As(holder), part, "approve", version, "同意。"), System.Net.HttpStatusCode.OK);
        }

        Assert.Fail($"Part {part} did not reach approval.");
    }

    /// <summary>The text with every placeholder for a missing figure replaced by a number.</summary>
    private static string Filled(string text)
    {
        var sb = new System.Text.StringBuilder(text);
        foreach (var p in Workflow.Activities.Documents.PlaceholderScanner.Find(text).OrderByDescending(p => p.Index))
        {
            sb.Remove(p.Index, p.Length).Insert(p.Index, "12");
        }

        return sb.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (TestContext.Current.TestState?.Result == TestResult.Failed)
            {
                await Diagnose();
            }
        }
        finally
        {
            if (browser is not null)
            {
                await browser.DisposeAsync();
                browser = null;
            }

            playwright?.Dispose();
            playwright = null;
            if (host is not null)
            {
                await host.DisposeAsync();
                host = null;
            }
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
        context.SetDefaultTimeout(StepTimeout);
        var page = await context.NewPageAsync();
        pages.Add(page);
        return (context, page);
    }

    /// <summary>A person in their own browser context, signed in and looking at their inbox.</summary>
    private async Task<(IBrowserContext Context, IPage Page)> SignedIn(string userName)
    {
        var (context, page) = await NewPerson();
        await page.GotoAsync("/login");
        await SignIn(page, userName);
        return (context, page);
    }

    /// <summary>
    /// Waits for an element only the page navigated to has, then until its document is read in full. No WaitForURL:
    /// on a busy CI runner, when the new address was already there by the time it was called, it waited for a load
    /// state Playwright never reported (seen with both the default "load" and "commit"), though the page had loaded.
    /// </summary>
    private static async Task Arrived(IPage page, string selector)
    {
        await page.WaitForSelectorAsync(selector, new() { State = WaitForSelectorState.Attached });
        await page.WaitForFunctionAsync("() => document.readyState !== 'loading'");
    }

    /// <summary>Fills in the sign-in form the page shows and waits for the inbox it leads to.</summary>
    private static async Task SignIn(IPage page, string userName)
    {
        await page.FillAsync("#userName", userName);
        await page.FillAsync("#password", WorkflowApp.Password);
        await page.ClickAsync("button.primary");
        await Arrived(page, "[data-testid=who]");
        Assert.EndsWith("/inbox", new Uri(page.Url).AbsolutePath);
    }

    /// <summary>
    /// A failed browser test says where each person's page was and what the host answered: the pages' addresses,
    /// a screenshot of each (failed-*.png beside the others) and the end of the host's request log, so a failure
    /// on a CI runner can be understood without re-running it.
    /// </summary>
    private async Task Diagnose()
    {
        var output = TestContext.Current.TestOutputHelper;
        var name = TestContext.Current.TestMethod?.MethodName ?? "test";
        for (var i = 0; i < pages.Count; i++)
        {
            var page = pages[i];
            if (page.IsClosed)
            {
                continue;
            }

            output?.WriteLine($"page {i}: {page.Url}");
            try
            {
                await Screenshot(page, $"failed-{name}-{i}", timeout: 10_000);
            }
            catch (PlaywrightException e)
            {
                output?.WriteLine($"page {i}: no screenshot ({e.Message.Split('\n')[0]})");
            }
        }

        if (host is not null)
        {
            output?.WriteLine("host log (last 80 lines):");
            output?.WriteLine(string.Join('\n', host.LogTail(80)));
        }
    }

    private static async Task Screenshot(IPage page, string name, float? timeout = null)
    {
        var dir = Environment.GetEnvironmentVariable("WORKFLOW_TEST_SCREENSHOTS") ?? Path.Combine(Path.GetTempPath(), "workflow-screenshots");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name + ".png"), FullPage = true, Timeout = timeout });
    }
}
