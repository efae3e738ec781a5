namespace Workflow.Host.Features.Tasks;

/// <summary>Deadline settings (section "Deadlines").</summary>
public sealed class DeadlineOptions
{
    /// <summary>How often pending tasks are checked for reminders and escalations.</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long after a reminder by hand (催办) the next one for the same task is allowed.</summary>
    public TimeSpan ManualReminderInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Background scan for reminders and escalations. It waits on the injected <see cref="TimeProvider"/>, so tests
/// that move a fake clock drive it; what was sent is stored on the task rows, so a restart resumes without
/// repeating anything.
/// </summary>
public sealed class DeadlineMonitor(IServiceScopeFactory scopes, TimeProvider clock, Microsoft.Extensions.Options.IOptions<DeadlineOptions> options, ILogger<DeadlineMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ScanInterval > TimeSpan.Zero ? options.Value.ScanInterval : TimeSpan.FromMinutes(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<TaskReminders>().ScanAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A database hiccup must not end the monitor; the next scan picks up what this one missed.
                logger.LogError(ex, "Deadline scan failed; retrying at the next interval");
            }

            try
            {
                await Task.Delay(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
