using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Workflow.Tests.Integration;

/// <summary>One POST the receiver got, with its own verdict on the signature and what it answered.</summary>
public sealed record WebhookDelivery(string Endpoint, string? Event, string? Delivery, string? ContentType, string RawBody, bool SignatureValid, int Answer)
{
    public bool Accepted => Answer is >= 200 and < 300;

    public JsonElement Body => JsonDocument.Parse(RawBody).RootElement;

    public string? SectionId => Body.GetProperty("data").TryGetProperty("sectionId", out var s) ? s.GetString() : null;
}

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (Kestrel, port chosen by the system) that checks signatures as a
/// customer's receiver would: HMAC-SHA256 of "&lt;timestamp&gt;.&lt;raw body&gt;" with the secret it shares with us,
/// compared in constant time, and a timestamp no older than five minutes. Written here from the
/// documented scheme, not with the host's code, so a mistake in the host's signing shows up.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const string SharedSecret = "receiver-shared-secret-0123456789";
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private readonly ConcurrentQueue<WebhookDelivery> deliveries = new();
    private readonly ConcurrentDictionary<(string Endpoint, string Delivery), int> attempts = new();
    private WebApplication? app;

    /// <summary>How many first attempts of each delivery an endpoint answers with 500.</summary>
    public ConcurrentDictionary<string, int> FailFirst { get; } = new(StringComparer.Ordinal);

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<WebhookDelivery> Deliveries => [.. deliveries];

    public string Url(string endpoint) => $"{BaseUrl}/hooks/{endpoint}";

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.MapPost("/hooks/{endpoint}", Receive);
        await app.StartAsync();
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    public async Task<WebhookDelivery> WaitFor(Func<WebhookDelivery, bool> match, string what, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var found = Deliveries.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no delivery {what} within {seconds} s; got: {string.Join(" | ", Deliveries.Select(d => $"{d.Endpoint} {d.Event} {d.Answer}"))}");
            await Task.Delay(100);
        }
    }

    public static bool Verify(string secret, string? timestamp, string? signature, byte[] body)
    {
        if (timestamp is null || signature is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        if ((DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance)
        {
            return false;
        }

        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var signed = Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray();
        var expected = Encoding.ASCII.GetBytes("sha256=" + Convert.ToHexString(hmac.ComputeHash(signed)).ToLowerInvariant());
        var given = Encoding.ASCII.GetBytes(signature);
        return given.Length == expected.Length && CryptographicOperations.FixedTimeEquals(given, expected);
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private async Task<IResult> Receive(string endpoint, HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var delivery = request.Headers["X-Workflow-Delivery"].ToString();
        var valid = Verify(SharedSecret, request.Headers["X-Workflow-Timestamp"], request.Headers["X-Workflow-Signature"], body);
        var attempt = attempts.AddOrUpdate((endpoint, delivery), 1, (_, n) => n + 1);
        var answer = !valid ? StatusCodes.Status401Unauthorized
            : attempt <= FailFirst.GetValueOrDefault(endpoint) ? StatusCodes.Status500InternalServerError
            : StatusCodes.Status204NoContent;
        deliveries.Enqueue(new WebhookDelivery(endpoint, request.Headers["X-Workflow-Event"], delivery, request.ContentType, Encoding.UTF8.GetString(body), valid, answer));
        return Results.StatusCode(answer);
    }
}
