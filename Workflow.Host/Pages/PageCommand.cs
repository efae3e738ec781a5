using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Workflow.Host.Workflow;

namespace Workflow.Host.Pages;

/// <summary>How a command sent from a page ended: done, or refused with the API's status, code and message.</summary>
public sealed record PageCommandResult(bool Succeeded, int Status, string? Code, string? Message, object[]? Args = null)
{
    public bool Refused => !Succeeded;
}

/// <summary>
/// Lets a page's form post run exactly the command an API call runs (same transaction, engine checks, audit entry and
/// events, via <see cref="CommandExecutor"/>), and turns the answer into something the page can show in place.
/// </summary>
public static class PageCommand
{
    public static async Task<PageCommandResult> RunAsync(CommandExecutor executor, HttpContext http, object? request, Func<CancellationToken, Task<CommandOutcome>> command)
    {
        var result = await executor.ExecuteAsync(http, request, command);
        return Describe(result);
    }

    public static PageCommandResult Describe(IResult result) => result switch
    {
        ProblemHttpResult p => new(false, p.StatusCode, Code(p.ProblemDetails), p.ProblemDetails.Detail ?? p.ProblemDetails.Title, Args(p.ProblemDetails)),
        ValidationProblem v => new(false, v.StatusCode, Code(v.ProblemDetails) ?? "invalid", v.ProblemDetails.Detail ?? string.Join(" ", v.ProblemDetails.Errors.SelectMany(e => e.Value)), Args(v.ProblemDetails)),
        IStatusCodeHttpResult { StatusCode: >= 400 and var status } => new(false, status, null, null),
        IStatusCodeHttpResult { StatusCode: var status } => new(true, status ?? StatusCodes.Status200OK, null, null),
        _ => new(true, StatusCodes.Status200OK, null, null),
    };

    /// <summary>
    /// The refusal in the reader's language: the text kept under Refused_&lt;code&gt; when there is one, else the
    /// status's general text. The API's own (English) message only reaches readers of the English UI.
    /// </summary>
    public static string Explain(PageCommandResult result, Microsoft.Extensions.Localization.IStringLocalizer text)
    {
        if (result.Code is { } code && text["Refused_" + code, result.Args ?? []] is { ResourceNotFound: false } known)
        {
            return known.Value;
        }

        if (result.Message is not null && EnglishUi)
        {
            return result.Message;
        }

        return text["Problem_" + result.Status] is { ResourceNotFound: false } general ? general.Value : text["Refused_unknown"].Value;
    }

    public static bool EnglishUi => System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    /// <summary>What a localized refusal may quote: {0} the limit, {1} the character, {2} its position, {3} line, {4} column.</summary>
    private static object[] Args(ProblemDetails problem) =>
        [.. new[] { "limit", "character", "position", "line", "column" }.Select(k => problem.Extensions.TryGetValue(k, out var v) && v is not null ? v : "")];

    private static string? Code(ProblemDetails problem) => problem.Extensions.TryGetValue("code", out var code) ? code?.ToString() : null;
}
