using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workflow.Tests.Integration;

public sealed record SectionState(Guid Id, string Stage, string StageName, string Status, int Version, string Hash, int Cycle);

public sealed record Problem(int Status, string? Title, string? Detail, string? Code);

/// <summary>Small typed helpers over the public HTTP API, so tests read as the user's steps.</summary>
public static class Api
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static async Task<Guid> CreateReport(HttpClient admin, string title)
    {
        var r = await admin.PostAsJsonAsync("/api/reports", new { title, lead = "导语。" });
        await Expect(r, HttpStatusCode.Created);
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<Guid> AddSection(HttpClient admin, Guid report, string title = "党的高质量建设效果凸显", string department = "zuzhi", string author = "zuzhi.author", string content = "一是深入组织动员，发展党员X名。")
    {
        var r = await admin.PostAsJsonAsync($"/api/reports/{report}/sections", new { title, number = "（一）", content, department, author });
        await Expect(r, HttpStatusCode.Created);
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static Task<HttpResponseMessage> Edit(HttpClient c, Guid section, string content, int baseVersion, string? note = null) =>
        c.PutAsJsonAsync($"/api/sections/{section}/content", new { content, baseVersion, note });

    public static Task<HttpResponseMessage> Decide(HttpClient c, Guid section, string verb, int version, string? opinion = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sections/{section}/{verb}") { Content = JsonContent.Create(new { version, opinion }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return c.SendAsync(request);
    }

    public static async Task<T> Read<T>(HttpResponseMessage r, HttpStatusCode expected = HttpStatusCode.OK)
    {
        await Expect(r, expected);
        return (await r.Content.ReadFromJsonAsync<T>(Json))!;
    }

    public static async Task<Problem> ReadProblem(HttpResponseMessage r, HttpStatusCode expected)
    {
        await Expect(r, expected);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        return (await r.Content.ReadFromJsonAsync<Problem>(Json))!;
    }

    public static async Task Expect(HttpResponseMessage r, HttpStatusCode expected)
    {
        if (r.StatusCode != expected)
        {
            Assert.Fail($"{r.RequestMessage?.Method} {r.RequestMessage?.RequestUri} answered {(int)r.StatusCode} instead of {(int)expected}: {await r.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Author edits and submits; returns the submitted version number.</summary>
    public static async Task<int> EditAndSubmit(HttpClient author, Guid section, string content)
    {
        var edited = await Read<JsonElement>(await Edit(author, section, content, 1, "补充数字"));
        var version = edited.GetProperty("version").GetInt32();
        await Expect(await Decide(author, section, "submit", version), HttpStatusCode.OK);
        return version;
    }
}
