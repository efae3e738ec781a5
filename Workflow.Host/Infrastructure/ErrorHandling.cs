using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
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
                    ? $"The request body is larger than the limit of {HostLimits.MaxRequestBodyBytes / 1024} KB."
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
}
