using Microsoft.AspNetCore.Hosting;

namespace Workflow.Tests.Integration;

/// <summary>
/// The host with its bus on a real RabbitMQ broker: the one deploy/test.sh starts (WORKFLOW_TEST_RABBITMQ holds
/// "host=…;port=…;username=…;password=…;vhost=…"), or a test's own <see cref="PrivateBroker"/>. In CI a
/// missing broker fails the tests, never skips them.
/// </summary>
public class RabbitMqWorkflowApp : WorkflowApp
{
    public const string Variable = "WORKFLOW_TEST_RABBITMQ";

    private readonly string? connection;

    public RabbitMqWorkflowApp()
    {
    }

    private RabbitMqWorkflowApp(string connection)
    {
        this.connection = connection;
    }

    /// <summary>A host on another broker than the shared one (xunit wants one public constructor on a fixture).</summary>
    public static RabbitMqWorkflowApp On(string connection) => new(connection);

    protected override void RequireDatabase() => TestServices.Require(Variable, "RabbitMQ tests need a broker");

    protected override void ConfigureDatabase(IWebHostBuilder builder)
    {
        base.ConfigureDatabase(builder);
        foreach (var (key, value) in Settings(connection ?? Environment.GetEnvironmentVariable(Variable) ?? ""))
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>The host's configuration keys for a broker connection line.</summary>
    public static IEnumerable<(string Key, string Value)> Settings(string connection)
    {
        var settings = connection
            .Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);
        yield return ("Messaging:Transport", "RabbitMq");
        yield return ("Messaging:RabbitMq:Host", settings.GetValueOrDefault("host", "127.0.0.1"));
        yield return ("Messaging:RabbitMq:Port", settings.GetValueOrDefault("port", "5672"));
        yield return ("Messaging:RabbitMq:Username", settings.GetValueOrDefault("username", "guest"));
        yield return ("Messaging:RabbitMq:Password", settings.GetValueOrDefault("password", "guest"));
        yield return ("Messaging:RabbitMq:VirtualHost", settings.GetValueOrDefault("vhost", "/"));
    }
}
