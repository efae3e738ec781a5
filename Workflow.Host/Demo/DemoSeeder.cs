using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Workflow.Host.Features.Import;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Demo;

/// <summary>
/// Seeds a demo county: departments, one account per role, and the sample half-year report imported
/// along its outline, each section with its department's author and in draft, so every demo author
/// starts with 待办 items.
/// </summary>
public sealed class DemoSeeder(WorkflowDbContext db, UserManager<AppUser> users, RouteCatalog routes, ReportImporter importer, AuditTrail audit, TimeProvider clock, ILogger<DemoSeeder> logger)
{
    public const string Password = "Demo-2026!";
    public const string ReportTitle = "县上半年关于加强党的建设工作情况报告";
    public const string EmailDomain = "county.example";

    public static readonly (string Code, string Name)[] Departments =
    [
        ("bangongshi", "县委办公室"),
        ("zuzhi", "组织部"),
        ("jiwei", "纪委"),
        ("xuanchuan", "宣传部"),
        ("xianwei", "县委"),
    ];

    public static readonly (string UserName, string DisplayName, string Department, string Role)[] Accounts =
    [
        ("admin", "县委办公室管理员", "bangongshi", Roles.Admin),
        ("zuzhi.author", "组织部起草人", "zuzhi", Roles.Author),
        ("zuzhi.head", "组织部部长", "zuzhi", Roles.DepartmentHead),
        ("jiwei.author", "纪委起草人", "jiwei", Roles.Author),
        ("jiwei.head", "纪委书记", "jiwei", Roles.DepartmentHead),
        ("xuanchuan.author", "宣传部起草人", "xuanchuan", Roles.Author),
        ("xuanchuan.head", "宣传部部长", "xuanchuan", Roles.DepartmentHead),
        ("committee.secretary", "县委书记", "xianwei", Roles.CommitteeMember),
        ("committee.deputy", "县委副书记", "xianwei", Roles.CommitteeMember),
        ("auditor", "审计员", "bangongshi", Roles.Auditor),
    ];

    /// <summary>The demo account's e-mail address (the reserved .example domain: a real mail relay delivers nothing there, a local mail catcher shows it).</summary>
    public static string EmailOf(string userName) => $"{userName}@{EmailDomain}";

    /// <summary>Which department owns a section of the sample report, by what the section is about.</summary>
    public static string DepartmentFor(string title) =>
        title.Contains("廉政", StringComparison.Ordinal) || title.Contains("风清气正", StringComparison.Ordinal) ? "jiwei"
        : title.Contains("意识形态", StringComparison.Ordinal) ? "xuanchuan"
        : "zuzhi";

    public async Task SeedAsync(CancellationToken ct)
    {
        foreach (var (code, name) in Departments)
        {
            if (!await db.Departments.AnyAsync(d => d.Code == code, ct))
            {
                db.Departments.Add(new Department { Id = Guid.NewGuid(), Code = code, Name = name });
            }
        }

        await db.SaveChangesAsync(ct);
        var departments = await db.Departments.ToDictionaryAsync(d => d.Code, d => d.Id, ct);
        foreach (var (userName, displayName, dept, role) in Accounts)
        {
            if (await users.FindByNameAsync(userName) is { } existing)
            {
                // Demo databases seeded before accounts had addresses get them, so e-mail works once SMTP is set.
                // Set directly: SetEmailAsync would renew the security stamp and end the account's sessions.
                if (string.IsNullOrEmpty(existing.Email))
                {
                    existing.Email = EmailOf(userName);
                    existing.NormalizedEmail = users.NormalizeEmail(existing.Email);
                    Check(await users.UpdateAsync(existing), userName);
                }

                continue;
            }

            var user = new AppUser { UserName = userName, Email = EmailOf(userName), DisplayName = displayName, DepartmentId = departments[dept] };
            Check(await users.CreateAsync(user, Password), userName);
            Check(await users.AddToRoleAsync(user, role), userName);
        }

        if (!await db.Reports.AnyAsync(r => r.Title == ReportTitle, ct))
        {
            await SeedReportAsync(ct);
        }
    }

    /// <summary>The sample report goes through the importer, as a clerk's upload would, then to its departments' authors.</summary>
    private async Task SeedReportAsync(CancellationToken ct)
    {
        var admin = await users.FindByNameAsync("admin") ?? throw new InvalidOperationException("admin missing");
        var actor = new CurrentUser(admin.Id, admin.UserName!, admin.DisplayName, admin.DepartmentId, new HashSet<string> { Roles.Admin });
        var route = (await routes.LatestAsync(db, Activities.Routes.DefaultRoutes.CountyReportId, ct))!;
        var plan = ReportImporter.Preview(ReadFixture(), "utf-8", null, false, ReportTitle);
        plan = plan with
        {
            Units = [.. plan.Units.Select(u => u.IsGroup ? u : u with { Department = DepartmentFor(u.Title), Author = DepartmentFor(u.Title) + ".author" })],
        };
        var report = new Report
        {
            Id = Guid.NewGuid(),
            Title = ReportTitle,
            RouteDefinitionId = route.DefinitionId,
            RouteVersion = route.Version,
            CreatedAt = clock.GetUtcNow(),
            CreatedById = admin.Id,
        };
        db.Reports.Add(report);
        await audit.AppendAsync(report.Id, null, actor.Id, actor.UserName, "report.create", new { title = ReportTitle, route = route.DefinitionId, routeVersion = route.Version, demo = true }, ct);
        await importer.CommitAsync(report, plan, actor, ct);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Seeded demo report {Title}: {Sections} sections, {Missing} missing figures", ReportTitle, plan.Units.Count(u => !u.IsGroup), plan.MissingFigures);
    }

    private static string ReadFixture()
    {
        using var stream = typeof(DemoSeeder).Assembly.GetManifestResourceStream("Workflow.Host.Demo.party-building-report-2020h1.txt")
            ?? throw new InvalidOperationException("The sample report is not embedded in the host assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static void Check(IdentityResult result, string userName)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not create demo user {userName}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}
