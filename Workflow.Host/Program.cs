using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Workflow.Host;
using Workflow.Host.Cli;
using Workflow.Host.Demo;
using Workflow.Host.Messaging;
using Workflow.Persistence;

if (WorkflowCli.Handles(args))
{
    return await WorkflowCli.RunAsync(args);
}

// "--demo" is our flag, not a configuration key, so it is taken out before the host parses the rest.
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--demo").ToArray());

// Quiet framework logging as the lowest-priority default (appsettings.json, the environment and the command line
// still win): a host started from a folder without appsettings.json would otherwise log every SQL command.
builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
{
    InitialData = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
    },
});

builder.Services.AddWorkflowPersistence();
builder.Services.AddWorkflowMessaging(builder.Configuration);
builder.Services.AddWorkflowHost();

var app = builder.Build();
var demo = args.Contains("--demo") || app.Configuration.GetValue<bool>("Demo:Seed");
try
{
    await app.InitializeWorkflowAsync(demo);
}
catch (DatabaseStartupException ex)
{
    // A wrong or unreachable database is the operator's to fix: one line naming the setting, no stack trace.
    Console.Error.WriteLine($"Cannot start: {ex.Message}");
    return 1;
}

app.MapWorkflowApi();

if (demo)
{
    app.Lifetime.ApplicationStarted.Register(() =>
    {
        var urls = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Console.WriteLine($"Demo county ready at {string.Join(", ", urls)} (API under /api, OpenAPI at /openapi/v1.json)");
        Console.WriteLine($"Accounts (password {DemoSeeder.Password}):");
        foreach (var a in DemoSeeder.Accounts)
        {
            var roles = DemoSeeder.ExtraRoles.Where(e => e.UserName == a.UserName).Select(e => e.Role).Prepend(a.Role);
            Console.WriteLine($"  {a.UserName,-20} {a.DisplayName} ({string.Join(", ", roles)})");
        }
    });
}

await app.RunAsync();
return 0;

public partial class Program;
