using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Workflow.Tests.Integration;

/// <summary>
/// The server-rendered pages over HTTP as a browser uses them: cookies kept, redirects followed, forms posted
/// with the anti-forgery token taken from the page they are on.
/// </summary>
public static partial class PageClient
{
    public static HttpClient Browser(this WorkflowApp app) => app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = true });

    /// <summary>Signs in on /login and answers the page the person lands on (/inbox).</summary>
    public static async Task<string> SignIn(HttpClient browser, string userName)
    {
        var form = await (await browser.GetAsync("/login", TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var response = await browser.PostAsync("/login", Form(form, new() { ["userName"] = userName, ["password"] = WorkflowApp.Password, ["returnUrl"] = "/inbox" }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith("/inbox", response.RequestMessage!.RequestUri!.AbsolutePath);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>GETs a page and answers its HTML; fails on any status but 200.</summary>
    public static async Task<string> Page(HttpClient browser, string path)
    {
        var response = await browser.GetAsync(path, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}\n{html}");
        return html;
    }

    /// <summary>Posts a form from <paramref name="page"/> (its anti-forgery token) and answers the page shown after; expects 200.</summary>
    public static async Task<string> Post(HttpClient browser, string page, string path, Dictionary<string, string> fields)
    {
        var response = await PostRaw(browser, page, path, fields);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {path}: {(int)response.StatusCode}\n{html}");
        return html;
    }

    /// <summary>Posts a form and answers the raw response, for refusals (4xx) a test wants to look at.</summary>
    public static Task<HttpResponseMessage> PostRaw(HttpClient browser, string page, string path, Dictionary<string, string> fields) =>
        browser.PostAsync(path, Form(page, fields), TestContext.Current.CancellationToken);

    public static FormUrlEncodedContent Form(string page, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = AntiforgeryToken(page);
        return new FormUrlEncodedContent(fields);
    }

    /// <summary>The anti-forgery token of the form on <paramref name="page"/>, for forms a test builds itself (multipart, repeated fields).</summary>
    public static string AntiforgeryToken(string page) => Token().Match(page).Groups[1].Value;

    /// <summary>The import preview's plan (its hidden JSON field, HTML-decoded) and the ids of its units.</summary>
    public static string ImportPlan(string page) => WebUtility.HtmlDecode(PlanField().Match(page).Groups[1].Value);

    public static List<string> ImportUnits(string page) => [.. UnitField().Matches(page).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("name=\"unit\" value=\"([^\"]+)\"")]
    private static partial Regex UnitField();

    [GeneratedRegex("name=\"plan\" value=\"([^\"]*)\"")]
    private static partial Regex PlanField();
}
