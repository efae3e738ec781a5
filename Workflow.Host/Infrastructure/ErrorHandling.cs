using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Workflow.Host.Infrastructure;

/// <summary>
/// Turns request-reading failures (malformed JSON, wrong content type, body too large) into
/// ProblemDetails that say what was wrong, and anything unexpected into a 500 without internals.
/// </summary>
public sealed class ErrorHandling(IProblemDetailsService problems, ILogger<ErrorHandling> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        ProblemDetails problem;
        if (exception is BadHttpRequestException bad)
        {
            var reason = bad.InnerException is JsonException json
                ? $"The request body is not valid JSON for this endpoint: {json.Message}"
                : bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? $"The request body is larger than the limit of {Describe(BodyLimit(http))} for this endpoint."
                    : bad.Message;
            problem = new ProblemDetails { Status = bad.StatusCode, Title = "The request could not be read", Detail = reason, Extensions = { ["code"] = "unreadable-request" } };
        }
        else
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
            problem = new ProblemDetails { Status = 500, Title = "Internal error", Detail = "The server failed to process the request; nothing was changed. The error has been logged.", Extensions = { ["code"] = "internal" } };
        }

        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>The limit that applied to this request: an endpoint's own (the import takes 10 MB), else the host's.</summary>
    private static long BodyLimit(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
        ?? http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize
        ?? HostLimits.MaxRequestBodyBytes;

    private static string Describe(long bytes) =>
        bytes >= 1024 * 1024 ? $"{bytes / (1024 * 1024):N0} MB" : $"{bytes / 1024:N0} KB";

    /// <summary>
    /// Every ProblemDetails the host writes carries a code, also those ASP.NET Core makes itself (status-code pages for
    /// 401/403/404/405, validation problems): ours keep theirs, the rest get one from the status.
    /// </summary>
    public static void AddCode(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.TryGetValue("code", out var code) && code is not null)
        {
            return;
        }

        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        problem.Extensions["code"] = problem is HttpValidationProblemDetails ? "invalid" : status switch
        {
            StatusCodes.Status400BadRequest => "bad-request",
            StatusCodes.Status401Unauthorized => "unauthenticated",
            StatusCodes.Status403Forbidden => "forbidden",
            StatusCodes.Status404NotFound => "not-found",
            StatusCodes.Status405MethodNotAllowed => "method-not-allowed",
            StatusCodes.Status406NotAcceptable => "not-acceptable",
            StatusCodes.Status409Conflict => "conflict",
            StatusCodes.Status413PayloadTooLarge => "too-large",
            StatusCodes.Status415UnsupportedMediaType => "unsupported-media-type",
            StatusCodes.Status429TooManyRequests => "too-many-requests",
            StatusCodes.Status503ServiceUnavailable => "unavailable",
            >= 500 => "internal",
            _ => $"http-{status}",
        };
    }
}
