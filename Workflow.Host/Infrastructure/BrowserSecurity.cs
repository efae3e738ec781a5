using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.HttpOverrides;

namespace Workflow.Host.Infrastructure;

/// <summary>What keeps other sites and injected markup from acting with a signed-in person's browser.</summary>
public static class BrowserSecurity
{
    /// <summary>Only our own bundles run: no inline script, no inline style, no framing, forms post only here.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Behind a reverse proxy every connection comes from the proxy: sign-in throttling would then count all clients
    /// as one and a TLS-terminating proxy would hide HTTPS (cookies not Secure, same-origin checks wrong). Only the
    /// proxies named in ForwardedHeaders:KnownProxies are believed; without the setting nothing forwarded is trusted.
    /// </summary>
    public static IApplicationBuilder UseKnownProxies(this IApplicationBuilder app, IConfiguration configuration)
    {
        var proxies = (configuration["ForwardedHeaders:KnownProxies"] ?? "")
            .Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (proxies.Length == 0)
        {
            return app;
        }

        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        foreach (var proxy in proxies)
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var ip)
                ? ip
                : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address."));
        }

        return app.UseForwardedHeaders(options);
    }

    /// <summary>Headers on every response, set when it starts so an error page (which clears headers) carries them too.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            headers.XFrameOptions = "DENY";
            return Task.CompletedTask;
        });
        return next(http);
    });

    /// <summary>
    /// Cross-site request forgery on the API: a state-changing /api request without a bearer token is one a browser
    /// may send with the session cookie. It must come from this site (Origin, or Referer when there is no Origin) or
    /// carry an anti-forgery token (header RequestVerificationToken); a cross-site Origin is refused even then.
    /// Bearer-token calls never ride on a cookie and pass unchanged.
    /// </summary>
    public static IApplicationBuilder UseApiForgeryCheck(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var request = http.Request;
        if (!request.Path.StartsWithSegments("/api") || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method)
            || request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            await next(http);
            return;
        }

        var origin = request.Headers.Origin.ToString();
        var referer = request.Headers.Referer.ToString();
        bool allowed;
        if (origin.Length > 0)
        {
            allowed = SameOrigin(request, origin);
        }
        else if (referer.Length > 0)
        {
            allowed = SameOrigin(request, referer);
        }
        else
        {
            // Neither header: a browser always sends Origin on a cross-site POST, so this is a script or tool. With
            // no cookie nothing can be forged; with one, it proves itself with the anti-forgery token.
            allowed = request.Cookies.Count == 0 || await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http);
        }

        if (!allowed)
        {
            await Problems.Create(StatusCodes.Status403Forbidden, "Cross-site request refused",
                    "A state-changing request signed in by cookie must come from this site or carry an anti-forgery token; API clients use a bearer token.",
                    "cross-site-request").ExecuteAsync(http);
            return;
        }

        await next(http);
    });

    private static bool SameOrigin(HttpRequest request, string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u)
        && string.Equals(u.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(u.IsDefaultPort ? u.Host : $"{u.Host}:{u.Port}", request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
