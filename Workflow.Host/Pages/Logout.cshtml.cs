using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Workflow.Host.Features.Auth;
using Workflow.Host.Infrastructure;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Pages;

/// <summary>Sign-out (POST only, with the anti-forgery token): like the API's, it ends every session of the user.</summary>
public sealed class LogoutModel(UserManager<AppUser> users) : PageModel
{
    public IActionResult OnGet() => Redirect("/inbox");

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.FindByIdAsync(CurrentUser.From(User).Id);
        if (user is not null)
        {
            await users.UpdateSecurityStampAsync(user);
        }

        await HttpContext.SignOutAsync(AuthSetup.CookieScheme);
        return Redirect("/login");
    }
}
