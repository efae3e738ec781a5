using System.Globalization;
using System.Net;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workflow.Activities.Contracts;
using Workflow.Host.Messaging;

namespace Workflow.Tests.Integration;

/// <summary>The host with the e-mail channel pointed at a real SMTP server inside the test.</summary>
public class EmailApp : WorkflowApp
{
    public const string Sender = "县委办公室 <noreply@county.example>";

    public EmailApp()
        : this(startSmtp: true)
    {
    }

    protected EmailApp(bool startSmtp)
    {
        if (startSmtp)
        {
            Smtp.Start();
        }
    }

    public SmtpTestServer Smtp { get; } = new();

    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l => l.AddProvider(Logs));
    }

    protected override void ConfigureDatabase(IWebHostBuilder builder)
    {
        base.ConfigureDatabase(builder);
        builder.UseSetting("Smtp:Host", "127.0.0.1");
        builder.UseSetting("Smtp:Port", Smtp.Port.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Smtp:From", Sender);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The same host with its SMTP server still down when the host starts; the test brings it up.</summary>
public sealed class LateSmtpApp() : EmailApp(startSmtp: false);

public sealed class EmailTests(EmailApp app) : IClassFixture<EmailApp>
{
    [Fact]
    public async Task An_approval_e_mails_each_committee_member_about_the_new_to_do()
    {
        var (section, version, title) = await SubmittedSection(app, "邮件待办");

        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "approve", version, "同意"), HttpStatusCode.OK);

        foreach (var member in new[] { "committee.secretary", "committee.deputy" })
        {
            var address = $"{member}@county.example";
            var mail = await app.Smtp.WaitFor(m => m.To.Contains(address) && m.Text.Contains(title, StringComparison.Ordinal), $"to {address} about {title}");
            Assert.Equal([address], mail.To);
            Assert.Equal("noreply@county.example", mail.From);
            Assert.Equal("县委办公室", mail.Message.From.Mailboxes.Single().Name);
            Assert.Equal(address, mail.Message.To.Mailboxes.Single().Address);
            Assert.StartsWith("【报告审核】新的待办：", mail.Message.Subject, StringComparison.Ordinal);
            Assert.Contains("县委审核", mail.Text, StringComparison.Ordinal);
            Assert.Equal("task-assigned", mail.Header("X-Workflow-Kind"));
            // Non-ASCII text travels encoded (RFC 2047 words and a base64 or quoted-printable body), never raw.
            Assert.DoesNotContain("报告审核", mail.Raw, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_return_e_mails_the_author_with_the_opinion()
    {
        var (section, version, title) = await SubmittedSection(app, "邮件退回");

        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "return", version, "请补充二季度数据，并核实党员人数。"), HttpStatusCode.OK);

        var mail = await app.Smtp.WaitFor(m => m.To.Contains("zuzhi.author@county.example") && m.Header("X-Workflow-Kind") == "section-returned" && m.Text.Contains(title, StringComparison.Ordinal), "to the author about the return");
        Assert.StartsWith("【报告审核】", mail.Message.Subject, StringComparison.Ordinal);
        Assert.Contains("被退回", mail.Message.Subject, StringComparison.Ordinal);
        Assert.Contains("意见：请补充二季度数据，并核实党员人数。", mail.Text, StringComparison.Ordinal);
        Assert.StartsWith("组织部起草人，您好：", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redelivered_message_sends_no_second_e_mail()
    {
        var (section, report) = await NewSection(app, "邮件重复投递");
        var headId = await UserId(app, "zuzhi.head");
        var messageId = Guid.NewGuid();
        var message = new TaskAssigned(report, section, "department", "test", headId, "hash", null, DateTimeOffset.UtcNow);
        var bus = app.Services.GetRequiredService<IBus>();

        await bus.Publish(message, ctx => ctx.MessageId = messageId, TestContext.Current.CancellationToken);
        await bus.Publish(message, ctx => ctx.MessageId = messageId, TestContext.Current.CancellationToken);
        var mail = await app.Smtp.WaitFor(m => m.Header("X-Workflow-Delivery") == messageId.ToString(), "for the published message");
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        await bus.Publish(message, ctx => ctx.MessageId = messageId, TestContext.Current.CancellationToken);
        await Task.Delay(1500, TestContext.Current.CancellationToken);

        Assert.Single(app.Smtp.Mails, m => m.Header("X-Workflow-Delivery") == messageId.ToString());
        Assert.Equal(["zuzhi.head@county.example"], mail.To);
        // The Message-ID is the same for every send of one message to one person, so mail systems can drop a copy.
        Assert.Equal($"{messageId:N}.{headId}@county.example", mail.Message.MessageId);
        Assert.Equal(1, app.Count("Inbox", $"\"Consumer\" = 'email:{headId}' AND \"MessageId\" = '{messageId.ToString().ToUpperInvariant()}'"));
    }

    [Fact]
    public async Task Only_active_people_with_an_address_get_e_mail_and_a_refused_mailbox_does_not_hold_up_the_others()
    {
        var (section, report) = await NewSection(app, "邮件收件人");
        var holder = await UserId(app, "zuzhi.head");
        var disabled = await UserId(app, "auditor");
        var noAddress = await UserId(app, "jiwei.author");
        var refused = await UserId(app, "xuanchuan.head");
        var deputy = await UserId(app, "committee.deputy");
        app.WithDb(db =>
        {
            db.Users.Single(u => u.Id == disabled).Disabled = true;
            db.Users.Single(u => u.Id == noAddress).Email = null;
            return db.SaveChanges();
        });
        app.Smtp.RejectedRecipients.Add("xuanchuan.head@county.example");
        var messageId = Guid.NewGuid();
        var message = new TaskOverdue(report, section, "department", "system", Guid.NewGuid(), holder, [disabled, noAddress, refused, deputy], "hash", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow);

        await app.Services.GetRequiredService<IBus>().Publish(message, ctx => ctx.MessageId = messageId, TestContext.Current.CancellationToken);

        var toHolder = await app.Smtp.WaitFor(m => m.Header("X-Workflow-Delivery") == messageId.ToString() && m.To.Contains("zuzhi.head@county.example"), "to the task holder");
        Assert.Contains("已超期", toHolder.Text, StringComparison.Ordinal);
        var toDeputy = await app.Smtp.WaitFor(m => m.Header("X-Workflow-Delivery") == messageId.ToString() && m.To.Contains("committee.deputy@county.example"), "to the escalation");
        Assert.Contains("督办", toDeputy.Message.Subject, StringComparison.Ordinal);
        await Task.Delay(1500, TestContext.Current.CancellationToken);

        Assert.Equal(2, app.Smtp.Mails.Count(m => m.Header("X-Workflow-Delivery") == messageId.ToString()));
        Assert.Contains(app.Logs.Lines, l => l.Contains("rejected the address", StringComparison.Ordinal) && l.Contains(messageId.ToString(), StringComparison.Ordinal));
        // A refused mailbox is not retried: no failure was thrown for the message, so no retry warning appears.
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("will be retried", StringComparison.Ordinal) && l.Contains(messageId.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_e_mail_held_up_by_a_down_smtp_server_arrives_once_the_server_is_up()
    {
        await using var late = new LateSmtpApp();
        var (section, report) = await NewSection(late, "邮件服务器恢复");
        var headId = await UserId(late, "zuzhi.head");
        var messageId = Guid.NewGuid();
        var message = new TaskAssigned(report, section, "department", "test", headId, "hash", null, DateTimeOffset.UtcNow);

        await late.Services.GetRequiredService<IBus>().Publish(message, ctx => ctx.MessageId = messageId, TestContext.Current.CancellationToken);

        // The first attempt meets a closed port; the host logs it and keeps the message for a retry.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!late.Logs.Lines.Any(l => l.Contains("will be retried", StringComparison.Ordinal) && l.Contains(messageId.ToString(), StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the failed first attempt was not logged within 10 s");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Empty(late.Smtp.Mails);
        late.Smtp.Start();

        var mail = await late.Smtp.WaitFor(m => m.Header("X-Workflow-Delivery") == messageId.ToString(), "after the server came up", seconds: 20);
        Assert.Equal(["zuzhi.head@county.example"], mail.To);
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.Single(late.Smtp.Mails, m => m.Header("X-Workflow-Delivery") == messageId.ToString());
    }

    [Fact]
    public void The_running_host_has_the_e_mail_channel()
    {
        using var scope = app.Services.CreateScope();
        Assert.NotNull(scope.ServiceProvider.GetService<EmailConsumer>());
        Assert.Equal("127.0.0.1", scope.ServiceProvider.GetRequiredService<SmtpSettings>().Host);
    }

    [Fact]
    public void A_wrong_sender_address_stops_the_start_up_naming_the_setting()
    {
        using var broken = new BadSenderApp();

        var error = Assert.ThrowsAny<Exception>(() => broken.Services);

        Assert.Contains("Smtp:From", error.ToString(), StringComparison.Ordinal);
    }

    internal static async Task<string> UserId(WorkflowApp app, string userName) =>
        (await Api.Read<JsonElement>(await (await app.As(userName)).GetAsync("/api/me"))).GetProperty("id").GetString()!;

    private static async Task<(Guid Section, Guid Report)> NewSection(WorkflowApp app, string title)
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, title);
        return (await Api.AddSection(admin, report, title: title), report);
    }

    /// <summary>A submitted section with a title of its own, so the test can pick its e-mails out of the others.</summary>
    private static async Task<(Guid Section, int Version, string Title)> SubmittedSection(WorkflowApp app, string title)
    {
        title = $"{title}{Guid.NewGuid().ToString("N")[..6]}";
        var (section, _) = await NewSection(app, title);
        return (section, await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "发展党员12名。"), title);
    }

    private sealed class BadSenderApp : WorkflowApp
    {
        protected override void ConfigureDatabase(IWebHostBuilder builder)
        {
            base.ConfigureDatabase(builder);
            builder.UseSetting("Smtp:Host", "127.0.0.1");
            builder.UseSetting("Smtp:From", "县委办公室");
        }
    }
}
