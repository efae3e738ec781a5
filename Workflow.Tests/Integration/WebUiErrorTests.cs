using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.DependencyInjection;

namespace Workflow.Tests.Integration;

using static PageClient;

/// <summary>
/// Refusals and failures as people meet them: a browser (asking for text/html) gets a page in the UI's language with
/// the top bar, an API client keeps ProblemDetails, whose detail follows Accept-Language.
/// </summary>
public sealed class WebUiErrorTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_browser_refused_a_page_gets_a_chinese_page_with_the_top_bar_and_the_same_status()
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "错误页面测试");
        var section = await Api.AddSection(admin, report);
        var stranger = AsBrowser(app.Browser());
        await SignIn(stranger, "jiwei.author");

        foreach (var (path, status, words) in new[]
        {
            ($"/sections/{section}", HttpStatusCode.NotFound, "页面不存在"),
            ("/audit", HttpStatusCode.Forbidden, "无权访问"),
            ($"/api/reports/{report}/export?format=docx", HttpStatusCode.Forbidden, "无权访问"),
            ("/no-such-page", HttpStatusCode.NotFound, "页面不存在"),
        })
        {
            var response = await stranger.GetAsync(path, Ct);
            var html = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(status == response.StatusCode && response.Content.Headers.ContentType?.MediaType == "text/html", $"{path}: {(int)response.StatusCode} {response.Content.Headers.ContentType}\n{html}");
            Assert.Contains(words, html);
            Assert.Contains("data-testid=\"who\"", html);
            Assert.DoesNotContain("\"title\"", html);
        }
    }

    [Fact]
    public async Task The_api_keeps_problem_details_for_the_same_refusals()
    {
        var author = await app.As("jiwei.author");
        var response = await author.GetAsync("/api/audit", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_failure_in_a_browser_is_a_page_saying_nothing_was_changed()
    {
        using var failing = app.WithWebHostBuilder(b => b.ConfigureServices(s => s.Configure<MvcOptions>(o => o.Filters.Add(new FailOnRequest()))));
        var browser = AsBrowser(failing.CreateClient());

        var response = await browser.GetAsync("/login?fail=1", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("系统出错", html);
        Assert.Contains("未做任何修改", html);
    }

    [Theory]
    [InlineData("zh-CN,zh;q=0.9,en;q=0.8", "此节已全部审核通过")]
    [InlineData("en-US,en;q=0.9", "approved at every stage")]
    [InlineData(null, "approved at every stage")]
    public async Task An_api_refusal_speaks_the_language_asked_for_and_english_by_default(string? language, string expected)
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "语言测试");
        var section = await Api.AddSection(admin, report);
        var author = await app.As("zuzhi.author");
        var version = await Api.EditAndSubmit(author, section, "一是深入组织动员，发展党员12名。");
        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "approve", version, "同意。"), HttpStatusCode.OK);
        await Api.Expect(await Api.Decide(await app.As("committee.secretary"), section, "approve", version, "同意。"), HttpStatusCode.OK);

        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/sections/{section}/content")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { content = "再改一次。", baseVersion = version }),
        };
        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }

        var refused = await author.SendAsync(request, Ct);
        var problem = await Api.ReadProblem(refused, HttpStatusCode.Conflict);
        Assert.Contains(expected, problem.Detail);
    }

    [Fact]
    public async Task A_problem_without_a_code_is_localized_too()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/no-such-endpoint");
        request.Headers.AcceptLanguage.ParseAdd("zh-CN");
        var response = await (await app.As("admin")).SendAsync(request, Ct);
        var problem = await Api.ReadProblem(response, HttpStatusCode.NotFound);
        Assert.Contains("不存在", problem.Detail);
    }

    private static HttpClient AsBrowser(HttpClient client)
    {
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        return client;
    }

    /// <summary>Stands for a bug: any page asked with ?fail throws.</summary>
    private sealed class FailOnRequest : IResourceFilter
    {
        public void OnResourceExecuting(ResourceExecutingContext context)
        {
            if (context.HttpContext.Request.Query.ContainsKey("fail"))
            {
                throw new InvalidOperationException("A bug.");
            }
        }

        public void OnResourceExecuted(ResourceExecutedContext context)
        {
        }
    }
}
