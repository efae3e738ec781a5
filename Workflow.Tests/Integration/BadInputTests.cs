using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Workflow.Tests.Integration;

/// <summary>Bad input gets a 4xx ProblemDetails a person can act on, never a 500, and writes nothing.</summary>
public sealed class BadInputTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    [Fact]
    public async Task Malformed_json_is_a_400_that_says_where_the_json_breaks()
    {
        var admin = await app.As("admin");
        var section = await Api.AddSection(admin, await Api.CreateReport(admin, "坏JSON"));
        var author = await app.As("zuzhi.author");
        var before = app.Count("AuditEntries");

        var r = await author.PostAsync($"/api/sections/{section}/submit", new StringContent("{\"version\": 1,", Encoding.UTF8, "application/json"));

        var problem = await Api.ReadProblem(r, HttpStatusCode.BadRequest);
        Assert.Contains("not valid JSON", problem.Detail);
        Assert.Equal(before, app.Count("AuditEntries"));
    }

    [Fact]
    public async Task A_missing_body_or_version_is_a_400()
    {
        var head = await app.As("zuzhi.head");

        await Api.ReadProblem(await head.PostAsync($"/api/sections/{Guid.NewGuid()}/approve", null), HttpStatusCode.BadRequest);
        var problem = await Api.ReadProblem(await head.PostAsJsonAsync($"/api/sections/{Guid.NewGuid()}/approve", new { opinion = "同意" }), HttpStatusCode.BadRequest);
        Assert.Contains("version", problem.Detail);
    }

    [Theory]
    [InlineData("/submit", "{\"version\": \"two\"}", "application/json")]
    [InlineData("/approve", "[1, 2]", "application/json")]
    [InlineData("/approve", "{\"version\": 99999999999}", "application/json")]
    [InlineData("/return", "null", "application/json")]
    [InlineData("/approve", "version=2", "application/x-www-form-urlencoded")]
    [InlineData("/approve", "{\"version\": 2}", "text/plain")]
    [InlineData("/content", "{\"content\": 5, \"baseVersion\": 1}", "application/json")]
    public async Task Garbage_bodies_get_a_4xx_problem_never_a_500(string verb, string body, string contentType)
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "垃圾输入");
        var section = await Api.AddSection(admin, report);
        var author = await app.As("zuzhi.author");
        var before = app.Count("AuditEntries");
        var request = new HttpRequestMessage(verb == "/content" ? HttpMethod.Put : HttpMethod.Post, $"/api/sections/{section}{verb}")
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };

        var r = await author.SendAsync(request);

        Assert.InRange((int)r.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, app.Count("AuditEntries"));
    }

    [Theory]
    [InlineData("GET", "/api/reports/{0}")]
    [InlineData("GET", "/api/sections/{0}")]
    [InlineData("GET", "/api/sections/{0}/versions")]
    [InlineData("GET", "/api/sections/{0}/signoffs")]
    [InlineData("GET", "/api/sections/{0}/diff?from=1&to=2")]
    [InlineData("POST", "/api/sections/{0}/submit")]
    [InlineData("GET", "/api/reports/{0}/audit/verify")]
    [InlineData("GET", "/api/no-such-route")]
    [InlineData("GET", "/api/sections/not-a-guid")]
    public async Task Unknown_ids_are_a_404_problem(string method, string path)
    {
        var admin = await app.As("admin");
        var request = new HttpRequestMessage(new HttpMethod(method), string.Format(path, Guid.NewGuid()));
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { version = 1 });
        }

        await Api.ReadProblem(await admin.SendAsync(request), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Oversized_content_is_refused_with_the_limit_and_no_new_version()
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "超长");
        var section = await Api.AddSection(admin, report);
        var author = await app.As("zuzhi.author");

        var problem = await Api.ReadProblem(await Api.Edit(author, section, new string('字', 100_001), 1), HttpStatusCode.BadRequest);

        Assert.Contains("100,000", problem.Detail);
        var versions = await Api.Read<JsonElement>(await author.GetAsync($"/api/sections/{section}/versions"));
        Assert.Equal(1, versions.GetArrayLength());
    }

    [Theory]
    [InlineData("一是深入组织动员\uFFFF。", "U+FFFF", 9)]
    [InlineData("一是深入组织动员\uFFFE。", "U+FFFE", 9)]
    [InlineData("第一行\n一是\u000B深入。", "U+000B", 7)]
    public async Task Text_that_cannot_be_stored_is_a_400_naming_the_character_and_the_export_keeps_working(string content, string name, int position)
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "坏字符");
        var section = await Api.AddSection(admin, report);
        var author = await app.As("zuzhi.author");
        var before = app.Count("AuditEntries");

        var problem = await Api.ReadProblem(await Api.Edit(author, section, content, 1), HttpStatusCode.BadRequest);

        Assert.Equal("invalid-character", problem.Code);
        Assert.Contains(name, problem.Detail);
        Assert.Contains($"position {position}", problem.Detail);
        Assert.Equal(before, app.Count("AuditEntries"));
        var opinion = await Api.ReadProblem(await Api.Decide(await app.As("zuzhi.head"), section, "approve", 1, "同意\uFFFE"), HttpStatusCode.BadRequest);
        Assert.Equal("invalid-character", opinion.Code);
        var added = await Api.ReadProblem(await admin.PostAsJsonAsync($"/api/reports/{report}/sections", new { title = "标题", department = "zuzhi", author = "zuzhi.author", content }), HttpStatusCode.BadRequest);
        Assert.Equal("invalid-character", added.Code);
        var export = await admin.GetAsync($"/api/reports/{report}/export?format=docx");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
    }

    [Fact]
    public async Task Text_stored_before_the_check_still_exports_and_can_be_edited()
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "旧数据");
        var section = await Api.AddSection(admin, report);
        using (var db = app.OpenDatabase())
        {
            using var update = db.CreateCommand();
            update.CommandText = "UPDATE \"SectionVersions\" SET \"Content\" = $c WHERE \"SectionId\" = $s";
            update.Parameters.AddWithValue("$c", "一是深入组织动员\uFFFF，发展党员\uFFFE12名。");
            update.Parameters.AddWithValue("$s", section.ToString().ToUpperInvariant());
            Assert.Equal(1, update.ExecuteNonQuery());
        }

        var export = await admin.GetAsync($"/api/reports/{report}/export?format=docx");

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        using var doc = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(new MemoryStream(await export.Content.ReadAsByteArrayAsync()), false);
        Assert.Contains("一是深入组织动员，发展党员12名。", doc.MainDocumentPart!.Document!.Body!.InnerText);
        await Api.Expect(await Api.Edit(await app.As("zuzhi.author"), section, "一是深入组织动员，发展党员12名。", 1), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Every_problem_carries_a_code()
    {
        var admin = await app.As("admin");
        var author = await app.As("zuzhi.author");
        var report = await Api.CreateReport(admin, "错误码");
        var section = await Api.AddSection(admin, report);
        HttpRequestMessage Json(HttpMethod method, string path, string body) => new(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var cases = new (string Name, HttpClient Client, HttpRequestMessage Request)[]
        {
            ("unknown route", admin, new(HttpMethod.Get, "/api/no-such-route")),
            ("id that is no guid", admin, new(HttpMethod.Get, "/api/sections/not-a-guid")),
            ("unknown id", admin, new(HttpMethod.Get, $"/api/sections/{Guid.NewGuid()}")),
            ("wrong method", admin, new(HttpMethod.Delete, "/api/reports")),
            ("not signed in", app.CreateClient(), new(HttpMethod.Get, "/api/tasks")),
            ("not allowed", author, Json(HttpMethod.Post, "/api/reports", "{\"title\": \"无权\"}")),
            ("malformed json", author, Json(HttpMethod.Post, $"/api/sections/{section}/submit", "{\"version\": 1,")),
            ("wrong json type", author, Json(HttpMethod.Post, $"/api/sections/{section}/submit", "{\"version\": \"two\"}")),
            ("wrong content type", author, new(HttpMethod.Post, $"/api/sections/{section}/submit") { Content = new StringContent("{\"version\": 1}", Encoding.UTF8, "text/plain") }),
            ("query that does not bind", admin, new(HttpMethod.Get, "/api/audit?take=many")),
            ("missing version", author, Json(HttpMethod.Post, $"/api/sections/{section}/submit", "{}")),
            ("empty text", author, Json(HttpMethod.Put, $"/api/sections/{section}/content", "{\"content\": \" \", \"baseVersion\": 1}")),
            ("report without title", admin, Json(HttpMethod.Post, "/api/reports", "{\"title\": \"\"}")),
            ("over-long opinion", admin, Json(HttpMethod.Post, $"/api/sections/{section}/return", $"{{\"version\": 1, \"opinion\": \"{new string('长', 2_001)}\"}}")),
            ("stale version", author, Json(HttpMethod.Post, $"/api/sections/{section}/submit", "{\"version\": 7}")),
        };

        foreach (var (name, client, request) in cases)
        {
            var r = await client.SendAsync(request);
            var body = await r.Content.ReadAsStringAsync();
            Assert.True((int)r.StatusCode is >= 400 and < 500, $"{name}: {(int)r.StatusCode} {body}");
            Assert.True(r.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{name}: {(int)r.StatusCode} {r.Content.Headers.ContentType} {body}");
            using var problem = JsonDocument.Parse(body);
            Assert.True(problem.RootElement.TryGetProperty("code", out var code) && code.GetString() is { Length: > 0 }, $"{name}: no code in {body}");
        }
    }

    [Fact]
    public async Task An_over_long_opinion_says_so_with_its_own_code()
    {
        var admin = await app.As("admin");
        var section = await Api.AddSection(admin, await Api.CreateReport(admin, "长意见"));
        await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "一是深入组织动员，发展党员12名。");

        var problem = await Api.ReadProblem(await Api.Decide(await app.As("zuzhi.head"), section, "return", 2, new string('改', 2_001)), HttpStatusCode.BadRequest);

        Assert.Equal("opinion-too-long", problem.Code);
        Assert.Contains("2,000", problem.Detail);
        Assert.Contains("2,001", problem.Detail);
    }

    [Fact]
    public async Task An_invalid_route_definition_is_refused_with_every_problem_listed()
    {
        var admin = await app.As("admin");
        var definition = """
            { "definitionId": "bad-route", "version": 1, "stages": [
                { "key": "draft", "kind": "draft" },
                { "key": "review", "kind": "review", "assignee": { "type": "users", "users": ["a"] }, "quorum": { "atLeast": 2 } },
                { "key": "review", "kind": "cosign", "assignee": { "type": "role", "role": "committee-member" } } ] }
            """;

        var r = await admin.PostAsync("/api/routes", new StringContent(definition, Encoding.UTF8, "application/json"));

        await Api.Expect(r, HttpStatusCode.BadRequest);
        var body = await r.Content.ReadAsStringAsync();
        Assert.Contains("only 1 branch(es)", body);
        Assert.Contains("unknown activity kind 'cosign'", body);
        Assert.Contains("duplicate stage key 'review'", body);
    }

    [Fact]
    public async Task An_empty_route_is_refused_and_a_valid_one_is_published_once()
    {
        var admin = await app.As("admin");
        var empty = await admin.PostAsync("/api/routes", new StringContent("""{ "definitionId": "empty", "version": 1, "stages": [] }""", Encoding.UTF8, "application/json"));
        Assert.Contains("the route is empty", await empty.Content.ReadAsStringAsync());

        var valid = """
            { "definitionId": "two-signers", "version": 1, "stages": [
                { "key": "draft", "kind": "draft" },
                { "key": "committee", "kind": "review", "assignee": { "type": "role", "role": "committee-member" }, "quorum": { "atLeast": 2 } } ] }
            """;
        await Api.Expect(await admin.PostAsync("/api/routes", new StringContent(valid, Encoding.UTF8, "application/json")), HttpStatusCode.Created);
        var again = await Api.ReadProblem(await admin.PostAsync("/api/routes", new StringContent(valid, Encoding.UTF8, "application/json")), HttpStatusCode.Conflict);
        Assert.Equal("route-version-exists", again.Code);
    }

    [Fact]
    public async Task Only_admins_create_reports_and_publish_routes()
    {
        var author = await app.As("zuzhi.author");

        await Api.ReadProblem(await author.PostAsJsonAsync("/api/reports", new { title = "越权" }), HttpStatusCode.Forbidden);
        await Api.ReadProblem(await author.PostAsync("/api/routes", new StringContent("{}", Encoding.UTF8, "application/json")), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Assigning_an_author_from_another_department_is_refused()
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "分配");
        var section = await Api.AddSection(admin, report);

        var r = await admin.PutAsJsonAsync($"/api/sections/{section}/assignment", new { department = "zuzhi", author = "jiwei.author" });

        var problem = await Api.ReadProblem(r, HttpStatusCode.BadRequest);
        Assert.Contains("does not belong", problem.Detail);
    }

    [Fact]
    public async Task Reassigning_a_draft_moves_the_drafting_task_to_the_new_author()
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "改派");
        var section = await Api.AddSection(admin, report);

        await Api.Expect(await admin.PutAsJsonAsync($"/api/sections/{section}/assignment", new { department = "jiwei", author = "jiwei.author" }), HttpStatusCode.OK);

        var jiwei = await Api.Read<JsonElement[]>(await (await app.As("jiwei.author")).GetAsync("/api/tasks"));
        Assert.Contains(jiwei, t => t.GetProperty("sectionId").GetGuid() == section);
        var zuzhi = await Api.Read<JsonElement[]>(await (await app.As("zuzhi.author")).GetAsync("/api/tasks"));
        Assert.DoesNotContain(zuzhi, t => t.GetProperty("sectionId").GetGuid() == section);
    }
}
