using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Host.Messaging;

namespace Workflow.Tests.Unit;

/// <summary>Which channels the host registers for which settings (no host is started).</summary>
public sealed class MessagingSetupTests
{
    [Fact]
    public void Without_settings_only_the_in_app_channel_is_registered()
    {
        var services = Register([]);

        Assert.Contains(services, d => d.ServiceType == typeof(NotificationConsumer));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(EmailConsumer) || d.ServiceType == typeof(SmtpSettings));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(WebhookConsumer) || d.ServiceType == typeof(WebhookSettings));
    }

    [Fact]
    public void Smtp_host_turns_e_mail_on_with_its_defaults()
    {
        var services = Register(new() { ["Smtp:Host"] = "mail.county.example", ["Smtp:From"] = "县委办公室 <noreply@county.example>" });

        Assert.Contains(services, d => d.ServiceType == typeof(EmailConsumer));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(WebhookConsumer));
        var smtp = (SmtpSettings)services.Single(d => d.ServiceType == typeof(SmtpSettings)).ImplementationInstance!;
        Assert.Equal(25, smtp.Port);
        Assert.False(smtp.EnableSsl);
        Assert.Equal("县委办公室", smtp.From.DisplayName);
        Assert.Equal("noreply@county.example", smtp.From.Address);
    }

    [Fact]
    public void A_webhook_endpoint_turns_webhooks_on()
    {
        var services = Register(new()
        {
            ["Webhooks:Endpoints:0:Name"] = "oa",
            ["Webhooks:Endpoints:0:Url"] = "https://oa.county.example/hooks",
            ["Webhooks:Endpoints:0:Secret"] = "0123456789abcdef",
        });

        Assert.Contains(services, d => d.ServiceType == typeof(WebhookConsumer));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(EmailConsumer));
    }

    [Theory]
    [InlineData("Smtp:Port", "smtp", "Smtp:Port")]
    [InlineData("Smtp:EnableSsl", "yes please", "Smtp:EnableSsl")]
    [InlineData("Smtp:From", "not an address", "Smtp:From")]
    public void A_wrong_smtp_setting_is_refused_naming_it(string key, string value, string named)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Register(new()
        {
            ["Smtp:Host"] = "mail.county.example",
            ["Smtp:From"] = "noreply@county.example",
            ["Smtp:Password"] = "p@ss-word-never-shown",
            [key] = value,
        }));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("p@ss-word-never-shown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Smtp_settings_do_not_show_the_password()
    {
        var smtp = SmtpSettings.Load(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "mail.county.example",
            ["Smtp:From"] = "noreply@county.example",
            ["Smtp:Username"] = "clerk",
            ["Smtp:Password"] = "p@ss-word-never-shown",
        }).Build());

        Assert.Equal("p@ss-word-never-shown", smtp.Password);
        Assert.DoesNotContain("p@ss-word-never-shown", smtp.ToString(), StringComparison.Ordinal);
    }

    private static ServiceCollection Register(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddWorkflowMessaging(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services;
    }
}
