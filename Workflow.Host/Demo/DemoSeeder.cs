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

    /// <summary>Roles a demo account holds beside its own: the county secretary signs reports off (签发).</summary>
    public static readonly (string UserName, string Role)[] ExtraRoles =
    [
        ("committee.secretary", Roles.Signer),
    ];

    /// <summary>
    /// The demo's second route: the plan for clean governance next half-year is countersigned (会签) by the heads of 纪委
    /// and 组织部 before the committee signs.
    /// </summary>
    public const string CountersignRouteJson = """
        { "definitionId": "clean-governance", "version": 1, "name": "纪委组织部会签",
          "stages": [
            { "key": "draft", "name": "起草", "kind": "draft" },
            { "key": "cosign", "name": "纪委组织部会签", "kind": "countersign", "quorum": "all", "deadline": "P3D",
              "branches": [ { "type": "departmentHeads", "departments": ["jiwei", "zuzhi"] } ] },
            { "key": "committee", "name": "县委审核", "kind": "review", "assignee": { "type": "role", "role": "committee-member" },
              "quorum": "any", "deadline": "P5D", "blockOnPlaceholders": true } ] }
        """;

    /// <summary>The demo's third route: the ideology plan needs both committee members (县委书记 and 副书记).</summary>
    public const string JointCommitteeRouteJson = """
        { "definitionId": "joint-committee", "version": 1, "name": "县委集体审核",
          "stages": [
            { "key": "draft", "name": "起草", "kind": "draft" },
            { "key": "department", "name": "部门审核", "kind": "review", "assignee": { "type": "departmentHead" }, "quorum": "any", "deadline": "P3D" },
            { "key": "committee", "name": "县委集体审核", "kind": "review", "assignee": { "type": "role", "role": "committee-member" },
              "quorum": "all", "deadline": "P5D", "blockOnPlaceholders": true } ] }
        """;

    /// <summary>Which route a section of the sample report follows: the next half-year's plans for clean governance and ideology take the demo's own routes.</summary>
    public static string? RouteFor(string title, bool lastPart) =>
        !lastPart ? null
        : DepartmentFor(title) == "jiwei" ? "clean-governance"
        : DepartmentFor(title) == "xuanchuan" ? "joint-committee"
        : null;

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

        // Also on a demo database seeded before the role existed; adding a role leaves the account's sessions alone.
        foreach (var (userName, role) in ExtraRoles)
        {
            if (await users.FindByNameAsync(userName) is { } account && !await users.IsInRoleAsync(account, role))
            {
                Check(await users.AddToRoleAsync(account, role), userName);
            }
        }

        foreach (var json in new[] { CountersignRouteJson, JointCommitteeRouteJson })
        {
            var route = Activities.Routes.RouteDefinitionParser.Parse(json).Route ?? throw new InvalidOperationException("A demo route is invalid.");
            if (!await db.Routes.AnyAsync(r => r.DefinitionId == route.DefinitionId, ct))
            {
                db.Routes.Add(new StoredRoute { DefinitionId = route.DefinitionId, Version = route.Version, Name = route.Name, Json = json, PublishedAt = clock.GetUtcNow() });
            }
        }

        await db.SaveChangesAsync(ct);
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
            // The county of the sample report (its 生态南山 demonstration belt); the clerk may change both before 签发.
            Issuer = "中共南山县委",
            Addressee = "市委组织部",
        };
        db.Reports.Add(report);
        await audit.AppendAsync(report.Id, null, actor.Id, actor.UserName, "report.create", new { title = ReportTitle, route = route.DefinitionId, routeVersion = route.Version, demo = true }, ct);
        await importer.CommitAsync(report, plan, actor, keepTitle: true, ct);
        await db.SaveChangesAsync(ct);

        // Sections still in draft (the draft stage is the same on every route), so they may take another route now.
        var sections = await db.Sections.Where(x => x.ReportId == report.Id && !x.IsGroup).OrderBy(x => x.Ordinal).ToListAsync(ct);
        var lastPart = await db.Sections.Where(x => x.ReportId == report.Id && x.IsGroup && x.ParentId == null).OrderByDescending(x => x.Ordinal).Select(x => x.Id).FirstAsync(ct);
        foreach (var section in sections)
        {
            if (RouteFor(section.Title, section.ParentId == lastPart) is { } routeId)
            {
                section.RouteDefinitionId = routeId;
                section.RouteVersion = 1;
            }
        }

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
