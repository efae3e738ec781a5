using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Workflow.Activities.Documents;
using Workflow.Activities.Engine;

namespace Workflow.Host.Infrastructure;

/// <summary>ProblemDetails for every refusal, with a stable machine-readable code beside the human message.</summary>
public static class Problems
{
    /// <summary>Values a localized detail (Refused_&lt;code&gt;) is formatted with, kept beside the problem and not sent.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ProblemDetails, object[]> DetailArguments = [];

    public static ProblemHttpResult Create(int status, string title, string detail, string code, params object[] detailArguments)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Type = $"https://county-workflow.local/problems/{code}",
            Extensions = { ["code"] = code },
        };
        if (detailArguments.Length > 0)
        {
            DetailArguments.AddOrUpdate(problem, detailArguments);
        }

        return TypedResults.Problem(problem);
    }

    public static object[] ArgumentsOf(ProblemDetails problem) => DetailArguments.TryGetValue(problem, out var a) ? a : [];

    public static ProblemHttpResult NotFound(string what) => Create(StatusCodes.Status404NotFound, "Not found", $"{what} does not exist or you may not see it.", "not-found");

    public static ProblemHttpResult Forbidden(string detail) => Create(StatusCodes.Status403Forbidden, "Forbidden", detail, "forbidden");

    public static ProblemHttpResult Conflict(string detail, string code = "conflict") => Create(StatusCodes.Status409Conflict, "Conflict", detail, code);

    public static ProblemHttpResult BadRequest(string detail, string code = "bad-request") => Create(StatusCodes.Status400BadRequest, "Bad request", detail, code);

    public static ValidationProblem Invalid(string field, string message, string code = "invalid", IEnumerable<KeyValuePair<string, object?>>? extensions = null) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            detail: message,
            type: $"https://county-workflow.local/problems/{code}",
            extensions: (extensions ?? []).Append(new("code", code)));

    /// <summary>A text over its limit, saying which limit (the pages show it in the reader's language).</summary>
    public static ValidationProblem TooLong(string field, string message, int limit) =>
        Invalid(field, message, $"{field}-too-long", [new("limit", limit)]);

    /// <summary>Null when the text can be stored, else a 400 naming the character and where it is.</summary>
    public static ValidationProblem? UnstorableText(string field, string what, string? text) =>
        StoredText.FindInvalid(text) is { } bad
            ? Invalid(field, bad.Describe(what), "invalid-character",
                [new("field", field), new("character", bad.Name), new("position", bad.Position), new("line", bad.Line), new("column", bad.Column)])
            : null;

    public static ProblemHttpResult From(Rejection rejection)
    {
        var status = rejection.Code switch
        {
            RejectionCode.NotYourTask or RejectionCode.SelfApprovalForbidden => StatusCodes.Status403Forbidden,
            RejectionCode.OpinionRequired => StatusCodes.Status400BadRequest,
            RejectionCode.NoEligibleReviewers or RejectionCode.MissingFigures => StatusCodes.Status422UnprocessableEntity,
            _ => StatusCodes.Status409Conflict,
        };
        var code = string.Concat(rejection.Code.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
        return Create(status, rejection.Code.ToString(), rejection.Message, code);
    }
}
