using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Workflow.Host.Infrastructure;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Auth;

public sealed record LoginRequest(string? UserName, string? Password);

public sealed record LoginResponse(string Token, DateTimeOffset ExpiresAt);

public sealed record DepartmentDto(Guid Id, string Code, string Name);

public sealed record MeResponse(string Id, string UserName, string DisplayName, DepartmentDto? Department, IReadOnlyList<string> Roles);

/// <summary>The one credential check behind the API login and the sign-in page.</summary>
public static class AccountSignIn
{
    /// <summary>The user's principal, or null for an unknown user, a wrong password, a disabled or locked account.</summary>
    public static async Task<System.Security.Claims.ClaimsPrincipal?> CheckAsync(UserManager<AppUser> users, string userName, string password)
    {
        var user = await users.FindByNameAsync(userName.Trim());
        if (user is null || user.Disabled || await users.IsLockedOutAsync(user))
        {
            return null;
        }

        if (!await users.CheckPasswordAsync(user, password))
        {
            await users.AccessFailedAsync(user);
            return null;
        }

        await users.ResetAccessFailedCountAsync(user);
        return UserPrincipal.Create(user, await users.GetRolesAsync(user));
    }
}

public static class AuthEndpoints
{
    public static void MapAuth(this IEndpointRouteBuilder api)
    {
        api.MapPost("/auth/login", Login).AllowAnonymous();
        api.MapPost("/auth/logout", Logout);
        api.MapGet("/me", Me);
    }

    private static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> Login(
        LoginRequest request, UserManager<AppUser> users, TimeProvider clock, HttpContext http)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password))
        {
            return Problems.BadRequest("Give both userName and password.", "credentials-required");
        }

        // One message for unknown users, wrong passwords and disabled accounts: no hint which it was.
        var principal = await AccountSignIn.CheckAsync(users, request.UserName, request.Password);
        if (principal is null)
        {
            return Problems.Create(StatusCodes.Status401Unauthorized, "Sign-in failed", "The user name or password is wrong, or the account is disabled or locked.", "invalid-credentials");
        }

        var expires = clock.GetUtcNow() + AuthSetup.SessionLifetime;
        var properties = new AuthenticationProperties { ExpiresUtc = expires, IsPersistent = true };

        var token = http.RequestServices.BearerOptions().BearerTokenProtector
            .Protect(new AuthenticationTicket(principal, properties, AuthSetup.BearerScheme));
        await http.SignInAsync(AuthSetup.CookieScheme, principal, properties);
        return TypedResults.Ok(new LoginResponse(token, expires));
    }

    /// <summary>Ends every session of the user: a renewed security stamp invalidates all their tokens and cookies.</summary>
    private static async Task<NoContent> Logout(HttpContext http, UserManager<AppUser> users)
    {
        var user = await users.FindByIdAsync(CurrentUser.From(http.User).Id);
        if (user is not null)
        {
            await users.UpdateSecurityStampAsync(user);
        }

        await http.SignOutAsync(AuthSetup.CookieScheme);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<MeResponse>> Me(HttpContext http, WorkflowDbContext db, CancellationToken ct)
    {
        var me = CurrentUser.From(http.User);
        var dept = me.DepartmentId is { } id
            ? await db.Departments.Where(d => d.Id == id).Select(d => new DepartmentDto(d.Id, d.Code, d.Name)).FirstOrDefaultAsync(ct)
            : null;
        return TypedResults.Ok(new MeResponse(me.Id, me.UserName, me.DisplayName, dept, [.. me.Roles.Order()]));
    }
}
