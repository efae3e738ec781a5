using Microsoft.EntityFrameworkCore;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Messaging;

/// <summary>
/// Remembers, per message, which recipients of an outside channel (an e-mail address, a webhook endpoint)
/// were already served, in the Inbox table with one row per (recipient key, message id). Unlike the in-app
/// channel, a send cannot be rolled back with a transaction, so each recipient is recorded right after its
/// own send: a retry after a partial failure serves only those still missing.
/// </summary>
public sealed class DeliveryLedger(WorkflowDbContext db, WriteGate gate, DeliveryLocks locks, TimeProvider clock, ILogger<DeliveryLedger> logger)
{
    /// <summary>Inbox.Consumer is at most 100 characters.</summary>
    public const int MaxKeyLength = 100;

    /// <summary>
    /// Holds off a second delivery of the same message in this process until the first is done, so a
    /// duplicate that arrives while the first is still sending finds its recipients recorded.
    /// </summary>
    public ValueTask<IDisposable> LockAsync(string channel, Guid messageId, CancellationToken ct) =>
        locks.EnterAsync($"{channel}:{messageId:N}", ct);

    /// <summary>The keys among <paramref name="keys"/> already served for this message.</summary>
    public async Task<HashSet<string>> ServedAsync(Guid messageId, IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        var served = await db.Inbox.AsNoTracking()
            .Where(i => i.MessageId == messageId && keys.Contains(i.Consumer))
            .Select(i => i.Consumer)
            .ToListAsync(ct);
        return served.ToHashSet(StringComparer.Ordinal);
    }

    public async Task RecordAsync(string key, Guid messageId, CancellationToken ct)
    {
        using (await gate.EnterAsync(ct, urgentWrite: true))
        {
            db.Inbox.Add(new InboxRecord { Consumer = key, MessageId = messageId, ProcessedAt = clock.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
                if (!await db.Inbox.AsNoTracking().AnyAsync(i => i.Consumer == key && i.MessageId == messageId, ct))
                {
                    throw;
                }

                // Another host delivered the same message at the same moment (possible only when one message was
                // published twice); the recipient got it twice, which at-least-once delivery allows.
                logger.LogWarning("{Key} was served message {MessageId} by another host at the same time", key, messageId);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }
}

/// <summary>In-process mutual exclusion by key; entries live only while someone holds or waits for them.</summary>
public sealed class DeliveryLocks
{
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public async ValueTask<IDisposable> EnterAsync(string key, CancellationToken ct)
    {
        Entry entry;
        lock (entries)
        {
            if (!entries.TryGetValue(key, out entry!))
            {
                entry = new Entry();
                entries[key] = entry;
            }

            entry.Users++;
        }

        try
        {
            await entry.Gate.WaitAsync(ct);
        }
        catch
        {
            Leave(key, entry, release: false);
            throw;
        }

        return new Holder(this, key, entry);
    }

    private void Leave(string key, Entry entry, bool release)
    {
        if (release)
        {
            entry.Gate.Release();
        }

        lock (entries)
        {
            if (--entry.Users == 0)
            {
                entries.Remove(key);
                entry.Gate.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Holder(DeliveryLocks owner, string key, Entry entry) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                owner.Leave(key, entry, release: true);
            }
        }
    }
}
