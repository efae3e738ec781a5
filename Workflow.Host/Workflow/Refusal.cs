using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Workflow.Activities.Documents;
using Workflow.Activities.Engine;

namespace Workflow.Host.Workflow;

/// <summary>
/// Why a command was not done: a status, a stable code and an English message, as the API has always said them;
/// pages say the same in the reader's language from Refused_&lt;code&gt; with <see cref="Arguments"/>. Nothing of the
/// command is written.
/// </summary>
public sealed record Refusal(int Status, string Code, string Message)
{
    private const string TypeBase = "https://county-workflow.local/problems/";

    /// <summary>The problem's title; null for an input error (the validation problem's own title).</summary>
    public string? Title { get; init; }

    /// <summary>The problem type; null leaves the status's standard one.</summary>
    public string? Type { get; init; } = TypeBase + Code;

    /// <summary>Input errors by field: such a refusal is answered as a validation problem.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    /// <summary>Members of the problem beside its code (limit, character, position …), in the order they are sent.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Extensions { get; init; } = [];

    /// <summary>The values Refused_&lt;code&gt; is formatted with; not sent.</summary>
    public IReadOnlyList<object> Arguments { get; init; } = [];

    /// <summary>When the same command may succeed again (sent as Retry-After).</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>
    /// A refusal that is itself a fact for the trail (a failed password re-entry at 签发): the pipeline appends it to the
    /// report's chain after rolling the command back, so the refusal leaves that entry and nothing else.
    /// </summary>
    public RefusalAudit? Audit { get; init; }

    /// <summary>The separate objections behind a refusal (Identity's password rules), for a page to list in its words; not sent.</summary>
    public IReadOnlyList<RefusalReason> Reasons { get; init; } = [];

    public static Refusal Create(int status, string title, string detail, string code, params object[] detailArguments) =>
        new(status, code, detail) { Title = title, Arguments = detailArguments };

    public static Refusal NotFound(string what) => Create(StatusCodes.Status404NotFound, "Not found", $"{what} does not exist or you may not see it.", "not-found");

    public static Refusal Forbidden(string detail) => Create(StatusCodes.Status403Forbidden, "Forbidden", detail, "forbidden");

    public static Refusal Conflict(string detail, string code = "conflict") => Create(StatusCodes.Status409Conflict, "Conflict", detail, code);

    /// <summary>Any change to an archived report: it is kept as it was.</summary>
    public static Refusal ReportArchived() => Conflict("The report is archived; it is kept as it was and nothing in it changes.", "report-archived");

    /// <summary>Any change to a report signed off and locked (定稿): it stays as signed until an administrator reopens it (复审).</summary>
    public static Refusal ReportLocked() => Conflict("The report is signed off and locked (定稿); nothing in it changes until an administrator reopens it for re-review (复审).", "report-locked");

    /// <summary>Why nothing in a report may change now (archived, or signed off and locked), or null when it may.</summary>
    public static Refusal? Unchangeable(DateTimeOffset? archivedAt, DateTimeOffset? lockedAt) =>
        archivedAt is not null ? ReportArchived() : lockedAt is not null ? ReportLocked() : null;

    public static Refusal BadRequest(string detail, string code = "bad-request") => Create(StatusCodes.Status400BadRequest, "Bad request", detail, code);

    /// <summary>An input error about one field (a validation problem), with the values a localized text may quote.</summary>
    public static Refusal Invalid(string field, string message, string code = "invalid", IReadOnlyList<KeyValuePair<string, object?>>? extensions = null)
    {
        extensions ??= [];
        return new(StatusCodes.Status400BadRequest, code, message) { Errors = new Dictionary<string, string[]> { [field] = [message] }, Extensions = extensions, Arguments = InputArguments(extensions) };
    }

    /// <summary>What a localized input error may quote: {0} the limit, {1} the character, {2} its position, {3} line, {4} column.</summary>
    private static object[] InputArguments(IReadOnlyList<KeyValuePair<string, object?>> extensions) =>
        [.. new[] { "limit", "character", "position", "line", "column" }.Select(k => extensions.FirstOrDefault(e => e.Key == k).Value ?? "")];

    /// <summary>A text over its limit, saying which limit (the pages show it in the reader's language).</summary>
    public static Refusal TooLong(string field, string message, int limit) =>
        Invalid(field, message, $"{field}-too-long", [new("limit", limit)]);

    /// <summary>Null when the text can be stored, else a 400 naming the character and where it is.</summary>
    public static Refusal? UnstorableText(string field, string what, string? text) =>
        StoredText.FindInvalid(text) is { } bad
            ? Invalid(field, bad.Describe(what), "invalid-character",
                [new("field", field), new("character", bad.Name), new("position", bad.Position), new("line", bad.Line), new("column", bad.Column)])
            : null;

    /// <summary>The engine's rejection with the status the API gives it and its code in kebab case.</summary>
    public static Refusal From(Rejection rejection)
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

    /// <summary>Values a localized detail is formatted with, kept beside a problem made from a refusal and not sent.</summary>
    private static readonly ConditionalWeakTable<ProblemDetails, object[]> DetailArguments = [];

    public static object[] ArgumentsOf(ProblemDetails problem) => DetailArguments.TryGetValue(problem, out var a) ? a : [];

    /// <summary>
    /// The problem the API answers: a validation problem for input errors, else a problem with title and type; the code
    /// always, after the other members.
    /// </summary>
    public ProblemDetails ToProblemDetails()
    {
        ProblemDetails problem = Errors is null ? new ProblemDetails { Title = Title } : new HttpValidationProblemDetails(Errors);
        if (Errors is not null && Title is not null)
        {
            problem.Title = Title;
        }

        problem.Status = Status;
        problem.Detail = Message;
        problem.Type = Type;
        foreach (var (key, value) in Extensions)
        {
            problem.Extensions[key] = value;
        }

        problem.Extensions["code"] = Code;
        if (Arguments.Count > 0)
        {
            DetailArguments.AddOrUpdate(problem, [.. Arguments]);
        }

        return problem;
    }

    /// <summary>A refusal kept for an idempotency key, read back for a caller that wants it typed (a replay outside HTTP).</summary>
    public static Refusal FromStored(int status, string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        string[] known = ["type", "title", "status", "detail", "instance", "errors", "code"];
        var extensions = root.EnumerateObject().Where(p => !known.Contains(p.Name)).Select(p => new KeyValuePair<string, object?>(p.Name, Value(p.Value))).ToList();
        var errors = root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object
            ? e.EnumerateObject().ToDictionary(f => f.Name, f => f.Value.EnumerateArray().Select(m => m.GetString() ?? "").ToArray())
            : null;
        return new Refusal(status, Text("code") ?? "unknown", Text("detail") ?? "")
        {
            Title = Text("title"),
            Type = Text("type"),
            Errors = errors,
            Extensions = extensions,
            Arguments = errors is null ? [] : InputArguments(extensions),
        };
    }

    private static object? Value(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var n) ? n : e.GetDouble(),
        JsonValueKind.True or JsonValueKind.False => e.GetBoolean(),
        JsonValueKind.Null => null,
        _ => e.Clone(),
    };
}

/// <summary>One objection behind a refusal: its code and its message.</summary>
public sealed record RefusalReason(string Code, string Message);

/// <summary>An audit entry a refusal leaves in a report's trail.</summary>
public sealed record RefusalAudit(Guid ReportId, string ActorId, string ActorName, string Action, object Data);
