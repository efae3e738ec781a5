using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Workflow.Tests.Integration;

public sealed class HostTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    [Fact]
    public async Task Health_endpoints_report_live_and_ready()
    {
        var client = app.CreateClient();

        Assert.Equal("Healthy", await client.GetStringAsync("/health/live"));
        Assert.Equal("Healthy", await client.GetStringAsync("/health/ready"));
    }

    [Fact]
    public async Task The_openapi_document_lists_the_review_routes()
    {
        var doc = await app.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/sections/{id}/approve", paths);
        Assert.Contains("/api/auth/login", paths);
        Assert.Contains("/api/reports/{id}/audit/verify", paths);
    }

    [Fact]
    public async Task The_api_needs_a_signed_in_user()
    {
        var problem = await app.CreateClient().GetAsync("/api/reports");

        Assert.Equal(HttpStatusCode.Unauthorized, problem.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_without_saying_which_part_was_wrong()
    {
        var client = app.CreateClient();

        var wrong = await Api.ReadProblem(await client.PostAsJsonAsync("/api/auth/login", new { userName = "zuzhi.head", password = "nope" }), HttpStatusCode.Unauthorized);
        var unknown = await Api.ReadProblem(await client.PostAsJsonAsync("/api/auth/login", new { userName = "nobody", password = "nope" }), HttpStatusCode.Unauthorized);

        Assert.Equal(wrong.Detail, unknown.Detail);
    }

    [Fact]
    public async Task Login_also_sets_a_cookie_that_signs_in_the_browser()
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        await Api.Expect(await client.PostAsJsonAsync("/api/auth/login", new { userName = "xuanchuan.head", password = WorkflowApp.Password }), HttpStatusCode.OK);

        var me = await client.GetFromJsonAsync<JsonElement>("/api/me");

        Assert.Equal("xuanchuan.head", me.GetProperty("userName").GetString());
        Assert.Equal("宣传部", me.GetProperty("department").GetProperty("name").GetString());
        Assert.Equal(["department-head"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Signing_out_ends_the_bearer_token_too()
    {
        var auditor = await app.As("auditor");
        await Api.Expect(await auditor.GetAsync("/api/me"), HttpStatusCode.OK);

        await Api.Expect(await auditor.PostAsync("/api/auth/logout", null), HttpStatusCode.NoContent);

        Assert.Equal(HttpStatusCode.Unauthorized, (await auditor.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task A_disabled_account_loses_access_at_once()
    {
        var deputy = await app.As("committee.deputy");
        await Api.Expect(await deputy.GetAsync("/api/reports"), HttpStatusCode.OK);

        app.WithDb(db => db.Database.ExecuteSqlRaw("UPDATE AspNetUsers SET Disabled = 1 WHERE UserName = 'committee.deputy'"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await deputy.GetAsync("/api/reports")).StatusCode);
        var relogin = await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { userName = "committee.deputy", password = WorkflowApp.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, relogin.StatusCode);
    }

    [Fact]
    public async Task The_demo_county_gives_each_author_the_drafting_tasks_of_their_department()
    {
        foreach (var author in new[] { "zuzhi.author", "jiwei.author", "xuanchuan.author" })
        {
            var client = await app.As(author);
            var tasks = await Api.Read<JsonElement[]>(await client.GetAsync("/api/tasks"));
            var demo = tasks.Where(t => t.GetProperty("reportTitle").GetString() == "县上半年关于加强党的建设工作情况报告").ToList();
            Assert.Equal(3, demo.Count);
            Assert.All(demo, t => Assert.Equal("draft", t.GetProperty("stage").GetString()));
        }
    }

    [Fact]
    public async Task The_demo_report_has_three_parts_of_three_sections_with_no_text_lost()
    {
        var secretary = await app.As("committee.secretary");
        var reports = await Api.Read<JsonElement[]>(await secretary.GetAsync("/api/reports"));
        var id = reports.Single(r => r.GetProperty("title").GetString() == "县上半年关于加强党的建设工作情况报告").GetProperty("id").GetGuid();

        var report = await Api.Read<JsonElement>(await secretary.GetAsync($"/api/reports/{id}"));
        var sections = report.GetProperty("sections").EnumerateArray().ToList();
        Assert.Equal(["一、", "二、", "三、"], sections.Where(s => s.GetProperty("isGroup").GetBoolean()).Select(s => s.GetProperty("number").GetString()));
        Assert.Equal(9, sections.Count(s => !s.GetProperty("isGroup").GetBoolean() && s.GetProperty("kind").GetString() == "body"));
        Assert.Equal(["title", "lead"], sections.Select(s => s.GetProperty("kind").GetString()).Where(k => k != "body").ToList());

        var fixture = await File.ReadAllTextAsync(Fixture.SamplePath, TestContext.Current.CancellationToken);
        var texts = new List<string>();
        foreach (var s in sections.Where(s => !s.GetProperty("isGroup").GetBoolean()))
        {
            var detail = await Api.Read<JsonElement>(await secretary.GetAsync($"/api/sections/{s.GetProperty("id").GetGuid()}"));
            texts.Add(detail.GetProperty("content").GetString()!);
        }

        // Every body paragraph of the sample appears in exactly one section.
        var paragraphs = fixture.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("一是", StringComparison.Ordinal) || l.StartsWith("二是", StringComparison.Ordinal) || l.StartsWith("三是", StringComparison.Ordinal));
        Assert.All(paragraphs, p => Assert.Single(texts, t => t.Contains(p, StringComparison.Ordinal)));
    }
}
