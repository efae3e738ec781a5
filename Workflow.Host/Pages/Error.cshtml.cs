using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Workflow.Host.Pages;

/// <summary>
/// What a browser shows for a refusal or failure (403, 404, 500 and the rest), in the UI's language with the top bar;
/// the status code stays the original one. Reached by re-execution, so any method and no anti-forgery token.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }

    public void OnGet(int code) => Show(code);

    public void OnPost(int code) => Show(code);

    private void Show(int code)
    {
        Status = code is >= 400 and <= 599 ? code : StatusCodes.Status500InternalServerError;
        Response.StatusCode = Status;
    }

    /// <summary>The resource key of the explanation: one for each status people meet, a general one otherwise.</summary>
    public string Key => Status is 401 or 403 or 404 or 500 ? $"Error_{Status}" : Status < 500 ? "Error_4xx" : "Error_500";
}
