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

/// <summary>The outcome of a sign-in: a principal, a refusal, or a wait (the address tried too often).</summary>
public sealed record SignInOutcome(System.Security.Claims.ClaimsPrincipal? Principal, TimeSpan? RetryAfter)
{
    /// <summary>Whole seconds for a Retry-After header, never 0.</summary>
    public int RetryAfterSeconds => (int)Math.Max(1, Math.Ceiling(RetryAfter?.TotalSeconds ?? 0));
}

/// <summary>
/// The one credential check behind the API login and the sign-in page. Every refusal costs one password hash (a
/// dummy one for unknown users), so timing does not tell which names exist; failures slow down the guessing
/// address (<see cref="SignInThrottle"/>) instead of locking the account.
/// </summary>
public sealed class AccountSignIn(UserManager<AppUser> users, SignInThrottle throttle, SignInAudit audit, ILogger<AccountSignIn> logger)
{
    private const int MaxUserName = 256;
    private static readonly AppUser Nobody = new() { DisplayName = "" };
    private static string? dummyHash;

    public async Task<SignInOutcome> CheckAsync(HttpContext http, string userName, string password)
    {
        userName = userName.Trim();
        // Throttling, log and audit key on at most a user-name column's length, so huge made-up names cost no memory.
        var name = userName.Length > MaxUserName ? userName[..MaxUserName] : userName;
        var address = SignInThrottle.AddressOf(http);
        if (throttle.RetryAfter(name, address) is { } wait)
        {
            logger.LogInformation("Sign-in for {UserName} from {Address} refused unchecked: throttled for {Seconds:0} s more", name, address, wait.TotalSeconds);
            return new SignInOutcome(null, wait);
        }

        var user = await users.FindByNameAsync(userName);
        bool verified;
        if (user?.PasswordHash is not null)
        {
            // Disabled accounts are checked too: the same work as an active one, refused below.
            verified = await users.CheckPasswordAsync(user, password);
        }
        else
        {
            var hash = LazyInitializer.EnsureInitialized(ref dummyHash, () => users.PasswordHasher.HashPassword(Nobody, Guid.NewGuid().ToString()));
            users.PasswordHasher.VerifyHashedPassword(Nobody, hash, password);
            verified = false;
        }

        if (user is null || user.Disabled || !verified)
        {
            Failed(name, address, user is null ? "unknown-user" : user.Disabled ? "disabled" : "wrong-password");
            return new SignInOutcome(null, null);
        }

        throttle.Succeeded(name, address);
        return new SignInOutcome(UserPrincipal.Create(user, await users.GetRolesAsync(user)), null);
    }

    private void Failed(string userName, string address, string reason)
    {
        var f = throttle.Failed(userName, address);
        logger.LogWarning("Sign-in failed for {UserName} from {Address} ({Reason}; {PairFailures} from this address for this name, {AddressFailures} in all)", userName, address, reason, f.PairFailures, f.AddressFailures);
        // One entry when a name starts failing from an address, and one each time a delay begins (each doubles),
        // so a flood writes a handful of entries per name and address rather than one per request.
        if (f.FirstInWindow)
        {
            audit.Enqueue(new SignInAuditEntry("auth.signin-failed", userName, new { user = userName, address, reason }));
        }

        if (f.ThrottledFor is { } delay)
        {
            logger.LogWarning("Sign-in throttled for {UserName} from {Address} for {Seconds:0} s ({Scope})", userName, address, delay.TotalSeconds, f.Scope);
            audit.Enqueue(new SignInAuditEntry("auth.throttled", userName, new { user = userName, address, scope = f.Scope, failures = f.Scope == "address" ? f.AddressFailures : f.PairFailures, seconds = (int)delay.TotalSeconds }));
        }
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
        LoginRequest request, AccountSignIn signIn, TimeProvider clock, HttpContext http)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password))
        {
            return Problems.BadRequest("Give both userName and password.", "credentials-required");
        }

        var outcome = await signIn.CheckAsync(http, request.UserName, request.Password);
        if (outcome.RetryAfter is not null)
        {
            http.Response.Headers.RetryAfter = outcome.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Create(StatusCodes.Status429TooManyRequests, "Too many failed sign-ins", $"Too many failed sign-ins from this address; try again in {outcome.RetryAfterSeconds} seconds.", "signin-throttled");
        }

        // One message for unknown users, wrong passwords and disabled accounts: no hint which it was.
        if (outcome.Principal is not { } principal)
        {
            return Problems.Create(StatusCodes.Status401Unauthorized, "Sign-in failed", "The user name or password is wrong, or the account is disabled.", "invalid-credentials");
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
