using System.Globalization;
using System.Net;
using System.Net.Mail;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Workflow.Persistence;

namespace Workflow.Host.Messaging;

/// <summary>
/// SMTP settings (section "Smtp"); the e-mail channel exists only when Smtp:Host is set. Read and checked
/// once at start-up, so a wrong sender address stops the host instead of failing every message later.
/// </summary>
public sealed record SmtpSettings(string Host, int Port, MailAddress From, string? Username, string? Password, bool EnableSsl)
{
    public const string Section = "Smtp";

    public static bool IsConfigured(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[$"{Section}:Host"]);

    public static SmtpSettings Load(IConfiguration configuration)
    {
        var s = configuration.GetSection(Section);
        var host = s["Host"]?.Trim();
        if (string.IsNullOrEmpty(host))
        {
            throw new InvalidOperationException("Smtp:Host is not set.");
        }

        var port = 25;
        if (!string.IsNullOrWhiteSpace(s["Port"]) && (!int.TryParse(s["Port"], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw new InvalidOperationException($"Smtp:Port must be a port number (1-65535), not '{s["Port"]}'.");
        }

        if (string.IsNullOrWhiteSpace(s["From"]) || !MailAddress.TryCreate(s["From"]!.Trim(), out var from))
        {
            throw new InvalidOperationException("Smtp:From must be the sender's address, e.g. \"县委办公室 <noreply@county.example>\".");
        }

        var ssl = false;
        if (!string.IsNullOrWhiteSpace(s["EnableSsl"]) && !bool.TryParse(s["EnableSsl"], out ssl))
        {
            throw new InvalidOperationException($"Smtp:EnableSsl must be true or false, not '{s["EnableSsl"]}'.");
        }

        var user = string.IsNullOrWhiteSpace(s["Username"]) ? null : s["Username"];
        return new SmtpSettings(host, port, from, user, user is null ? null : s["Password"], ssl);
    }

    // The password must not end up in logs through the record's generated ToString.
    public override string ToString() => $"{Host}:{Port} from {From.Address} (ssl {EnableSsl}, user {Username ?? "none"})";
}

/// <summary>
/// The e-mail channel: one plain-text UTF-8 e-mail per notice to each addressee who has an address and is not
/// disabled. Idempotent per (message, addressee) through the inbox, so a retry after a partial failure
/// writes only to those not yet served. A failed send is thrown after the others were tried, so MassTransit
/// retries the message (see MessagingSetup).
/// </summary>
public sealed class EmailConsumer(NoticeComposer composer, WorkflowDbContext db, DeliveryLedger ledger, SmtpSettings smtp, ILogger<EmailConsumer> logger) : NoticeConsumer(composer)
{
    public const string Channel = "email";
    public const string SubjectPrefix = "【报告审核】";
    private const int SubjectTextLength = 40;
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The inbox key of one addressee; user ids are GUID strings, far below the 100-character limit.</summary>
    public static string InboxKey(string userId) => $"{Channel}:{userId}";

    public static string Subject(Notice notice)
    {
        var text = notice.Text.ReplaceLineEndings(" ");
        return SubjectPrefix + (text.Length > SubjectTextLength ? text[..SubjectTextLength] + "…" : text);
    }

    public static string Body(string displayName, Notice notice) =>
        $"{displayName}，您好：\n\n{notice.Text}\n\n请登录报告审核系统查看或办理。\n（此邮件由系统自动发送，请勿直接回复。）\n";

    protected override async Task DeliverAsync(Guid messageId, IReadOnlyList<Notice> notices, CancellationToken ct)
    {
        var byUser = notices.DistinctBy(n => n.UserId).ToDictionary(n => n.UserId, StringComparer.Ordinal);
        if (byUser.Count == 0)
        {
            return;
        }

        var ids = byUser.Keys.ToList();
        var users = await db.Users.AsNoTracking()
            .Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.Disabled })
            .ToListAsync(ct);
        var recipients = new List<(string UserId, MailAddress To, string Name, Notice Notice)>();
        foreach (var u in users.Where(u => !u.Disabled && !string.IsNullOrWhiteSpace(u.Email)))
        {
            if (MailAddress.TryCreate(u.Email!.Trim(), u.DisplayName, out var to))
            {
                recipients.Add((u.Id, to, u.DisplayName, byUser[u.Id]));
            }
            else
            {
                // Retrying cannot fix a malformed address; the in-app notice still reaches the person.
                logger.LogWarning("User {UserId} has an unusable e-mail address; no e-mail for message {MessageId}", u.Id, messageId);
            }
        }

        if (recipients.Count == 0)
        {
            return;
        }

        using var held = await ledger.LockAsync(Channel, messageId, ct);
        var served = await ledger.ServedAsync(messageId, [.. recipients.Select(r => InboxKey(r.UserId))], ct);
        var failures = new List<Exception>();
        foreach (var r in recipients.Where(r => !served.Contains(InboxKey(r.UserId))))
        {
            try
            {
                await SendAsync(messageId, r.UserId, r.To, r.Name, r.Notice, ct);
            }
            catch (SmtpFailedRecipientException ex) when ((int)ex.StatusCode >= 500)
            {
                // The server refuses this mailbox for good (5xx); retrying the message would not change that.
                logger.LogError(ex, "SMTP server rejected the address of user {UserId} ({Status}); no e-mail for message {MessageId}", r.UserId, ex.StatusCode, messageId);
                continue;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(ex, "E-mail to user {UserId} for message {MessageId} failed; the message will be retried", r.UserId, messageId);
                failures.Add(ex);
                continue;
            }

            await ledger.RecordAsync(InboxKey(r.UserId), messageId, ct);
        }

        if (failures.Count > 0)
        {
            throw new AggregateException($"{failures.Count} of {recipients.Count} e-mails for message {messageId} could not be sent", failures);
        }
    }

    private async Task SendAsync(Guid messageId, string userId, MailAddress to, string name, Notice notice, CancellationToken ct)
    {
        using var mail = new MailMessage(smtp.From, to)
        {
            Subject = Subject(notice),
            SubjectEncoding = Encoding.UTF8,
            Body = Body(name, notice),
            BodyEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            IsBodyHtml = false,
        };
        // A stable Message-ID per (message, addressee) lets mail systems drop a copy that is sent again after a
        // crash between sending and recording; the delivery header ties the e-mail to the bus message.
        mail.Headers.Add("Message-ID", $"<{messageId:N}.{userId}@{smtp.From.Host}>");
        mail.Headers.Add("X-Workflow-Delivery", messageId.ToString());
        mail.Headers.Add("X-Workflow-Kind", notice.Kind);

        // SmtpClient.SendMailAsync blocks pool threads inside (measured here: 20 concurrent sends took 12 s while
        // the pool grew thread by thread), which would starve the web host. The synchronous Send on a thread of
        // its own does not touch the pool (at most MessagingSetup.DeliveryConcurrency such threads), and its
        // Timeout bounds a server that hangs.
        await Task.Factory.StartNew(
            () =>
            {
                using var client = new SmtpClient(smtp.Host, smtp.Port)
                {
                    DeliveryMethod = SmtpDeliveryMethod.Network,
                    EnableSsl = smtp.EnableSsl,
                    UseDefaultCredentials = false,
                    Credentials = smtp.Username is null ? null : new NetworkCredential(smtp.Username, smtp.Password),
                    Timeout = (int)SendTimeout.TotalMilliseconds,
                };
                // Stopping the host aborts the connection instead of waiting for the timeout.
                using var abort = ct.Register(client.SendAsyncCancel);
                client.Send(mail);
            },
            ct,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }
}
