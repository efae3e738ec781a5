using Workflow.Persistence;

namespace Workflow.Host.Workflow;

/// <summary>
/// Serialises write transactions inside this process when the database is SQLite. SQLite admits one
/// writer at a time anyway, and Microsoft.Data.Sqlite waits for a busy lock by sleeping in 150 ms steps,
/// which turned 8 concurrent approvals into multi-second tails; queueing here hands the lock over at
/// once. Short background writes (a consumer's notice, the outbox's bookkeeping) may go before waiting
/// commands: they take a millisecond or two, and a notice should not queue behind a stream of approvals.
/// PostgreSQL has row locks, so there writers go straight through.
/// </summary>
public sealed class WriteGate(DatabaseSettings settings)
{
    private readonly bool enabled = settings.Provider == DatabaseProvider.Sqlite;
    private readonly object sync = new();
    private readonly Queue<TaskCompletionSource> urgent = new();
    private readonly Queue<TaskCompletionSource> waiting = new();
    private bool held;
    private int urgentInARow;

    // Urgent writes go first, but not forever: after this many in a row a waiting command gets its turn.
    private const int MaxUrgentInARow = 8;

    /// <summary>Waits for the single writer's turn; dispose the result to hand it on. Null when no gate is needed.</summary>
    public async ValueTask<IDisposable?> EnterAsync(CancellationToken ct, bool urgentWrite = false)
    {
        if (!enabled)
        {
            return null;
        }

        TaskCompletionSource turn;
        lock (sync)
        {
            if (!held)
            {
                held = true;
                return new Release(this);
            }

            turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (urgentWrite ? urgent : waiting).Enqueue(turn);
        }

        // A cancelled waiter stays queued with a cancelled task; HandOn skips it. If the turn was granted
        // first, cancelling fails and the caller owns the turn as usual.
        using (ct.Register(() => turn.TrySetCanceled(ct)))
        {
            await turn.Task;
        }

        return new Release(this);
    }

    private void HandOn()
    {
        lock (sync)
        {
            // A cancelled waiter's completion fails; skip it and wake the next one.
            while (true)
            {
                var commandsFirst = urgentInARow >= MaxUrgentInARow && waiting.Count > 0;
                TaskCompletionSource? next;
                if (!commandsFirst && urgent.TryDequeue(out next))
                {
                    if (next.TrySetResult())
                    {
                        urgentInARow++;
                        return;
                    }
                }
                else if (waiting.TryDequeue(out next))
                {
                    if (next.TrySetResult())
                    {
                        urgentInARow = 0;
                        return;
                    }
                }
                else
                {
                    break;
                }
            }

            held = false;
        }
    }

    private sealed class Release(WriteGate gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                gate.HandOn();
            }
        }
    }
}
