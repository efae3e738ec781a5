using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Workflow.Host.Workflow;

namespace Workflow.Host.Infrastructure;

/// <summary>
/// The API's side of a command: the Idempotency-Key header goes into the command, and its typed result comes back as
/// JSON (the answer as kept for the key, byte for byte), a replay marked Idempotent-Replayed, or ProblemDetails with
/// its code (the detail in the client's language, see <see cref="ProblemLanguage"/>).
/// </summary>
public static class ApiCommands
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public static async Task<IResult> SendAsync<T>(this CommandPipeline pipeline, HttpContext http, Command<T> command)
    {
        var key = http.Request.Headers[IdempotencyHeader].ToString();
        var result = await pipeline.SendAsync(command with { IdempotencyKey = key.Length == 0 ? null : key }, http.RequestAborted);
        return ToResult(result, http);
    }

    public static IResult ToResult<T>(CommandResult<T> result, HttpContext http)
    {
        if (result.Replayed)
        {
            http.Response.Headers[ReplayedHeader] = "true";
            return Results.Content(result.Json, result.Status >= 400 ? "application/problem+json" : "application/json", Encoding.UTF8, result.Status);
        }

        if (!result.Succeeded)
        {
            return Problem(result.Refusal, http);
        }

        var json = result.Json ?? CommandPipeline.Serialize(result.Value, http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);
        return Results.Content(json, "application/json", Encoding.UTF8, result.Status);
    }

    public static IResult Problem(Refusal refusal, HttpContext http)
    {
        if (refusal.RetryAfterSeconds is { } seconds)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return TypedResults.Problem(refusal.ToProblemDetails());
    }
}
