using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Messaging;

/// <summary>
/// Hands freshly committed outbox rows to this process's dispatcher. The rows are claimed for it (lease)
/// inside the writing transaction, so after the commit the dispatcher publishes them straight from memory:
/// no query, no claiming UPDATE, no wait for the single SQLite writer between a commit and its notice. If the
/// process dies first, the lease runs out and the rows are found by the dispatcher's regular scan (here after a
/// restart, or by another host).
/// </summary>
public sealed class OutboxSignal(TimeProvider clock)
{
    private readonly SemaphoreSlim signal = new(0, 1);
    private readonly ConcurrentQueue<OutboxMessage> ready = new();

    /// <summary>Identifies this process's claims (OutboxMessage.LockedBy).</summary>
    public string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>Set by a running dispatcher; without one, rows are left unclaimed for other hosts to publish.</summary>
    public bool DispatcherRunning { get; set; }

    /// <summary>
    /// The dispatcher's last view of the bus. During an outage rows are not queued in memory (they would only
    /// pile up and go stale); the scan publishes them once the broker is back.
    /// </summary>
    public bool BusReachable { get; set; } = true;

    /// <summary>At most this many rows wait in memory; beyond it the scan takes over.</summary>
    public const int MaxReady = 10_000;

    /// <summary>Claims the outbox rows about to be saved in the caller's transaction; returns them for <see cref="Committed"/>.</summary>
    public IReadOnlyList<OutboxMessage> Claim(WorkflowDbContext db)
    {
        var rows = db.ChangeTracker.Entries<OutboxMessage>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        // Claimed only when they will be published from memory; otherwise they stay free for the next scan
        // (a claimed row nobody holds in memory would wait out its lease).
        if (DispatcherRunning && BusReachable && ready.Count < MaxReady)
        {
            var until = clock.GetUtcNow() + OutboxDispatcher.Lease;
            foreach (var row in rows)
            {
                row.LockedBy = Owner;
                row.LockedUntil = until;
            }
        }

        return rows;
    }

    /// <summary>After the commit: queue the claimed rows and wake the dispatcher.</summary>
    public void Committed(IReadOnlyList<OutboxMessage> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        // Whatever was claimed at write time is queued, whatever the bus did since: the claim was the promise.
        foreach (var row in rows.Where(r => r.LockedBy == Owner))
        {
            ready.Enqueue(row);
        }

        Notify();
    }

    /// <summary>Rows handed over after their commit, still within their lease (a stale one is left to the scan).</summary>
    public List<OutboxMessage> TakeReady(int max)
    {
        var now = clock.GetUtcNow();
        var taken = new List<OutboxMessage>();
        while (taken.Count < max && ready.TryDequeue(out var row))
        {
            // Keep a margin for the publish itself, so the lease cannot run out while it is under way.
            if (row.LockedUntil - now > OutboxDispatcher.PublishTimeout)
            {
                taken.Add(row);
            }

        }

        return taken;
    }

    public void Notify()
    {
        // A pending wake-up is enough; more would only make the dispatcher loop for nothing.
        if (signal.CurrentCount == 0)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => signal.WaitAsync(timeout, ct);
}
