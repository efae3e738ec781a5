using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Workflow.Host.Messaging;

public static class MessagingSetup
{
    /// <summary>
    /// MassTransit 8 (9 is commercially licensed): in-memory by default, RabbitMQ when
    /// Messaging:Transport=RabbitMq with Messaging:RabbitMq:Host|Port|VirtualHost|Username|Password.
    /// </summary>
    public static IServiceCollection AddWorkflowMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<OutboxSignal>();
        services.AddScoped<NoticeComposer>();
        services.AddHostedService<OutboxDispatcher>();
        services.AddMassTransit(x =>
        {
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
