using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Workflow.Tests.Integration;

/// <summary>
/// The host with a clock the test moves (FakeTimeProvider replaces TimeProvider.System everywhere: due times,
/// the deadline monitor's waits, audit times). Give it an earlier host's folder to model a restart.
/// </summary>
public sealed class ClockedWorkflowApp : WorkflowApp
{
    public ClockedWorkflowApp()
        : this(null, DateTimeOffset.UtcNow)
    {
    }

    public ClockedWorkflowApp(string? folder, DateTimeOffset start)
        : base(folder)
    {
        Clock = new FakeTimeProvider(start);
    }

    public FakeTimeProvider Clock { get; }

    public LogCapture Logs { get; } = new();

    /// <summary>Moves the clock; sign-ins are dropped because bearer tokens expire by this clock too.</summary>
    public void Advance(TimeSpan by)
    {
        Clock.Advance(by);
        ForgetSignIns();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.AddSingleton<TimeProvider>(Clock));
        builder.ConfigureLogging(l => l.AddProvider(Logs));
    }
}
