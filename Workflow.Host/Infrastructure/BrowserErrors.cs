using Microsoft.AspNetCore.Mvc;

namespace Workflow.Host.Infrastructure;

/// <summary>
/// A person's browser asks for HTML; for it a refusal or failure is a page in the UI's language with the top bar
/// (/error/{status}), not the API's JSON. API clients (which do not ask for text/html) keep their ProblemDetails.
/// </summary>
public static class BrowserErrors
{
    public const string PagePath = "/error/{0}";

    public static bool WantsPage(HttpContext http) =>
        http.Request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Writes nothing for a browser, so the response stays empty and the status code page middleware renders the
    /// error page for it; everything else falls through to the JSON writer.
    /// </summary>
    public sealed class Writer : IProblemDetailsWriter
    {
        public bool CanWrite(ProblemDetailsContext context) => WantsPage(context.HttpContext);

        public ValueTask WriteAsync(ProblemDetailsContext context) => ValueTask.CompletedTask;
    }
}
