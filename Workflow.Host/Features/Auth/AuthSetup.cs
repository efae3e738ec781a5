using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Identity;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Auth;

public static class AuthSetup
{
    public const string Scheme = "workflow";
    public const string BearerScheme = "bearer";
    public const string CookieScheme = "cookie";
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(8);

    public static IServiceCollection AddWorkflowAuth(this IServiceCollection services)
    {
        services.AddIdentityCore<AppUser>(o =>
            {
                o.Password.RequiredLength = 8;
                // No lock-out on failures: anyone could keep any account locked. SignInThrottle slows the guessing address instead.
                o.Lockout.AllowedForNewUsers = false;
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<WorkflowDbContext>();

        // Tokens and cookies are protected with keys kept beside the database, so sessions survive a restart.
        // Read when first needed (not at registration) so settings added late by a test host still apply.
        services.AddDataProtection().SetApplicationName("county-workflow");
        services.AddOptions<KeyManagementOptions>().Configure<IConfiguration, ILoggerFactory>((o, cfg, logs) =>
            o.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(cfg["DataProtection:KeysPath"] ?? Path.Combine("data", "keys")), logs));

        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Bearer token or cookie", o =>
                o.ForwardDefaultSelector = ctx => ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? BearerScheme : CookieScheme)
            .AddBearerToken(BearerScheme, o => o.BearerTokenExpiration = SessionLifetime)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "workflow.session";
                o.Cookie.HttpOnly = true;
                // Secure whenever the site is served over HTTPS (plain HTTP stays usable on a loopback demo).
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // Strict keeps other sites from riding on the cookie (CSRF) for the state-changing API.
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = SessionLifetime;
                o.SlidingExpiration = false;
                // API clients get status codes; people in the browser are sent to the sign-in page.
                o.LoginPath = "/login";
                o.Events.OnRedirectToLogin = ctx => IsApi(ctx.Request) ? Deny(ctx, StatusCodes.Status401Unauthorized) : Redirect(ctx);
                o.Events.OnRedirectToAccessDenied = ctx => Deny(ctx, StatusCodes.Status403Forbidden);
            });
        services.AddAuthorization();
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<SignInAudit>();
        services.AddHostedService(sp => sp.GetRequiredService<SignInAudit>());
        services.AddScoped<AccountSignIn>();
        return services;
    }

    public static BearerTokenOptions BearerOptions(this IServiceProvider services) =>
        services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<BearerTokenOptions>>().Get(BearerScheme);

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    private static Task Redirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx)
    {
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    private static Task Deny(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        ctx.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
