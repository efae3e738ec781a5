using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Workflow.Host.Messaging;

public static class MessagingSetup
{
    /// <summary>
    /// Waits between attempts of an outside delivery (SMTP server, webhook receiver): quick at first for a
    /// blip, then long enough to ride out a restart of the other side.
    /// </summary>
    public static readonly TimeSpan[] DeliveryRetryIntervals =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(300)];

    /// <summary>
    /// A message waiting between retries keeps its consumer slot, so the outside channels get more slots than
    /// the default: a few messages held up by one receiver that is down must not stall all other deliveries.
    /// </summary>
    public const int DeliveryConcurrency = 16;

    /// <summary>
    /// How long stopping the host waits for consumers before cancelling them. A message waiting for its next
    /// retry (up to 300 s) would otherwise hold the shutdown until the host's own timeout (30 s); the
    /// recipients it already served are in the inbox either way.
    /// </summary>
    public static readonly TimeSpan ConsumerStopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// MassTransit 8 (9 is commercially licensed): in-memory by default, RabbitMQ when
    /// Messaging:Transport=RabbitMq with Messaging:RabbitMq:Host|Port|VirtualHost|Username|Password.
    /// E-mail joins when Smtp:Host is set, webhooks when Webhooks:Endpoints lists one; their settings are
    /// checked here, so a wrong one stops the start-up with a message naming it.
    /// </summary>
    public static IServiceCollection AddWorkflowMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<OutboxSignal>();
        services.AddScoped<NoticeComposer>();
        services.AddHostedService<OutboxDispatcher>();
        services.TryAddSingleton<DeliveryLocks>();
        services.AddScoped<DeliveryLedger>();

        SmtpSettings? smtp = SmtpSettings.IsConfigured(configuration) ? SmtpSettings.Load(configuration) : null;
        var webhooks = WebhookSettings.Load(configuration);
        if (smtp is not null)
        {
            services.AddSingleton(smtp);
        }

        if (webhooks.Endpoints.Count > 0)
        {
            services.AddSingleton(webhooks);
            services.AddHttpClient(WebhookConsumer.HttpClientName, c =>
                {
                    c.Timeout = WebhookConsumer.Timeout;
                    c.DefaultRequestHeaders.UserAgent.ParseAdd("county-workflow-webhooks/1.0");
                })
                // A redirect would turn the POST into a GET somewhere else; the configured URL is the receiver.
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        }

        services.AddOptions<MassTransitHostOptions>().Configure(o => o.ConsumerStopTimeout = ConsumerStopTimeout);
        services.AddMassTransit(x =>
        {
            // MassTransit 8.5 POSTs usage telemetry to usage-tracking.masstransit.io 5 minutes after the bus starts; an intranet host must call nothing outside.
            x.ConfigureUsageTelemetryOptions(o => o.Enabled = false);
            // MassTransit lets this variable override the code either way; the process's own copy is pinned to off.
            Environment.SetEnvironmentVariable("MASSTRANSIT_USAGE_TELEMETRY", "false");
            // Commands go to the outbox, not the broker, so a broker outage must not take the host out of
            // a load balancer: the bus health is reported under its own tag, not "ready".
            x.ConfigureHealthCheckOptions(o =>
            {
                o.Tags.Clear();
                o.Tags.Add("bus");
            });
            // A transient failure (deadlock victim, a moment without the database) must not lose a notice:
            // the message was marked sent when it was published, so the consumer is where it is retried.
            x.AddConsumer<NotificationConsumer>(c => c.UseMessageRetry(r => r.Intervals(100, 500, 2000, 5000, 15000, 30000)));
            if (smtp is not null)
            {
                x.AddConsumer<EmailConsumer>(c => c.UseMessageRetry(r => r.Intervals(DeliveryRetryIntervals)))
                    .Endpoint(e => e.ConcurrentMessageLimit = DeliveryConcurrency);
            }

            if (webhooks.Endpoints.Count > 0)
            {
                x.AddConsumer<WebhookConsumer>(c => c.UseMessageRetry(r => r.Intervals(DeliveryRetryIntervals)))
                    .Endpoint(e => e.ConcurrentMessageLimit = DeliveryConcurrency);
            }

            if (string.Equals(configuration["Messaging:Transport"], "RabbitMq", StringComparison.OrdinalIgnoreCase))
            {
                var rabbit = configuration.GetSection("Messaging:RabbitMq");
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(rabbit["Host"] ?? "127.0.0.1", ushort.Parse(rabbit["Port"] ?? "5672", System.Globalization.CultureInfo.InvariantCulture), rabbit["VirtualHost"] ?? "/", h =>
                    {
                        h.Username(rabbit["Username"] ?? "guest");
                        h.Password(rabbit["Password"] ?? "guest");
                    });
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            }
        });
        return services;
    }
}
