using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Workflow.Host.Features.Auth;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Pages;

/// <summary>Sign-in with the same accounts and the same check as POST /api/auth/login; the session is the cookie.</summary>
[AllowAnonymous]
public sealed class LoginModel(UserManager<AppUser> users, TimeProvider clock) : PageModel
{
    public bool Failed { get; private set; }

    public string? UserName { get; private set; }

    public string ReturnUrl { get; private set; } = "/inbox";

    public void OnGet(string? returnUrl) => ReturnUrl = SafeReturn(returnUrl);

    public async Task<IActionResult> OnPostAsync(string? userName, string? password, string? returnUrl)
    {
        ReturnUrl = SafeReturn(returnUrl);
        UserName = userName;
        var principal = string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password) ? null : await AccountSignIn.CheckAsync(users, userName, password);
        if (principal is null)
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
