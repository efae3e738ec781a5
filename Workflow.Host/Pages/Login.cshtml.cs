using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Workflow.Host.Features.Auth;

namespace Workflow.Host.Pages;

/// <summary>Sign-in with the same accounts and the same check as POST /api/auth/login; the session is the cookie.</summary>
[AllowAnonymous]
public sealed class LoginModel(AccountSignIn signIn, TimeProvider clock) : PageModel
{
    public bool Failed { get; private set; }

    /// <summary>Seconds this address must wait after too many failed sign-ins; 0 when it may try.</summary>
    public int RetryAfterSeconds { get; private set; }

    public string? UserName { get; private set; }

    public string ReturnUrl { get; private set; } = "/inbox";

    public void OnGet(string? returnUrl) => ReturnUrl = SafeReturn(returnUrl);

    public async Task<IActionResult> OnPostAsync(string? userName, string? password, string? returnUrl)
    {
        ReturnUrl = SafeReturn(returnUrl);
        UserName = userName;
        var outcome = string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password) ? null : await signIn.CheckAsync(HttpContext, userName, password);
        if (outcome?.RetryAfter is not null)
        {
            RetryAfterSeconds = outcome.RetryAfterSeconds;
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Page();
        }

        if (outcome?.Principal is not { } principal)
        {
            Failed = true;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        await HttpContext.SignInAsync(AuthSetup.CookieScheme, principal, new AuthenticationProperties { ExpiresUtc = clock.GetUtcNow() + AuthSetup.SessionLifetime, IsPersistent = true });
        return LocalRedirect(ReturnUrl);
    }

    // Only paths on this site: a crafted returnUrl must not send people elsewhere after signing in.
    private string SafeReturn(string? url) => !string.IsNullOrEmpty(url) && Url.IsLocalUrl(url) ? url : "/inbox";
}
