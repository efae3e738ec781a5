using System.Reflection;
using System.Security.Claims;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Workflow.Activities.Documents;
using Workflow.Activities.Engine;
using Workflow.Activities.Routes;
using Workflow.Host;
using Workflow.Host.Infrastructure;
using Workflow.Host.Messaging;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;
using C = Workflow.Activities.Contracts;

namespace Workflow.Tests.SqlServer;

/// <summary>
/// The product's services, registered by the product's own AddWorkflow* calls, configured for SQL Server and
/// answered by a <see cref="SqlServerRecorder"/> seeded with one small report (see <see cref="Seed"/>).
/// </summary>
public sealed class ProductOnSqlServer : IAsyncDisposable
{
    public const string ConnectionString = "Server=127.0.0.1,1;Database=x;TrustServerCertificate=True";

    private readonly ServiceProvider services;

    public ProductOnSqlServer()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DatabaseSettings.ProviderKey] = nameof(DatabaseProvider.SqlServer),
            [DatabaseSettings.ConnectionKey] = ConnectionString,
        }).Build();
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(configuration);
        collection.AddLogging();
        collection.AddWorkflowPersistence();
        collection.ConfigureDbContext<SqlServerWorkflowDbContext>(Recorder.Attach);
        collection.AddWorkflowMessaging(configuration);
        collection.AddWorkflowHost();
        collection.AddSingleton<TimeProvider>(Clock);
        // The bus is never started here: publishing goes nowhere, or fails when a test asks it to.
        collection.AddScoped<IPublishEndpoint>(_ => Publisher);
        services = collection.BuildServiceProvider();
        Seed.Into(Recorder.Rows);
    }

    public SqlServerRecorder Recorder { get; } = new();

    /// <summary>Just after the seeded task fell due, so the deadline scan escalates it.</summary>
    public FakeTimeProvider Clock { get; } = new(Seed.Now);

    public IPublishEndpoint Publisher { get; set; } = NoBus.Publisher(failure: null);

    /// <summary>Runs one part of the product in a fresh scope, as a request or a background job would.</summary>
    public async Task RunAsync(string area, Func<IServiceProvider, WorkflowDbContext, Task> run)
    {
        Recorder.Area = area;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WorkflowDbContext>();
        Assert.IsType<SqlServerWorkflowDbContext>(db);
        await run(scope.ServiceProvider, db);
    }

    public IReadOnlyList<RecordedStatement> StatementsOf(string area) => [.. Recorder.Statements.Where(s => s.Origin == area)];

    /// <summary>Every statement of every area parsed, and each area named reached the database at least once.</summary>
    public void AssertTranslatedAndParsed(ITestOutputHelper output, params string[] areas)
    {
        foreach (var s in Recorder.Statements)
        {
            output.WriteLine($"-- [{s.Origin}] parameters: {string.Join(", ", s.Parameters)}\n{s.Sql}\n");
        }

        foreach (var area in areas)
        {
            output.WriteLine($"{area}: {StatementsOf(area).Count} statements");
        }

        if (Recorder.Failures.Count > 0)
        {
            Assert.Fail(string.Join("\n\n", Recorder.Failures));
        }

        Assert.All(areas, area => Assert.NotEmpty(StatementsOf(area)));
    }

    public ValueTask DisposeAsync() => services.DisposeAsync();

    public static HttpContext Request(IServiceProvider services, ClaimsPrincipal user, string? idempotencyKey = null)
    {
        var http = new DefaultHttpContext { User = user, RequestServices = services };
        http.Request.Method = "POST";
        http.Request.Path = "/api/test";
        if (idempotencyKey is not null)
        {
            http.Request.Headers[Workflow.Host.Infrastructure.ApiCommands.IdempotencyHeader] = idempotencyKey;
        }

        http.Response.Body = new MemoryStream();
        return http;
    }

    /// <summary>A page model from the container, with the request context its handlers read.</summary>
    public static T Page<T>(IServiceProvider services, ClaimsPrincipal user)
        where T : PageModel
    {
        var page = ActivatorUtilities.CreateInstance<T>(services);
        var action = new ActionContext(Request(services, user), new RouteData(), new CompiledPageActionDescriptor(), new ModelStateDictionary());
        page.PageContext = new PageContext(action) { ViewData = new ViewDataDictionary(new EmptyModelMetadataProvider(), action.ModelState) };
        return page;
    }

    /// <summary>What every signed-in page runs before its handler (the top bar's department and to-do count).</summary>
    public static Task SignedInAsync(PageModel page) =>
        page.OnPageHandlerExecutionAsync(
            new PageHandlerExecutingContext(page.PageContext, [], null, new Dictionary<string, object?>(), page),
            () => Task.FromResult(new PageHandlerExecutedContext(page.PageContext, [], null, page)));
}

/// <summary>
/// One small report, one row per table but for users: a department with its author and its head (who holds the one
/// role seeded, so every review stage has a candidate besides the author), the built-in route, a report with one section in draft at version 1, the author's pending
/// draft task (just overdue), an audit entry, an outbox message and a notification.
/// </summary>
public static class Seed
{
    public static readonly DateTimeOffset Now = new(2026, 7, 1, 2, 0, 0, TimeSpan.Zero);
    public static readonly Guid DepartmentId = new("6d1f0d5e-0000-4000-8000-000000000001");
    public static readonly Guid ReportId = new("6d1f0d5e-0000-4000-8000-000000000002");
    public static readonly Guid SectionId = new("6d1f0d5e-0000-4000-8000-000000000003");
    public static readonly Guid TaskId = new("6d1f0d5e-0000-4000-8000-000000000004");
    public static readonly Guid NotificationId = new("6d1f0d5e-0000-4000-8000-000000000005");
    public const string AuthorId = "author-1";
    public const string AuthorName = "zuzhi.author";
    public const string HeadId = "head-1";
    public const string AdminId = "admin-1";
    public const string Content = "今年发展党员X名。";

    public static ClaimsPrincipal Author => Principal(AuthorId, AuthorName, DepartmentId, Roles.Author);

    public static ClaimsPrincipal Admin => Principal(AdminId, "admin", null, Roles.Admin);

    /// <summary>A signer (签发人) who is also a committee member, as the demo's county secretary is.</summary>
    public static ClaimsPrincipal Signer => Principal("signer-1", "committee.secretary", null, Roles.CommitteeMember, Roles.Signer);

    public static CurrentUser AsUser(ClaimsPrincipal principal) => CurrentUser.From(principal);

    public static void Into(CannedRows rows)
    {
        var route = DefaultRoutes.CountyReport();
        var role = new IdentityRole(Roles.DepartmentHead) { Id = "role-1", NormalizedName = Roles.DepartmentHead.ToUpperInvariant() };
        rows.Seed(
            new Department { Id = DepartmentId, Code = "zuzhi", Name = "组织部" },
            new AppUser { Id = AuthorId, UserName = AuthorName, NormalizedUserName = AuthorName.ToUpperInvariant(), DisplayName = "组织部作者", DepartmentId = DepartmentId },
            new AppUser { Id = HeadId, UserName = "zuzhi.head", NormalizedUserName = "ZUZHI.HEAD", DisplayName = "组织部负责人", DepartmentId = DepartmentId },
            role,
            new IdentityUserRole<string> { UserId = HeadId, RoleId = role.Id },
            new StoredRoute { DefinitionId = route.DefinitionId, Version = route.Version, Name = route.Name, Json = DefaultRoutes.CountyReportJson(), PublishedAt = Now.AddDays(-30) },
            new Report { Id = ReportId, Title = "2026年上半年党建工作报告", RouteDefinitionId = route.DefinitionId, RouteVersion = route.Version, CreatedAt = Now.AddDays(-10), CreatedById = AdminId },
            new Section
            {
                Id = SectionId, ReportId = ReportId, Ordinal = 1, Number = "（一）", Title = "党的建设", Level = 2, DepartmentId = DepartmentId, AuthorId = AuthorId,
                RouteDefinitionId = route.DefinitionId, RouteVersion = route.Version, StageIndex = 0, Status = SectionStatus.Draft, CurrentVersion = 1,
                CurrentHash = ContentHash.Of(Content), CurrentVersionAuthorId = AuthorId, UpdatedAt = Now.AddDays(-10),
            },
            new SectionVersion { Id = Guid.NewGuid(), SectionId = SectionId, Number = 1, Content = Content, Hash = ContentHash.Of(Content), AuthorId = AuthorId, CreatedAt = Now.AddDays(-10) },
            new SectionTask
            {
                Id = TaskId, SectionId = SectionId, ReportId = ReportId, Ordinal = 0, StageIndex = 0, StageKey = route.Stages[0].Key, AssigneeId = AuthorId,
                Status = WorkTaskStatus.Pending, CreatedAt = Now.AddDays(-10), DueAt = Now.AddMinutes(-1),
            },
            new AuditEntry
            {
                Id = Guid.NewGuid(), ReportId = ReportId, Sequence = 1, SectionId = SectionId, ActorId = AdminId, ActorName = "admin", Action = "section.create",
                Data = "{}", At = Now.AddDays(-10), PreviousHash = AuditTrail.Genesis, Hash = "",
            },
            new OutboxMessage
            {
                Id = Guid.NewGuid(), MessageType = nameof(C.TaskAssigned), ReportId = ReportId, SectionId = SectionId, CreatedAt = Now.AddMinutes(-5),
                Payload = JsonSerializer.Serialize(new C.TaskAssigned(ReportId, SectionId, "draft", AdminId, AuthorId, ContentHash.Of(Content), null, Now.AddMinutes(-5)), JsonDefaults.Storage),
            },
            new Notification { Id = NotificationId, UserId = AuthorId, Kind = "task-assigned", Text = "新的待办", ReportId = ReportId, SectionId = SectionId, MessageId = Guid.NewGuid(), CreatedAt = Now.AddMinutes(-4) });
    }

    private static ClaimsPrincipal Principal(string id, string name, Guid? department, params string[] roles)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, id), new(ClaimTypes.Name, name), new(CurrentUser.DisplayNameClaim, name) };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        if (department is { } d)
        {
            claims.Add(new Claim(CurrentUser.DepartmentClaim, d.ToString()));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
    }
}

/// <summary>A publish endpoint that succeeds at once, or fails with the given error.</summary>
public class NoBus : DispatchProxy
{
    private Exception? failure;

    public static IPublishEndpoint Publisher(Exception? failure)
    {
        var endpoint = Create<IPublishEndpoint, NoBus>();
        ((NoBus)(object)endpoint).failure = failure;
        return endpoint;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        targetMethod!.ReturnType == typeof(Task)
            ? failure is null ? Task.CompletedTask : Task.FromException(failure)
            : throw new NotSupportedException(targetMethod.Name);
}

/// <summary>A consumer's view of one delivered message: the message, its id and no cancellation.</summary>
public class Delivered<T> : DispatchProxy
    where T : class
{
    private T message = null!;
    private Guid id;

    public static ConsumeContext<T> Of(T message)
    {
        var context = Create<ConsumeContext<T>, Delivered<T>>();
        var self = (Delivered<T>)(object)context;
        self.message = message;
        self.id = Guid.NewGuid();
        return context;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod!.Name switch
    {
        "get_Message" => message,
        "get_MessageId" => (Guid?)id,
        "get_CancellationToken" => CancellationToken.None,
        _ => throw new NotSupportedException(targetMethod.Name),
    };
}
