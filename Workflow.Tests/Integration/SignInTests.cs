using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Host.Workflow;

namespace Workflow.Tests.Integration;

using static PageClient;

/// <summary>
/// Sign-in that an attacker cannot turn against users: failures slow the guessing address instead of locking the
/// account, are audited and logged, and cookie sessions cannot be used from another site.
/// </summary>
public sealed class SignInTests : IDisposable
{
    // A host per test: throttling state and the clock are the host's, and tests move the clock.
    private readonly ClockedWorkflowApp app = new();

    public void Dispose() => app.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Wrong_passwords_slow_the_guessing_address_and_never_lock_the_owner_out()
    {
        const string attacker = "10.1.0.66";
        for (var i = 0; i < 5; i++)
        {
            await Api.ReadProblem(await Login("admin", "wrong-password", attacker), HttpStatusCode.Unauthorized);
        }

        // The guessing address waits, even with the right password ...
        var refused = await Login("admin", WorkflowApp.Password, attacker);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var first = RetryAfter(refused);
        Assert.InRange(first, 1, 15);
        Assert.Equal("signin-throttled", (await Api.ReadProblem(refused, HttpStatusCode.TooManyRequests)).Code);

        // ... while the real admin signs in from their own address.
        await Api.Expect(await Login("admin", WorkflowApp.Password, "10.1.0.1"), HttpStatusCode.OK);

        // After the wait one more guess is allowed, and the next wait is twice as long.
        app.Clock.Advance(TimeSpan.FromSeconds(first));
        await Api.ReadProblem(await Login("admin", "wrong-again", attacker), HttpStatusCode.Unauthorized);
        var second = await Login("admin", "wrong-again", attacker);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(2 * first, RetryAfter(second));
        await Api.Expect(await Login("admin", WorkflowApp.Password, "10.1.0.2"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Guessing_many_names_from_one_address_slows_that_address_only()
    {
        const string sprayer = "10.2.0.66";
        for (var i = 0; i < 20; i++)
        {
            await Api.ReadProblem(await Login($"guess{i}", "wrong-password", sprayer), HttpStatusCode.Unauthorized);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await Login("zuzhi.head", WorkflowApp.Password, sprayer)).StatusCode);
        await Api.Expect(await Login("zuzhi.head", WorkflowApp.Password, "10.2.0.1"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_sign_in_page_uses_the_same_throttle()
    {
        const string attacker = "10.3.0.66";
        for (var i = 0; i < 5; i++)
        {
            await Api.ReadProblem(await Login("jiwei.author", "wrong-password", attacker), HttpStatusCode.Unauthorized);
        }

        var browser = BrowserAt(attacker);
        var form = await (await browser.GetAsync("/login", Ct)).Content.ReadAsStringAsync(Ct);
        var page = await browser.PostAsync("/login", Form(form, new() { ["userName"] = "jiwei.author", ["password"] = WorkflowApp.Password, ["returnUrl"] = "/inbox" }), Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.True(page.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("data-testid=\"login-throttled\"", await page.Content.ReadAsStringAsync(Ct));

        await SignIn(BrowserAt("10.3.0.1"), "jiwei.author");
    }

    [Fact]
    public async Task Failed_sign_ins_and_throttling_are_audited_once_per_window_and_logged()
    {
        const string attacker = "10.4.0.66";
        for (var i = 0; i < 7; i++)
        {
            await Login("xuanchuan.head", "wrong-password", attacker);
            app.Clock.Advance(TimeSpan.FromMinutes(20));
        }

        // One entry when the name starts failing from the address, one each time a wait begins (5th, 6th and 7th failure).
        await WaitFor(() => Entries("auth.throttled", attacker) == 3);
        Assert.Equal(1, Entries("auth.signin-failed", attacker));
        var data = app.WithDb(db => db.AuditEntries.Where(e => e.Action == "auth.throttled" && e.Data.Contains(attacker)).OrderBy(e => e.Sequence).Select(e => e.Data).ToList());
        Assert.Equal([15, 30, 60], data.Select(d => JsonDocument.Parse(d).RootElement.GetProperty("seconds").GetInt32()));
        Assert.All(app.WithDb(db => db.AuditEntries.Where(e => e.Data.Contains(attacker)).Select(e => e.ActorName).ToList()), n => Assert.Equal("xuanchuan.head", n));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<AuditTrail>().VerifyAsync(Guid.Empty, Ct)).Intact);
        }

        Assert.Contains(app.Logs.Lines, l => l.Contains("Sign-in failed for xuanchuan.head from " + attacker, StringComparison.Ordinal));
        Assert.Contains(app.Logs.Lines, l => l.Contains("Sign-in throttled for xuanchuan.head from " + attacker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_users_are_refused_like_wrong_passwords_and_audited_alike()
    {
        const string address = "10.5.0.66";
        var unknown = await Api.ReadProblem(await Login("nobody.here", "wrong-password", address), HttpStatusCode.Unauthorized);
        var wrong = await Api.ReadProblem(await Login("zuzhi.author", "wrong-password", address), HttpStatusCode.Unauthorized);

        Assert.Equal(wrong, unknown);
        await WaitFor(() => Entries("auth.signin-failed", address) == 2);
    }

    [Fact]
    public async Task Huge_made_up_names_count_as_their_first_256_characters()
    {
        // Otherwise each variant would be a new key in memory (and a new audit entry), never throttled per name.
        var prefix = new string('x', 256);
        for (var i = 0; i < 5; i++)
        {
            await Api.ReadProblem(await Login(prefix + i + new string('y', 5000), "wrong-password", "10.7.0.66"), HttpStatusCode.Unauthorized);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await Login(prefix + "z", "wrong-password", "10.7.0.66")).StatusCode);
        await WaitFor(() => Entries("auth.throttled", "10.7.0.66") == 1);
        Assert.Equal(1, Entries("auth.signin-failed", "10.7.0.66"));
    }

    [Fact]
    public async Task Cookie_signed_api_writes_from_another_site_are_refused()
    {
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        await Api.Expect(await browser.PostAsJsonAsync("/api/auth/login", new { userName = "admin", password = WorkflowApp.Password }, Ct), HttpStatusCode.OK);
        var origin = browser.BaseAddress!.GetLeftPart(UriPartial.Authority);

        await Api.ReadProblem(await Send(browser, CreateReport("跨站"), "http://evil.example"), HttpStatusCode.Forbidden);
        await Api.ReadProblem(await Send(browser, CreateReport("跨站"), null, referer: "http://evil.example/page"), HttpStatusCode.Forbidden);
        // Neither header, no token: a cookie alone is not enough.
        await Api.ReadProblem(await Send(browser, CreateReport("无来源"), null), HttpStatusCode.Forbidden);

        await Api.Expect(await Send(browser, CreateReport("同站"), origin), HttpStatusCode.Created);
        await Api.Expect(await Send(browser, CreateReport("同站引用"), null, referer: origin + "/reports"), HttpStatusCode.Created);

        var report = await Api.CreateReport(await app.As("admin"), "跨站导入");
        await Api.ReadProblem(await Send(browser, Import(report), "http://evil.example"), HttpStatusCode.Forbidden);
        await Api.Expect(await Send(browser, Import(report), origin), HttpStatusCode.Created);

        // A page's anti-forgery token (cookie and field) lets a script without Origin through.
        var page = await (await browser.GetAsync("/login", Ct)).Content.ReadAsStringAsync(Ct);
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var withToken = CreateReport("令牌");
        withToken.Headers.Add("RequestVerificationToken", token);
        await Api.Expect(await Send(browser, withToken, null), HttpStatusCode.Created);

        // Bearer tokens are not sent by browsers on their own: unaffected by Origin.
        var api = await app.As("admin");
        await Api.Expect(await Send(api, CreateReport("令牌客户端"), "http://evil.example"), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers_and_no_page_needs_inline_code()
    {
        var browser = app.Browser();
        var pages = new List<string> { await SignIn(browser, "admin") };
        var report = await Api.CreateReport(await app.As("admin"), "安全头");
        var section = await Api.AddSection(await app.As("admin"), report);
        foreach (var path in new[] { $"/reports/{report}", $"/sections/{section}", $"/sections/{section}/signoff", "/reports", "/audit", "/admin", "/admin/users", "/admin/departments", "/admin/import", $"/admin/reports/{report}/assignment" })
        {
            pages.Add(await Page(browser, path));
        }

        foreach (var html in pages)
        {
            Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", html);
            Assert.DoesNotMatch("\\sstyle=\"", html);
            Assert.DoesNotMatch("\\son[a-z]+=\"", html);
        }

        foreach (var response in new[]
                 {
                     await app.CreateClient().GetAsync("/login", Ct),
                     await app.CreateClient().GetAsync("/api/me", Ct),
                     await app.CreateClient().GetAsync("/no-such-page", Ct),
                     await app.CreateClient().GetAsync("/js/site.js", Ct),
                     await app.CreateClient().PostAsync("/api/auth/login", new StringContent("{", Encoding.UTF8, "application/json"), Ct),
                 })
        {
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", csp);
            Assert.DoesNotContain("unsafe-inline", csp);
            Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Single(response.Headers.GetValues("Referrer-Policy"));
        }
    }

    [Fact]
    public async Task Cookies_are_secure_when_the_site_is_served_over_https()
    {
        var https = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), HandleCookies = false });
        var form = await https.GetAsync("/login", Ct);
        Assert.All(form.Headers.GetValues("Set-Cookie"), c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
        var login = await https.PostAsJsonAsync("/api/auth/login", new { userName = "auditor", password = WorkflowApp.Password }, Ct);
        Assert.Contains(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("workflow.session=", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Behind_a_named_proxy_the_forwarded_client_is_throttled_and_https_is_seen()
    {
        using var proxied = new ProxiedApp();
        const string proxy = "10.6.0.5";
        for (var i = 0; i < 5; i++)
        {
            await Api.ReadProblem(await Login(proxied, "admin", "wrong-password", proxy, ("X-Forwarded-For", "10.6.1.66")), HttpStatusCode.Unauthorized);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await Login(proxied, "admin", WorkflowApp.Password, proxy, ("X-Forwarded-For", "10.6.1.66"))).StatusCode);
        var other = await Login(proxied, "admin", WorkflowApp.Password, proxy, ("X-Forwarded-For", "10.6.1.1"), ("X-Forwarded-Proto", "https"));
        await Api.Expect(other, HttpStatusCode.OK);
        Assert.Contains(other.Headers.GetValues("Set-Cookie"), c => c.StartsWith("workflow.session=", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));

        // A client that is not the named proxy cannot pick its own address.
        for (var i = 0; i < 5; i++)
        {
            await Login(proxied, "auditor", "wrong-password", "10.6.2.66", ("X-Forwarded-For", $"10.6.3.{i}"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await Login(proxied, "auditor", "wrong-password", "10.6.2.66", ("X-Forwarded-For", "10.6.3.99"))).StatusCode);
    }

    private Task<HttpResponseMessage> Login(string userName, string password, string address) => Login(app, userName, password, address);

    private static async Task<HttpResponseMessage> Login(WorkflowApp target, string userName, string password, string address, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { userName, password }) };
        request.Headers.Add(WorkflowApp.ClientAddressHeader, address);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return await target.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false }).SendAsync(request, Ct);
    }

    /// <summary>The host behind a reverse proxy it was told about.</summary>
    private sealed class ProxiedApp : WorkflowApp
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ForwardedHeaders:KnownProxies", "10.6.0.5");
        }
    }

    private static int RetryAfter(HttpResponseMessage response) => (int)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds;

    private HttpClient BrowserAt(string address)
    {
        var browser = app.Browser();
        browser.DefaultRequestHeaders.Add(WorkflowApp.ClientAddressHeader, address);
        return browser;
    }

    private int Entries(string action, string address) =>
        app.WithDb(db => db.AuditEntries.Count(e => e.ReportId == Guid.Empty && e.Action == action && e.Data.Contains("\"" + address + "\"")));

    private static Task WaitFor(Func<bool> condition) => Poll.Until(condition, TimeSpan.FromSeconds(15), "condition not met");

    private static HttpRequestMessage CreateReport(string title) =>
        new(HttpMethod.Post, "/api/reports") { Content = JsonContent.Create(new { title, lead = "导语。" }) };

    private static HttpRequestMessage Import(Guid report)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes("一、总体情况\n今年以来，各项工作稳步推进。\n")), "file", "报告.txt" } };
        return new HttpRequestMessage(HttpMethod.Post, $"/api/reports/{report}/import") { Content = form };
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpRequestMessage request, string? origin, string? referer = null)
    {
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (referer is not null)
        {
            request.Headers.Referrer = new Uri(referer);
        }

        return client.SendAsync(request, Ct);
    }
}
