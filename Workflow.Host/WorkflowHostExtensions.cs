using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Workflow.Host.Demo;
using Workflow.Host.Features.Audit;
using Workflow.Host.Features.Auth;
using Workflow.Host.Features.Export;
using Workflow.Host.Features.Import;
using Workflow.Host.Features.Notifications;
using Workflow.Host.Features.Reports;
using Workflow.Host.Features.Review;
using Workflow.Host.Features.Routes;
using Workflow.Host.Features.Sections;
using Workflow.Host.Features.Tasks;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host;

public static class WorkflowHostExtensions
{
    public const string AdminPolicy = "admin-only";

    public static IServiceCollection AddWorkflowHost(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddWorkflowAuth();
        // Registered first, so browsers get the error page instead of JSON (see BrowserErrors).
        services.AddSingleton<Microsoft.AspNetCore.Http.IProblemDetailsWriter, BrowserErrors.Writer>();
        // Every problem gets its code first, then its detail in the client's language (which is chosen by code).
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            ErrorHandling.AddCode(context);
            ProblemLanguage.Apply(context);
        });
        services.AddExceptionHandler<ErrorHandling>();
        // Binding failures (malformed JSON, missing body) become exceptions so ErrorHandling can explain them.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = HostLimits.MaxRequestBodyBytes);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        services.AddOpenApi();
        // Web UI: server-rendered Razor Pages, signed in everywhere but the sign-in and language pages.
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        // Chinese text as characters, not &#x...; entities (markup characters are still encoded).
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/");
            // Every page under /Admin is for administrators, even one whose model forgets its [Authorize].
            o.Conventions.AuthorizeFolder("/Admin", AdminPolicy);
            o.Conventions.AllowAnonymousToPage("/Login");
            o.Conventions.AllowAnonymousToPage("/Culture");
            o.Conventions.AllowAnonymousToPage("/Error");
        });
        services.AddAuthorizationBuilder().AddPolicy(AdminPolicy, p => p.RequireRole(Roles.Admin));
        services.AddHealthChecks().AddDbContextCheck<WorkflowDbContext>("database", tags: ["ready"]);

        services.AddSingleton<RouteCatalog>();
        services.AddSingleton<WriteGate>();
        services.TryAddSingleton<Messaging.OutboxSignal>();
        services.AddScoped<UserDirectory>();
        services.AddScoped<AuditTrail>();
        services.AddSingleton<AuditCheckpoints>();
        services.AddSingleton<AuditCheckpointer>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditCheckpointer>());
        services.AddScoped<SectionCommands>();
        services.AddCommandPipeline();
        services.AddScoped<SectionViews>();
        services.AddScoped<ReportDetails>();
        services.AddScoped<ReportParts>();
        services.AddScoped<ReportImporter>();
        services.AddSingleton<ImportGate>();
        services.AddScoped<ReportAssembler>();
        services.AddScoped<Features.Admin.Accounts>();
        services.AddScoped<DemoSeeder>();
        services.AddScoped<Features.Tasks.TaskReminders>();
        services.AddOptions<Features.Tasks.DeadlineOptions>().BindConfiguration("Deadlines");
        services.AddHostedService<Features.Tasks.DeadlineMonitor>();
        return services;
    }

    /// <summary>Migrates the database, creates the roles and the built-in route, and seeds the demo county if asked.</summary>
    public static async Task InitializeWorkflowAsync(this WebApplication app, bool seedDemo)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<WorkflowDbContext>();
        await db.MigrateWorkflowDatabaseAsync();
        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        await RouteCatalog.EnsureBuiltInAsync(db, services.GetRequiredService<TimeProvider>(), default);
        await services.GetRequiredService<ReportParts>().UpgradeAsync(default);
        if (seedDemo)
        {
            await services.GetRequiredService<DemoSeeder>().SeedAsync(default);
        }
    }

    private static readonly Lazy<byte[]> Css = new(() => Bundle("css"));
    private static readonly Lazy<byte[]> Js = new(() => Bundle("js"));

    /// <summary>
    /// The UI's stylesheets or scripts from the assembly, joined: site.* holds what every page shares and each page
    /// family may add its own file after it. One request per kind, no build tooling, nothing from a CDN.
    /// </summary>
    private static byte[] Bundle(string kind)
    {
        var assembly = typeof(WorkflowHostExtensions).Assembly;
        var prefix = $"Workflow.Host.{kind}.";
        var names = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith("." + kind, StringComparison.Ordinal))
            .OrderBy(n => n == $"{prefix}site.{kind}" ? 0 : 1)
            .ThenBy(n => n, StringComparer.Ordinal);
        using var copy = new MemoryStream();
        foreach (var name in names)
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            stream.CopyTo(copy);
            copy.WriteByte((byte)'\n');
        }

        return copy.ToArray();
    }

    /// <summary>The layout links the bundles with a build-specific version, so browsers may cache them for a day.</summary>
    private static IResult Asset(HttpContext http, byte[] bytes, string type)
    {
        http.Response.Headers.CacheControl = "public, max-age=86400";
        return Results.Bytes(bytes, type);
    }

    public static WebApplication MapWorkflowApi(this WebApplication app)
    {
        // The client's real address and scheme first, then the headers every response (error pages too) carries.
        app.UseKnownProxies(app.Configuration);
        app.UseSecurityHeaders();
        // Outermost after those, so it also sees the empty 500 the exception handler leaves for a browser.
        app.UseWhen(BrowserErrors.WantsPage, b => b.UseStatusCodePagesWithReExecute(BrowserErrors.PagePath));
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Routing after the error handling, so a re-executed request (/error/404) is routed afresh.
        app.UseRouting();
        // zh-CN unless the person chose English with the language switch (a cookie), whatever the browser says.
        app.UseRequestLocalization(o =>
        {
            string[] cultures = ["zh-CN", "en"];
            o.SetDefaultCulture("zh-CN").AddSupportedCultures(cultures).AddSupportedUICultures(cultures);
            o.RequestCultureProviders = [new Microsoft.AspNetCore.Localization.CookieRequestCultureProvider()];
        });
        app.UseAuthentication();
        app.UseFreshPrincipal();
        // After authentication: an anti-forgery token is bound to the signed-in user.
        app.UseApiForgeryCheck();
        app.UseAuthorization();

        app.MapOpenApi();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });

        var api = app.MapGroup("/api").RequireAuthorization();
        api.MapAuth();
        api.MapReports();
        api.MapSections();
        api.MapReview();
        api.MapTasks();
        Features.Proxy.ProxyEndpoints.MapProxy(api);
        api.MapAudit();
        api.MapRoutesAndDirectory();
        api.MapImport();
        api.MapExport();
        api.MapNotifications();
        api.MapNotificationStream();
        api.MapOutbox();
        app.MapRazorPages();
        app.MapGet("/css/site.css", (HttpContext http) => Asset(http, Css.Value, "text/css; charset=utf-8")).AllowAnonymous();
        app.MapGet("/js/site.js", (HttpContext http) => Asset(http, Js.Value, "text/javascript; charset=utf-8")).AllowAnonymous();
        return app;
    }
}
