using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Host.Messaging;

namespace Workflow.Tests.Integration;

/// <summary>
/// The host posting events to a real receiver inside the test. Endpoints: "main" (all events), "approvals"
/// (SectionApproved only), "flaky" (SectionReturned only; the receiver answers 500 to the first two attempts
/// of each delivery) and "stranger" (SectionSubmitted only, signed with a secret the receiver does not know).
/// </summary>
public sealed class WebhookApp : WorkflowApp, IAsyncLifetime
{
    public const string StrangerSecret = "a-secret-the-receiver-never-saw";

    public WebhookReceiver Receiver { get; } = new();

    public async ValueTask InitializeAsync()
    {
        await Receiver.StartAsync();
        Receiver.FailFirst["flaky"] = 2;
    }

    protected override void ConfigureDatabase(IWebHostBuilder builder)
    {
        base.ConfigureDatabase(builder);
        Endpoint(builder, 0, "main", WebhookReceiver.SharedSecret);
        Endpoint(builder, 1, "approvals", WebhookReceiver.SharedSecret, "SectionApproved");
        Endpoint(builder, 2, "flaky", WebhookReceiver.SharedSecret, "SectionReturned");
        Endpoint(builder, 3, "stranger", StrangerSecret, "SectionSubmitted");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private void Endpoint(IWebHostBuilder builder, int n, string name, string secret, params string[] events)
    {
        builder.UseSetting($"Webhooks:Endpoints:{n}:Name", name);
        builder.UseSetting($"Webhooks:Endpoints:{n}:Url", Receiver.Url(name));
        builder.UseSetting($"Webhooks:Endpoints:{n}:Secret", secret);
        for (var i = 0; i < events.Length; i++)
        {
            builder.UseSetting($"Webhooks:Endpoints:{n}:Events:{i}", events[i]);
        }
    }
}

public sealed class WebhookTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    private WebhookReceiver Receiver => app.Receiver;

    [Fact]
    public async Task An_approval_is_posted_signed_and_names_the_section()
    {
        var (section, version) = await SubmittedSection("推送审核");

        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "approve", version, "同意上报。"), HttpStatusCode.OK);

        var approved = await Receiver.WaitFor(d => d.Endpoint == "main" && d.Event == "SectionApproved" && d.SectionId == section.ToString(), "of the approval");
        Assert.True(approved.SignatureValid);
        Assert.True(approved.Accepted);
        Assert.Equal("application/json", approved.ContentType?.Split(';')[0]);
        var body = approved.Body;
        Assert.Equal(approved.Delivery, body.GetProperty("id").GetString());
        Assert.Equal("SectionApproved", body.GetProperty("type").GetString());
        Assert.True(body.GetProperty("occurredAt").TryGetDateTimeOffset(out var at) && (DateTimeOffset.UtcNow - at).Duration() < TimeSpan.FromMinutes(1));
        var data = body.GetProperty("data");
        Assert.Equal("department", data.GetProperty("stage").GetString());
        Assert.Equal("同意上报。", data.GetProperty("opinion").GetString());
        Assert.Equal(version, data.GetProperty("version").GetInt32());
        Assert.Equal(await EmailTests.UserId(app, "zuzhi.head"), data.GetProperty("actorId").GetString());

        // The same approval also produced the committee's tasks, posted as their own events.
        var assigned = await Receiver.WaitFor(d => d.Endpoint == "main" && d.Event == "TaskAssigned" && d.SectionId == section.ToString() && d.Body.GetProperty("data").GetProperty("stage").GetString() == "committee", "of the committee's task");
        Assert.True(assigned.SignatureValid);
        Assert.NotEqual(approved.Delivery, assigned.Delivery);
    }

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_the_event_on_a_later_retry_and_accepts_it_once()
    {
        var (section, version) = await SubmittedSection("推送重试");

        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "return", version, "请补充数据。"), HttpStatusCode.OK);

        var accepted = await Receiver.WaitFor(d => d.Endpoint == "flaky" && d.Accepted && d.SectionId == section.ToString(), "accepted by the flaky endpoint", seconds: 20);
        var attempts = Receiver.Deliveries.Where(d => d.Endpoint == "flaky" && d.Delivery == accepted.Delivery).ToList();
        Assert.Equal([500, 500, 204], attempts.Select(d => d.Answer));
        Assert.All(attempts, d => Assert.True(d.SignatureValid));
        Assert.Equal("SectionReturned", accepted.Event);
        Assert.Equal("请补充数据。", accepted.Body.GetProperty("data").GetProperty("opinion").GetString());

        // The retries were for the flaky endpoint only: the main endpoint, served at the first attempt, got it once.
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.Single(Receiver.Deliveries, d => d.Endpoint == "main" && d.Delivery == accepted.Delivery);
        Assert.Single(Receiver.Deliveries, d => d.Endpoint == "flaky" && d.Delivery == accepted.Delivery && d.Accepted);
        var messageId = Guid.Parse(accepted.Delivery!);
        Assert.Equal(1, app.Count("Inbox", $"\"Consumer\" = 'webhook:flaky' AND \"MessageId\" = '{messageId.ToString().ToUpperInvariant()}'"));
    }

    [Fact]
    public async Task The_receiver_refuses_a_signature_made_with_a_secret_it_does_not_share()
    {
        var (section, _) = await SubmittedSection("推送签名");

        var known = await Receiver.WaitFor(d => d.Endpoint == "main" && d.Event == "SectionSubmitted" && d.SectionId == section.ToString(), "of the submission to main");
        var stranger = await Receiver.WaitFor(d => d.Endpoint == "stranger" && d.Delivery == known.Delivery, "of the submission to stranger");

        Assert.True(known.SignatureValid);
        Assert.False(stranger.SignatureValid);
        Assert.Equal(401, stranger.Answer);
        Assert.Equal(known.RawBody, stranger.RawBody);
    }

    [Fact]
    public async Task The_events_setting_limits_what_an_endpoint_gets()
    {
        var (section, version) = await SubmittedSection("推送筛选");
        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "approve", version, "同意"), HttpStatusCode.OK);

        await Receiver.WaitFor(d => d.Endpoint == "approvals" && d.Event == "SectionApproved" && d.SectionId == section.ToString(), "of the approval to the approvals endpoint");
        await Receiver.WaitFor(d => d.Endpoint == "main" && d.Event == "TaskAssigned" && d.SectionId == section.ToString() && d.Body.GetProperty("data").GetProperty("stage").GetString() == "committee", "of the committee's task to main");
        await Receiver.WaitFor(d => d.Endpoint == "main" && d.Event == "SectionSubmitted" && d.SectionId == section.ToString(), "of the submission to main");

        Assert.All(Receiver.Deliveries.Where(d => d.Endpoint == "approvals"), d => Assert.Equal("SectionApproved", d.Event));
        Assert.All(Receiver.Deliveries.Where(d => d.Endpoint == "flaky"), d => Assert.Equal("SectionReturned", d.Event));
        Assert.Contains(Receiver.Deliveries, d => d.Endpoint == "main" && d.Event == "TaskAssigned" && d.SectionId == section.ToString());
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/hook", "receiver-shared-secret-0123456789", null, "Webhooks:Endpoints:0:Url")]
    [InlineData("/hooks/relative", "receiver-shared-secret-0123456789", null, "Webhooks:Endpoints:0:Url")]
    [InlineData("http://127.0.0.1:9/hook", "short-secret", null, "Webhooks:Endpoints:0:Secret")]
    [InlineData("http://127.0.0.1:9/hook", "", null, "Webhooks:Endpoints:0:Secret")]
    [InlineData("http://127.0.0.1:9/hook", "receiver-shared-secret-0123456789", "SectionApprove", "Webhooks:Endpoints:0:Events")]
    public void A_wrong_endpoint_setting_stops_the_start_up_naming_it(string url, string secret, string? events, string named)
    {
        using var broken = new MisconfiguredApp(url, secret, events);

        var error = Assert.ThrowsAny<Exception>(() => broken.Services);

        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
        if (secret.Length > 0)
        {
            Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_running_host_has_the_webhook_channel_with_every_endpoint()
    {
        using var scope = app.Services.CreateScope();
        Assert.NotNull(scope.ServiceProvider.GetService<WebhookConsumer>());
        Assert.Equal(["main", "approvals", "flaky", "stranger"], scope.ServiceProvider.GetRequiredService<WebhookSettings>().Endpoints.Select(e => e.Name));
    }

    private async Task<(Guid Section, int Version)> SubmittedSection(string title)
    {
        title = $"{title}{Guid.NewGuid().ToString("N")[..6]}";
        var admin = await app.As("admin");
        var section = await Api.AddSection(admin, await Api.CreateReport(admin, title), title: title);
        return (section, await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "发展党员12名。"));
    }

    private sealed class MisconfiguredApp(string url, string secret, string? events) : WorkflowApp
    {
        protected override void ConfigureDatabase(IWebHostBuilder builder)
        {
            base.ConfigureDatabase(builder);
            builder.UseSetting("Webhooks:Endpoints:0:Name", "partner");
            builder.UseSetting("Webhooks:Endpoints:0:Url", url);
            builder.UseSetting("Webhooks:Endpoints:0:Secret", secret);
            if (events is not null)
            {
                builder.UseSetting("Webhooks:Endpoints:0:Events", events);
            }
        }
    }
}
