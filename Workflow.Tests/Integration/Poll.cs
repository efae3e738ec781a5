namespace Workflow.Tests.Integration;

/// <summary>
/// Waits for a condition that background work (a consumer, the checkpointer, the sign-in trail) makes true, checking it
/// on a short period and failing with <paramref name="what"/> once the deadline passes: never a fixed sleep.
/// </summary>
public static class Poll
{
    public static async Task Until(Func<bool> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} within {within.TotalSeconds:0} s");
            await timer.WaitForNextTickAsync(TestContext.Current.CancellationToken);
        }
    }
}
