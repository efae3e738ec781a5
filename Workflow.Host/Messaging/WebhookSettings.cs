using System.Security.Cryptography;
using System.Text;
using Workflow.Host.Workflow;

namespace Workflow.Host.Messaging;

/// <summary>One receiver of signed event posts (Webhooks:Endpoints:N).</summary>
public sealed class WebhookEndpoint(string name, Uri url, string secret, IReadOnlySet<string> events)
{
    public string Name { get; } = name;

    public Uri Url { get; } = url;

    public string Secret { get; } = secret;

    /// <summary>Contract names this endpoint wants; empty means all of them.</summary>
    public IReadOnlySet<string> Events { get; } = events;

    public string InboxKey => $"{WebhookConsumer.Channel}:{Name}";

    public bool Wants(string eventType) => Events.Count == 0 || Events.Contains(eventType);

    // Never the secret: endpoints end up in log messages.
    public override string ToString() => $"{Name} ({Url.Scheme}://{Url.Authority})";
}

/// <summary>
/// The configured webhook endpoints, read and checked once at start-up: a wrong URL or a weak secret stops
/// the host with a message naming the setting, instead of failing every delivery later.
/// </summary>
public sealed class WebhookSettings(IReadOnlyList<WebhookEndpoint> endpoints)
{
    public const string Section = "Webhooks:Endpoints";
    public const int MinSecretLength = 16;

    /// <summary>What Inbox.Consumer leaves for the name after "webhook:".</summary>
    public const int MaxNameLength = DeliveryLedger.MaxKeyLength - 8;

    public IReadOnlyList<WebhookEndpoint> Endpoints { get; } = endpoints;

    public static WebhookSettings Load(IConfiguration configuration)
    {
        var endpoints = new List<WebhookEndpoint>();
        var errors = new List<string>();
        foreach (var s in configuration.GetSection(Section).GetChildren())
        {
            var at = $"{Section}:{s.Key}";
            var name = s["Name"]?.Trim();
            var url = s["Url"]?.Trim();
            var secret = s["Secret"];
            if (string.IsNullOrEmpty(name) && string.IsNullOrEmpty(url) && string.IsNullOrEmpty(secret) && !s.GetSection("Events").Exists())
            {
                continue;
            }

            if (string.IsNullOrEmpty(name))
            {
                errors.Add($"{at}:Name is missing.");
            }
            else if (name.Length > MaxNameLength || name.Any(char.IsControl))
            {
                errors.Add($"{at}:Name must be at most {MaxNameLength} printable characters.");
            }
            else if (endpoints.Any(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add($"{at}:Name '{name}' is used by another endpoint; names key the delivery records and must be unique.");
            }

            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{at}:Url must be an absolute http or https URL.");
            }

            if (string.IsNullOrEmpty(secret) || secret.Length < MinSecretLength)
            {
                errors.Add($"{at}:Secret must be at least {MinSecretLength} characters.");
            }

            var events = new HashSet<string>(StringComparer.Ordinal);
            foreach (var e in EventNames(s.GetSection("Events")))
            {
                if (OutboxWriter.Contracts.Keys.FirstOrDefault(k => string.Equals(k, e, StringComparison.OrdinalIgnoreCase)) is { } known)
                {
                    events.Add(known);
                }
                else
                {
                    errors.Add($"{at}:Events names '{e}', which is not one of {string.Join(", ", OutboxWriter.Contracts.Keys)}.");
                }
            }

            if (errors.Count == 0)
            {
                endpoints.Add(new WebhookEndpoint(name!, uri!, secret!, events));
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Webhook configuration is invalid: " + string.Join(" ", errors));
        }

        return new WebhookSettings(endpoints);
    }

    /// <summary>A list (Events:0, Events:1 …) or, handier in an environment variable, one comma-separated value.</summary>
    /// <remarks>Some configuration sources give a parent of list items an empty value, so a blank value means "look at the children".</remarks>
    private static IEnumerable<string> EventNames(IConfigurationSection events) =>
        (string.IsNullOrWhiteSpace(events.Value) ? events.GetChildren().Select(c => c.Value ?? "") : events.Value.Split(','))
            .Select(e => e.Trim())
            .Where(e => e.Length > 0);
}

/// <summary>
/// The signature a receiver checks: HMAC-SHA256 with the endpoint's secret over "&lt;unix seconds&gt;.&lt;raw body&gt;".
/// The timestamp is inside the signed text, so a receiver that refuses old timestamps cannot be fed a
/// captured request again later.
/// </summary>
public static class WebhookSignature
{
    public const string Prefix = "sha256=";

    public static string Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var stamp = Encoding.ASCII.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var signed = new byte[stamp.Length + body.Length];
        stamp.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(stamp.Length));
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
