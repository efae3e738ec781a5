using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.EntityFrameworkCore;
using Workflow.Host.Infrastructure;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Auth;

/// <summary>
/// Builds the signed-in principal from the directory, at login and again on every request, so that a
/// disabled account, a changed role or department, or a sign-out (which renews the security stamp)
/// takes effect at once instead of when the 8-hour token expires.
/// </summary>
public static class UserPrincipal
{
    public const string StampClaim = "stamp";

    public static ClaimsPrincipal Create(AppUser user, IEnumerable<string> roles)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id),
            new(ClaimTypes.Name, user.UserName!),
            new(CurrentUser.DisplayNameClaim, user.DisplayName),
            new(StampClaim, user.SecurityStamp ?? ""),
        };
        if (user.DepartmentId is { } dept)
        {
            claims.Add(new Claim(CurrentUser.DepartmentClaim, dept.ToString()));
        }

        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthSetup.Scheme));
    }

    /// <summary>
    /// Runs after authentication: replaces the claims in the token or cookie with the directory's current
    /// view, or turns the request into a failed authentication (401) when the account is gone, disabled or
    /// signed out. The authentication result itself is replaced because authorization reads it.
    /// </summary>
    public static IApplicationBuilder UseFreshPrincipal(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.User.Identity?.IsAuthenticated == true)
        {
            var db = http.RequestServices.GetRequiredService<WorkflowDbContext>();
            var id = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
            var user = id is null ? null : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, http.RequestAborted);
            var feature = http.Features.Get<IAuthenticateResultFeature>();
            if (user is null || user.Disabled || user.SecurityStamp != http.User.FindFirstValue(StampClaim))
            {
                http.User = new ClaimsPrincipal(new ClaimsIdentity());
                if (feature is not null)
                {
                    feature.AuthenticateResult = AuthenticateResult.Fail("The account is disabled or the session was signed out.");
                }
            }
            else
            {
                var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == id select r.Name!).ToListAsync(http.RequestAborted);
                http.User = Create(user, roles);
                if (feature?.AuthenticateResult?.Ticket is { } ticket)
                {
                    feature.AuthenticateResult = AuthenticateResult.Success(new AuthenticationTicket(http.User, ticket.Properties, ticket.AuthenticationScheme));
                }
            }
        }

        await next(http);
    });
}
