using Microsoft.AspNetCore.Hosting;

namespace Workflow.Tests.Integration;

/// <summary>
/// The host with its bus on the real RabbitMQ broker that deploy/test.sh starts (WORKFLOW_TEST_RABBITMQ holds
/// "host=…;port=…;username=…;password=…;vhost=…"). In CI a missing broker fails the tests, never skips them.
/// </summary>
public sealed class RabbitMqWorkflowApp : WorkflowApp
{
    public const string Variable = "WORKFLOW_TEST_RABBITMQ";

    protected override void RequireDatabase() => TestServices.Require(Variable, "RabbitMQ tests need a broker");

    protected override void ConfigureDatabase(IWebHostBuilder builder)
    {
        base.ConfigureDatabase(builder);
        var settings = (Environment.GetEnvironmentVariable(Variable) ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);
        builder.UseSetting("Messaging:Transport", "RabbitMq");
        builder.UseSetting("Messaging:RabbitMq:Host", settings.GetValueOrDefault("host", "127.0.0.1"));
        builder.UseSetting("Messaging:RabbitMq:Port", settings.GetValueOrDefault("port", "5672"));
        builder.UseSetting("Messaging:RabbitMq:Username", settings.GetValueOrDefault("username", "guest"));
        builder.UseSetting("Messaging:RabbitMq:Password", settings.GetValueOrDefault("password", "guest"));
        builder.UseSetting("Messaging:RabbitMq:VirtualHost", settings.GetValueOrDefault("vhost", "/"));
    }
}
