using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Pages.Admin;

/// <summary>
/// An administration page: administrators only (everyone else gets 403), with the result of the last change shown
/// in the page in the reader's language.
/// </summary>
[Authorize(Roles = Roles.Admin)]
public abstract class AdminPage(WorkflowDbContext db, IStringLocalizer<SharedResource> text) : SignedInPage(db)
{
    protected IStringLocalizer<SharedResource> Text { get; } = text;

    /// <summary>What the last change refused, said in the page; null when nothing was refused.</summary>
    public string? Error { get; protected set; }

    /// <summary>Identity's objections (password rules, user names), one line each.</summary>
    public IReadOnlyList<string> Errors { get; protected set; } = [];

    /// <summary>Whether the command went through; otherwise the refusal is shown with the command's own status code.</summary>
    protected bool Succeeded<T>(CommandResult<T> result)
    {
        if (result.Succeeded)
        {
            return true;
        }

        var refusal = result.Refusal;
        Response.StatusCode = refusal.Status;
        Error = Explain(refusal.Code, refusal.Message, refusal.Arguments);
        Errors = refusal.Reasons.Select(Explain).ToList();
        return false;
    }

    /// <summary>
    /// The refusal in the reader's language where we have words for its code (the admin pages' own, else the engine's);
    /// the command's own English message only in the English UI, so the Chinese UI never mixes in English.
    /// </summary>
    protected string Explain(string? code, string? message, IReadOnlyList<object>? arguments = null)
    {
        var known = code is null ? null : Text["Admin_Refused_" + code];
        if (known is { ResourceNotFound: false })
        {
            return known.Value;
        }

        var general = code is null ? null : arguments is { Count: > 0 } ? Text["Refused_" + code, [.. arguments]] : Text["Refused_" + code];
        return general is { ResourceNotFound: false } ? general.Value
            : PageCommand.EnglishUi ? Text["Admin_Refused", message ?? code ?? ""].Value
            : Text["Refused_unknown"].Value;
    }

    /// <summary>One of Identity's objections (password rules, user names) in the reader's language.</summary>
    private string Explain(RefusalReason reason)
    {
        var known = Text["Admin_Identity_" + reason.Code, HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value.Password.RequiredLength];
        return known.ResourceNotFound ? reason.Message : known.Value;
    }
}
