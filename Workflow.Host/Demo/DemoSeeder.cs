using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Demo;

/// <summary>
/// Seeds a demo county: departments, one account per role, and the sample half-year report cut into its
/// sections, each with its department's author and in draft, so every demo author starts with 待办 items.
/// The cut is hand-written here; the outline importer replaces it in a later issue.
/// </summary>
public sealed class DemoSeeder(WorkflowDbContext db, UserManager<AppUser> users, RouteCatalog routes, SectionCommands commands, AuditTrail audit, TimeProvider clock, ILogger<DemoSeeder> logger)
{
    public const string Password = "Demo-2026!";
    public const string ReportTitle = "县上半年关于加强党的建设工作情况报告";

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

    /// <summary>The outline of the sample report: parts (一、) and their reviewed subsections (（一）) with the owning department.</summary>
    private static readonly (string Number, string Title, (string Number, string Title, string Department)[] Sections)[] Outline =
    [
        ("一、", "上半年主要工作",
        [
            ("（一）", "党的高质量建设效果凸显", "zuzhi"),
            ("（二）", "党风廉政建设全面加强", "jiwei"),
            ("（三）", "意识形态工作有力有为", "xuanchuan"),
        ]),
        ("二、", "存在问题及原因",
        [
            ("（一）", "抓基层党建工作责任制方面", "zuzhi"),
            ("（二）", "履行党风廉政建设责任制方面", "jiwei"),
            ("（三）", "落实意识形态工作责任制方面", "xuanchuan"),
        ]),
        ("三、", "下半年工作打算",
        [
            ("（一）", "全面提升组织力，推进党的高质量建设", "zuzhi"),
            ("（二）", "落实主体责任，营造风清气正的氛围", "jiwei"),
            ("（三）", "加强探索创新，牢握意识形态主动权", "xuanchuan"),
        ]),
    ];

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
            if (await users.FindByNameAsync(userName) is not null)
            {
                continue;
            }

            var user = new AppUser { UserName = userName, DisplayName = displayName, DepartmentId = departments[dept], LockoutEnabled = true };
            Check(await users.CreateAsync(user, Password), userName);
            Check(await users.AddToRoleAsync(user, role), userName);
        }

        if (!await db.Reports.AnyAsync(r => r.Title == ReportTitle, ct))
        {
            await SeedReportAsync(departments, ct);
        }
    }

    private async Task SeedReportAsync(Dictionary<string, Guid> departments, CancellationToken ct)
    {
        var admin = await users.FindByNameAsync("admin") ?? throw new InvalidOperationException("admin missing");
        var actor = new CurrentUser(admin.Id, admin.UserName!, admin.DisplayName, admin.DepartmentId, new HashSet<string> { Roles.Admin });
        var authors = await db.Users.Where(u => u.UserName!.EndsWith(".author")).ToDictionaryAsync(u => u.DepartmentId!.Value, u => u.Id, ct);
        var routeRow = (await routes.LatestAsync(db, Activities.Routes.DefaultRoutes.CountyReportId, ct))!;
        var route = (await routes.FindAsync(db, routeRow.DefinitionId, routeRow.Version, ct))!;

        var lines = ReadFixture().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var leadStart = lines.FindIndex(l => l.StartsWith("2020年上半年", StringComparison.Ordinal));
        var report = new Report
        {
            Id = Guid.NewGuid(),
            Title = ReportTitle,
            Lead = lines[leadStart],
            RouteDefinitionId = route.DefinitionId,
            RouteVersion = route.Version,
            CreatedAt = clock.GetUtcNow(),
            CreatedById = admin.Id,
        };
        db.Reports.Add(report);
        await audit.AppendAsync(report.Id, null, actor.Id, actor.UserName, "report.create", new { title = ReportTitle, route = route.DefinitionId, routeVersion = route.Version, demo = true }, ct);

        // Heading lines in reading order; a section's text runs from its heading to the next heading.
        var headings = Outline.SelectMany(p => new[] { p.Number + p.Title }.Concat(p.Sections.Select(s => s.Number + s.Title))).ToList();
        var headingLine = headings.ToDictionary(h => h, h => lines.FindIndex(l => l.StartsWith(h, StringComparison.Ordinal)));
        var ordinal = 0;
        foreach (var part in Outline)
        {
            var group = NewSection(report, part.Number, part.Title, ordinal++, null);
            group.IsGroup = true;
            db.Sections.Add(group);
            foreach (var (number, title, dept) in part.Sections)
            {
                var start = headingLine[number + title];
                var end = headingLine.Values.Where(i => i > start).DefaultIfEmpty(lines.Count).Min();
                // A heading may share its line with the text that follows it (（一）标题。正文……).
                var first = lines[start][(number + title).Length..].TrimStart('。', ' ');
                var body = string.Join('\n', new[] { first }.Concat(lines[(start + 1)..end]).Where(l => l.Length > 0));
                var section = NewSection(report, number, title, ordinal++, group.Id);
                section.DepartmentId = departments[dept];
                section.AuthorId = authors[departments[dept]];
                await commands.CreateAsync(report, route, section, body, "导入样例报告", actor, ct);
            }
        }

        await db.SaveChangesAsync(ct);
        logger.LogInformation("Seeded demo report {Title} with {Count} sections", ReportTitle, ordinal);
    }

    private Section NewSection(Report report, string number, string title, int ordinal, Guid? parent) => new()
    {
        Id = Guid.NewGuid(),
        ReportId = report.Id,
        ParentId = parent,
        Ordinal = ordinal,
        Number = number,
        Title = title,
        RouteDefinitionId = report.RouteDefinitionId,
        RouteVersion = report.RouteVersion,
        UpdatedAt = clock.GetUtcNow(),
    };

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
