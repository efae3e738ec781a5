using Microsoft.AspNetCore.Http.HttpResults;
using Workflow.Host.Workflow;

namespace Workflow.Host.Infrastructure;

/// <summary>
/// ProblemDetails for the answers that are not a command's (reads, sign-in, a request that cannot be read), shaped
/// like a command's <see cref="Refusal"/>: a stable machine-readable code beside the human message.
/// </summary>
public static class Problems
{
    public static ProblemHttpResult Create(int status, string title, string detail, string code, params object[] detailArguments) =>
        TypedResults.Problem(Refusal.Create(status, title, detail, code, detailArguments).ToProblemDetails());

    public static ProblemHttpResult NotFound(string what) => TypedResults.Problem(Refusal.NotFound(what).ToProblemDetails());

    public static ProblemHttpResult BadRequest(string detail, string code = "bad-request") => TypedResults.Problem(Refusal.BadRequest(detail, code).ToProblemDetails());

    public static ValidationProblem Invalid(string field, string message, string code = "invalid") =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            detail: message,
            type: $"https://county-workflow.local/problems/{code}",
            extensions: [new("code", code)]);
}
