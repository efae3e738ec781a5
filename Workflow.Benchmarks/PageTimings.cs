using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Workflow.Benchmarks;

/// <summary>
/// Times every page of the web UI against a running host with the demo county, as the people who use each page:
///   dotnet run -c Release --project Workflow.Benchmarks -- pages --url http://127.0.0.1:5081 [--requests 50] [--warmup 5]
/// First (not timed) it takes one demo section through submit → return → resubmit so the review page has a diff and
/// the sign-off sheet has opinions. Then each page is requested sequentially, after a warm-up, and the time to the
/// whole response body is reported as p50 / p95 / max. Sequential on purpose: the goal is a page's own cost.
/// </summary>
internal static partial class PageTimings
{
    private const string Password = "Demo-2026!";

    public static async Task<int> RunAsync(string url, int requests, int warmup)
    {
        var author = await SignInAsync(url, "zuzhi.author");
        var head = await SignInAsync(url, "zuzhi.head");
        var admin = await SignInAsync(url, "admin");
        var anonymous = new HttpClient { BaseAddress = new Uri(url) };

        // Setup through the JSON API with the same cookies (the API accepts the session cookie).
        var reports = await admin.GetFromJsonAsync<JsonElement>("/api/reports");
        var report = reports.EnumerateArray().First(r => r.GetProperty("title").GetString()!.Contains("党的建设", StringComparison.Ordinal)).GetProperty("id").GetGuid();
        var tasks = await author.GetFromJsonAsync<JsonElement>("/api/tasks");
        var section = tasks.EnumerateArray().First().GetProperty("sectionId").GetGuid();
        await Expect(author.PutAsJsonAsync($"/api/sections/{section}/content", new { content = "全县建立“党员先锋岗”12个，招募党员志愿者85人。\n组织党员捐款356人。", baseVersion = 1, note = "补齐数字" }));
        await Expect(author.PostAsJsonAsync($"/api/sections/{section}/submit", new { version = 2 }));
        await Expect(head.PostAsJsonAsync($"/api/sections/{section}/return", new { version = 2, opinion = "请修改后再报。请写明捐款金额。" }));
        await Expect(author.PutAsJsonAsync($"/api/sections/{section}/content", new { content = "全县建立“党员先锋岗”12个，招募党员志愿者90人。\n组织党员捐款356人，累计捐款金额4.2万元。", baseVersion = 2, note = "补充金额" }));
        await Expect(author.PostAsJsonAsync($"/api/sections/{section}/submit", new { version = 3 }));
        var draft = (await author.GetFromJsonAsync<JsonElement>("/api/tasks")).EnumerateArray().First().GetProperty("sectionId").GetGuid();

        (string Who, HttpClient Client, string Path)[] pages =
        [
            ("anonymous", anonymous, "/login"),
            ("zuzhi.author", author, "/inbox"),
            ("zuzhi.author", author, "/inbox?state=done"),
            ("zuzhi.author", author, $"/sections/{draft}"),
            ("zuzhi.author", author, $"/sections/{section}?from=1&to=3"),
            ("zuzhi.head", head, "/inbox"),
            ("zuzhi.head", head, $"/sections/{section}/review"),
            ("zuzhi.head", head, $"/sections/{section}/signoff"),
            ("admin", admin, "/reports"),
            ("admin", admin, $"/reports/{report}"),
            ("admin", admin, $"/reports/{report}?department=jiwei&state=draft"),
            ("admin", admin, "/audit"),
            ("admin", admin, $"/audit?report={report}"),
            ("admin", admin, $"/audit?handler=csv&report={report}"),
            ("admin", admin, "/admin"),
            ("admin", admin, "/admin/users"),
            ("admin", admin, "/admin/departments"),
            ("admin", admin, $"/admin/reports/{report}/assignment"),
            ("admin", admin, "/admin/import"),
        ];

        Console.WriteLine($"{requests} sequential requests per page after {warmup} warm-up requests; ms to the last byte");
        Console.WriteLine($"{"page",-62} {"as",-13} {"p50",7} {"p95",7} {"max",7}");
        var worst = 0.0;
        foreach (var (who, client, path) in pages)
        {
            for (var i = 0; i < warmup; i++)
            {
                await TimeAsync(client, path);
            }

            var times = new double[requests];
            for (var i = 0; i < requests; i++)
            {
                times[i] = await TimeAsync(client, path);
            }

            Array.Sort(times);
            double P(double p) => times[Math.Clamp((int)Math.Ceiling(p / 100 * times.Length) - 1, 0, times.Length - 1)];
            worst = Math.Max(worst, P(95));
            var shown = Regex.Replace(path, "[0-9a-f]{8}-[0-9a-f-]{27}", "{id}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{shown,-62} {who,-13} {P(50),7:F1} {P(95),7:F1} {times[^1],7:F1}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"slowest p95: {worst:F1} ms ({(worst < 200 ? "every page under" : "NOT every page under")} 200 ms)"));
        return 0;
    }

    private static async Task<double> TimeAsync(HttpClient client, string path)
    {
        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}");
        }

        return elapsed;
    }

    /// <summary>Signs in on the sign-in page, as a browser does: anti-forgery token from the form, session cookie kept.</summary>
    private static async Task<HttpClient> SignInAsync(string url, string userName)
    {
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };
        var form = await client.GetStringAsync("/login");
        var token = Token().Match(form).Groups[1].Value;
        var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = userName,
            ["password"] = Password,
            ["returnUrl"] = "/inbox",
            ["__RequestVerificationToken"] = token,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing in as {userName} answered {(int)response.StatusCode}");
        }

        return client;
    }

    private static async Task Expect(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
