using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using MassTransit;
using Workflow.Activities.Contracts;
using Workflow.Host.Workflow;

namespace Workflow.Host.Messaging;

/// <summary>
/// Posts every bus event, signed, to each configured endpoint that wants it:
/// <c>{"id", "type", "occurredAt", "data"}</c> with the headers X-Workflow-Event, X-Workflow-Delivery (the
/// message id, the same on every retry), X-Workflow-Timestamp and X-Workflow-Signature. Idempotent per
/// (message, endpoint) through the inbox: when one endpoint fails, the retry posts only to the endpoints
/// still missing. A non-2xx answer or a timeout is thrown after all endpoints were tried, so MassTransit
/// retries the message (see MessagingSetup).
/// </summary>
public sealed class WebhookConsumer(WebhookSettings settings, IHttpClientFactory clients, DeliveryLedger ledger, TimeProvider clock, ILogger<WebhookConsumer> logger) :
    IConsumer<SectionSubmitted>, IConsumer<SectionApproved>, IConsumer<SectionReturned>, IConsumer<TaskAssigned>,
    IConsumer<SectionFinalized>, IConsumer<ReportCompleted>, IConsumer<TaskReminded>, IConsumer<TaskOverdue>, IConsumer<SectionOperated>,
    IConsumer<ReportSignedOff>, IConsumer<ReportReopened>
{
    public const string Channel = "webhook";
    public const string HttpClientName = "webhooks";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    // The same camelCase shape as the outbox payloads, Chinese kept readable.
    private static readonly JsonSerializerOptions Json = JsonDefaults.Storage;

    public Task Consume(ConsumeContext<SectionSubmitted> context) => DeliverAsync(context, context.Message, context.Message.At);

    public Task Consume(ConsumeContext<SectionApproved> context) => DeliverAsync(context, context.Message, context.Message.At);

    public Task Consume(ConsumeContext<SectionReturned> context) => DeliverAsync(context, context.Message, context.Message.At);

    public Task Consume(ConsumeContext<TaskAssigned> context) => DeliverAsync(context, context.Message, context.Message.At);

    public Task Consume(ConsumeContext<SectionFinalized> context) => DeliverAsync(context, context.Message, context.Message.At);

    public Task Consume(ConsumeContext<ReportCompleted> context) => DeliverAsync(context, context.Message, context.Message.At);

    public Task Consume(ConsumeContext<TaskReminded> context) => DeliverAsync(context, context.Message, context.Message.At);

    public Task Consume(ConsumeContext<TaskOverdue> context) => DeliverAsync(context, context.Message, context.Message.At);

    public Task Consume(ConsumeContext<SectionOperated> context) => DeliverAsync(context, context.Message, context.Message.At);

    public Task Consume(ConsumeContext<ReportSignedOff> context) => DeliverAsync(context, context.Message, context.Message.At);

    public Task Consume(ConsumeContext<ReportReopened> context) => DeliverAsync(context, context.Message, context.Message.At);

    /// <summary>The body every endpoint gets for one message (the signature differs per endpoint and attempt).</summary>
    public static byte[] Body<T>(Guid messageId, T message, DateTimeOffset occurredAt)
        where T : class =>
        JsonSerializer.SerializeToUtf8Bytes(new { id = messageId, type = typeof(T).Name, occurredAt, data = message }, Json);

    private async Task DeliverAsync<T>(ConsumeContext context, T message, DateTimeOffset occurredAt)
        where T : class
    {
        var ct = context.CancellationToken;
        var messageId = context.MessageId ?? throw new InvalidOperationException("Messages from the outbox always carry a message id.");
        var type = typeof(T).Name;
        var targets = settings.Endpoints.Where(e => e.Wants(type)).ToList();
        if (targets.Count == 0)
        {
            return;
        }

        var body = Body(messageId, message, occurredAt);
        using var held = await ledger.LockAsync(Channel, messageId, ct);
        var served = await ledger.ServedAsync(messageId, [.. targets.Select(e => e.InboxKey)], ct);
        var pending = targets.Where(e => !served.Contains(e.InboxKey)).ToList();

        // In parallel, so one slow receiver does not hold up the others for its whole timeout.
        var outcomes = await Task.WhenAll(pending.Select(async endpoint =>
        {
            try
            {
                await PostAsync(endpoint, messageId, type, body, ct);
                return (Endpoint: endpoint, Error: (Exception?)null);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Webhook {Endpoint} did not accept {Type} {MessageId}; the message will be retried", endpoint.Name, type, messageId);
                return (Endpoint: endpoint, Error: (Exception?)ex);
            }
        }));

        foreach (var done in outcomes.Where(o => o.Error is null))
        {
            await ledger.RecordAsync(done.Endpoint.InboxKey, messageId, ct);
        }

        var failures = outcomes.Where(o => o.Error is not null).Select(o => o.Error!).ToList();
        if (failures.Count > 0)
        {
            throw new AggregateException($"{failures.Count} of {pending.Count} webhook endpoints did not accept {type} {messageId}", failures);
        }
    }

    private async Task PostAsync(WebhookEndpoint endpoint, Guid messageId, string type, byte[] body, CancellationToken ct)
    {
        // Signed at each attempt, so the timestamp says when this request was sent, not when the event happened.
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } },
        };
        request.Headers.Add("X-Workflow-Event", type);
        request.Headers.Add("X-Workflow-Delivery", messageId.ToString());
        request.Headers.Add("X-Workflow-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-Workflow-Signature", WebhookSignature.Compute(endpoint.Secret, timestamp, body));

        var client = clients.CreateClient(HttpClientName);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Webhook {endpoint.Name} answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }
    }
}
