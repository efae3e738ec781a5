using System.Net;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Activities.Contracts;

namespace Workflow.Tests.Integration;

/// <summary>Events leave through the outbox and the bus (in-memory here) and become notices for the right people.</summary>
public sealed class NotificationTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    [Fact]
    public async Task An_approval_gives_each_committee_member_a_new_to_do_notice()
    {
        var (section, version) = await SubmittedSection("通知");

        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "approve", version, "同意"), HttpStatusCode.OK);

        foreach (var member in new[] { "committee.secretary", "committee.deputy" })
        {
            var notice = await app.WaitForNotice(member, n => n.GetProperty("sectionId").GetString() == section.ToString());
            Assert.Equal("task-assigned", notice.GetProperty("kind").GetString());
            Assert.Contains("县委审核", notice.GetProperty("text").GetString());
        }
    }

    [Fact]
    public async Task A_return_tells_the_author_the_opinion_and_the_notice_can_be_marked_read()
    {
        var (section, version) = await SubmittedSection("退回通知");
        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "return", version, "请补充二季度数据。"), HttpStatusCode.OK);

        var notice = await app.WaitForNotice("zuzhi.author", n => n.GetProperty("kind").GetString() == "section-returned" && n.GetProperty("sectionId").GetString() == section.ToString());
        Assert.Contains("请补充二季度数据。", notice.GetProperty("text").GetString());

        var author = await app.As("zuzhi.author");
        await Api.Expect(await author.PostAsync($"/api/notifications/{notice.GetProperty("id").GetString()}/read", null), HttpStatusCode.NoContent);
        var unread = await Api.Read<JsonElement[]>(await author.GetAsync("/api/notifications?unread=true"));
        Assert.DoesNotContain(unread, n => n.GetProperty("id").GetString() == notice.GetProperty("id").GetString());
        await Api.ReadProblem(await (await app.As("zuzhi.head")).PostAsync($"/api/notifications/{notice.GetProperty("id").GetString()}/read", null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_redelivered_message_gives_no_second_notice()
    {
        var (section, _) = await SubmittedSection("重复投递");
        var head = await app.As("zuzhi.head");
        var headId = (await Api.Read<JsonElement>(await head.GetAsync("/api/me"))).GetProperty("id").GetString()!;
        var reportId = (await Api.Read<JsonElement>(await head.GetAsync($"/api/sections/{section}"))).GetProperty("reportId").GetGuid();
        var message = new TaskAssigned(reportId, section, "department", "test", headId, "hash", null, DateTimeOffset.UtcNow);
        var messageId = Guid.NewGuid();
        var bus = app.Services.GetRequiredService<IBus>();

        await bus.Publish(message, ctx => ctx.MessageId = messageId, TestContext.Current.CancellationToken);
        await bus.Publish(message, ctx => ctx.MessageId = messageId, TestContext.Current.CancellationToken);
        await app.WaitForNotice("zuzhi.head", n => n.GetProperty("sectionId").GetString() == section.ToString() && n.GetProperty("text").GetString()!.Contains("部门审核", StringComparison.Ordinal));
        await Task.Delay(500, TestContext.Current.CancellationToken);

        Assert.Equal(1, app.Count("Notifications", $"\"MessageId\" = '{messageId.ToString().ToUpperInvariant()}'"));
    }

    [Fact]
    public async Task Published_outbox_rows_are_marked_sent()
    {
        var (section, version) = await SubmittedSection("已发送");
        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "approve", version, "同意"), HttpStatusCode.OK);
        await app.WaitForNotice("committee.secretary", n => n.GetProperty("sectionId").GetString() == section.ToString());

        // Parked rows are left out: another test of this class parks one on purpose, and the test order differs
        // between Debug and Release builds.
        const string unsent = "\"SentAt\" IS NULL AND \"ParkedAt\" IS NULL";
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (app.Count("Outbox", unsent) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, app.Count("Outbox", unsent));
    }

    [Fact]
    public async Task The_event_stream_pushes_a_new_notice_to_its_addressee()
    {
        var (section, version) = await SubmittedSection("推送");
        var secretary = await app.As("committee.secretary");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events/stream");
        using var response = await secretary.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        Assert.Equal(": connected", await reader.ReadLineAsync(TestContext.Current.CancellationToken));

        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "approve", version, "同意"), HttpStatusCode.OK);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        string? line;
        while ((line = await reader.ReadLineAsync(timeout.Token)) is not null && !line.StartsWith("data: ", StringComparison.Ordinal))
        {
        }

        var data = JsonDocument.Parse(line!["data: ".Length..]).RootElement;
        Assert.Equal(section.ToString(), data.GetProperty("sectionId").GetString());
        Assert.Equal("task-assigned", data.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_parked_message_and_its_error_are_visible_to_the_clerk_only()
    {
        var (section, _) = await SubmittedSection("搁置");
        var id = Guid.NewGuid();
        app.WithDb(db =>
        {
            db.Outbox.Add(new Workflow.Persistence.Entities.OutboxMessage
            {
                Id = id, MessageType = "SectionApproved", Payload = "{}", SectionId = section, CreatedAt = DateTimeOffset.UtcNow,
                Attempts = 10, LastError = "broker unreachable", ParkedAt = DateTimeOffset.UtcNow,
            });
            return db.SaveChanges();
        });

        var parked = await Api.Read<JsonElement[]>(await (await app.As("admin")).GetAsync("/api/outbox?state=parked"));

        var entry = parked.Single(p => p.GetProperty("id").GetGuid() == id);
        Assert.Equal("broker unreachable", entry.GetProperty("lastError").GetString());
        await Api.ReadProblem(await (await app.As("zuzhi.head")).GetAsync("/api/outbox"), HttpStatusCode.Forbidden);
    }

    private async Task<(Guid Section, int Version)> SubmittedSection(string title)
    {
        var admin = await app.As("admin");
        var section = await Api.AddSection(admin, await Api.CreateReport(admin, title));
        return (section, await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "发展党员12名。"));
    }
}
