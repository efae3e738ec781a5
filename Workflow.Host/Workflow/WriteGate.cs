using Workflow.Persistence;

namespace Workflow.Host.Workflow;

/// <summary>
/// Serialises write transactions inside this process when the database is SQLite. SQLite admits one
/// writer at a time anyway, and Microsoft.Data.Sqlite waits for a busy lock by sleeping in 150 ms steps,
/// which turned 8 concurrent approvals into multi-second tails; queueing here hands the lock over at
/// once. PostgreSQL has row locks, so there writers go straight through.
/// </summary>
public sealed class WriteGate(DatabaseSettings settings) : IDisposable
{
    private readonly SemaphoreSlim? gate = settings.Provider == DatabaseProvider.Sqlite ? new SemaphoreSlim(1, 1) : null;

    public async ValueTask<IDisposable?> EnterAsync(CancellationToken ct)
    {
        if (gate is null)
        {
            return null;
        }

        await gate.WaitAsync(ct);
        return new Release(gate);
    }

    public void Dispose() => gate?.Dispose();

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
