using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Messaging;

/// <summary>
/// Publishes outbox rows after their transaction committed. Rows are claimed with a lease (LockedBy /
/// LockedUntil, set by a conditional UPDATE), so several hosts on one database never publish a row twice at
/// once and a crashed host's rows are taken over when the lease runs out. A batch is claimed in one UPDATE,
/// published concurrently and marked sent in one UPDATE, so a busy host pays two writes per batch rather
/// than per message. A failed publish is retried with back-off and parked after MaxAttempts with its error
/// kept. The message id is the outbox row id, so consumers can recognise a redelivery.
/// A broker outage is not the message's fault: while the bus reports itself unhealthy nothing is published,
/// and a publish that fails because of it neither counts toward parking nor waits out a long back-off, so
/// the backlog drains as soon as the broker is back. Only failures on a healthy bus are counted and parked.
/// </summary>
public sealed class OutboxDispatcher(IServiceScopeFactory scopes, OutboxSignal signal, IBusControl busControl, WriteGate gate, TimeProvider clock, IConfiguration configuration, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    public const int MaxAttempts = 10;
    public const int BatchSize = 50;

    // Long enough to outlast a publish (PublishTimeout), short enough that a crashed host's rows move on soon.
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan OutageProbe = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan OutageRetry = TimeSpan.FromSeconds(5);

    // The bus is not connected for a moment at start-up; only an outage that lasts is worth a warning.
    private static readonly TimeSpan OutageWarningAfter = TimeSpan.FromSeconds(5);
    private readonly string owner = signal.Owner;
    private DateTimeOffset lastScan = DateTimeOffset.MinValue;

    // Pacing during an outage is about the real broker, so it runs on a real stopwatch, not the injected
    // clock (a test's frozen clock would otherwise stop the dispatcher for good).
    private readonly System.Diagnostics.Stopwatch lastAttempt = new();
    private System.Diagnostics.Stopwatch? outageSince;

    // The last scan claimed a full batch: more rows wait (an outage's backlog, a crashed or web-only host's
    // rows), so scan again at once instead of once per poll interval beside this host's own traffic.
    private bool scanBacklog;
    private bool warned;
    private string outageReason = "";
    private bool outageFromHealth;
    private bool seenHealthy;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Messaging:Dispatcher:Enabled=false runs a host that only writes the outbox (e.g. a web-only node);
        // another host publishes for it.
        if (!configuration.GetValue("Messaging:Dispatcher:Enabled", true))
        {
            logger.LogWarning("Outbox dispatcher disabled by configuration (Messaging:Dispatcher:Enabled=false)");
            return;
        }

        signal.DispatcherRunning = true;
        stoppingToken.Register(() => signal.DispatcherRunning = false);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // During an outage (the bus reports itself unhealthy, or publishes fail for want of a broker)
                // try only every few seconds: each try costs a publish timeout and nothing comes of it. A bus
                // that is merely "unhealthy" (one faulted receive endpoint) but can publish keeps going.
                var healthy = busControl.CheckHealth().Status != BusHealthStatus.Unhealthy;
                seenHealthy |= healthy;
                if (!seenHealthy)
                {
                    // Not started yet. Publishing now could beat the consumers' queue bindings on a fresh broker,
                    // and RabbitMQ drops a message sent to an exchange nothing is bound to yet.
                    await Task.Delay(OutageProbe, stoppingToken);
                    continue;
                }

                if (!healthy)
                {
                    EnterOutage("the bus reports itself unhealthy", fromHealth: true);
                }
                else if (outageFromHealth)
                {
                    // Connected again (or just started): no need to wait for a publish to prove it.
                    LeaveOutage();
                }

                if ((!healthy || outageSince is not null) && lastAttempt.IsRunning && lastAttempt.Elapsed < OutageRetry)
                {
                    await Task.Delay(OutageProbe, stoppingToken);
                    continue;
                }

                lastAttempt.Restart();
                var published = await DispatchBatchAsync(stoppingToken);
                if (outageSince is not null)
                {
                    await Task.Delay(OutageProbe, stoppingToken);
                }
                else if (published < BatchSize && !scanBacklog)
                {
                    await signal.WaitAsync(Poll, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Outbox dispatch failed; retrying shortly");
                await Task.Delay(Poll, stoppingToken);
            }
        }
    }

    /// <summary>
    /// Publishes what was handed over after recent commits and, when nothing was or a poll interval has passed,
    /// claims a batch from the table (rows of other writers, of a crashed host, or due for a retry); returns how
    /// many rows it published.
    /// </summary>
    public async Task<int> DispatchBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WorkflowDbContext>();
        var bus = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        var published = 0;
        var handedOver = signal.TakeReady(BatchSize);
        if (handedOver.Count > 0)
        {
            published += await PublishRowsAsync(db, bus, handedOver, ct);
        }

        if (handedOver.Count == 0 || scanBacklog || clock.GetUtcNow() - lastScan >= Poll)
        {
            lastScan = clock.GetUtcNow();
            published += await ScanAsync(db, bus, ct);
        }

        return published;
    }

    private async Task<int> ScanAsync(WorkflowDbContext db, IPublishEndpoint bus, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var candidates = await db.Outbox.AsNoTracking()
            .Where(o => o.SentAt == null && o.ParkedAt == null && (o.LockedUntil == null || o.LockedUntil < now) && (o.NextAttemptAt == null || o.NextAttemptAt <= now))
            .OrderBy(o => o.CreatedAt)
            .Select(o => o.Id)
            .Take(BatchSize)
            .ToListAsync(ct);
        scanBacklog = candidates.Count == BatchSize;
        if (candidates.Count == 0)
        {
            return 0;
        }

        // One conditional UPDATE claims what no other host holds; the lease end marks this claim's rows.
        var until = now + Lease;
        using (await gate.EnterAsync(ct, urgentWrite: true))
        {
            await db.Outbox
                .Where(o => candidates.Contains(o.Id) && o.SentAt == null && o.ParkedAt == null && (o.LockedUntil == null || o.LockedUntil < now)
                    && (o.NextAttemptAt == null || o.NextAttemptAt <= now))
                .ExecuteUpdateAsync(u => u.SetProperty(o => o.LockedBy, owner).SetProperty(o => o.LockedUntil, until), ct);
        }

        var rows = await db.Outbox.AsNoTracking()
            .Where(o => candidates.Contains(o.Id) && o.LockedBy == owner && o.LockedUntil == until)
            .OrderBy(o => o.CreatedAt)
            .ToListAsync(ct);
        return await PublishRowsAsync(db, bus, rows, ct);
    }

    /// <summary>Publishes rows this host holds the lease of, marks the sent ones and records the failures.</summary>
    private async Task<int> PublishRowsAsync(WorkflowDbContext db, IPublishEndpoint bus, List<OutboxMessage> rows, CancellationToken ct)
    {
        var results = await Task.WhenAll(rows.Select(row => PublishAsync(bus, row, ct)));

        // What was published is marked even when the host is stopping (hence no cancellation token here):
        // an unmarked row would be published again after its lease.
        var sent = rows.Where((_, i) => results[i] is null).Select(r => r.Id).ToList();
        if (sent.Count > 0)
        {
            using (await gate.EnterAsync(CancellationToken.None, urgentWrite: true))
            {
                await db.Outbox.Where(o => sent.Contains(o.Id) && o.LockedBy == owner)
                    .ExecuteUpdateAsync(u => u.SetProperty(o => o.SentAt, clock.GetUtcNow()).SetProperty(o => o.LockedUntil, (DateTimeOffset?)null), CancellationToken.None);
            }
        }

        ct.ThrowIfCancellationRequested();
        if (sent.Count > 0)
        {
            LeaveOutage();
        }

        var failed = rows.Select((row, i) => (row, error: results[i])).Where(f => f.error is not null).ToList();
        if (failed.Count > 0)
        {
            var unhealthy = busControl.CheckHealth().Status == BusHealthStatus.Unhealthy;
            using (await gate.EnterAsync(ct, urgentWrite: true))
            {
                foreach (var (row, error) in failed)
                {
                    var outage = unhealthy || IsTransportFailure(error!);
                    if (outage)
                    {
                        EnterOutage(error!.Message, fromHealth: false);
                    }

                    await RecordFailureAsync(db, row, error!, outage, ct);
                }
            }
        }

        return sent.Count;
    }

    private static async Task<Exception?> PublishAsync(IPublishEndpoint bus, OutboxMessage row, CancellationToken ct)
    {
        try
        {
            var type = OutboxWriter.Contracts[row.MessageType];
            var message = JsonSerializer.Deserialize(row.Payload, type, JsonDefaults.Storage)!;
            // A broker that is down would hold the publish indefinitely; fail it and back off instead.
            using var publishTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            publishTimeout.CancelAfter(PublishTimeout);
            await bus.Publish(message, type, ctx => ctx.MessageId = row.Id, publishTimeout.Token);
            return null;
        }
        catch (Exception ex)
        {
            // Returned, not thrown, so one failure (or the host stopping) does not hide which rows did go out.
            return ex;
        }
    }

    private async Task RecordFailureAsync(WorkflowDbContext db, OutboxMessage row, Exception ex, bool outage, CancellationToken ct)
    {
        if (outage)
        {
            // The broker went away under us: note why the row waits and release it, keeping its attempts.
            var why = Truncate($"Broker unavailable: {ex.Message}");
            await db.Outbox.Where(o => o.Id == row.Id && o.LockedBy == owner)
                .ExecuteUpdateAsync(u => u.SetProperty(o => o.LastError, why).SetProperty(o => o.LockedUntil, (DateTimeOffset?)null), ct);
            logger.LogWarning("Broker unavailable; outbox message {Id} waits for it: {Error}", row.Id, ex.Message);
            return;
        }

        var attempts = row.Attempts + 1;
        var backoff = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, attempts)));
        DateTimeOffset? parked = attempts >= MaxAttempts ? clock.GetUtcNow() : null;
        var error = Truncate(ex.Message);
        await db.Outbox.Where(o => o.Id == row.Id && o.LockedBy == owner)
            .ExecuteUpdateAsync(
                u => u.SetProperty(o => o.Attempts, attempts)
                    .SetProperty(o => o.LastError, error)
                    .SetProperty(o => o.NextAttemptAt, clock.GetUtcNow() + backoff)
                    .SetProperty(o => o.ParkedAt, parked)
                    .SetProperty(o => o.LockedUntil, (DateTimeOffset?)null),
                ct);
        if (parked is not null)
        {
            logger.LogError(ex, "Outbox message {Id} ({Type}) parked after {Attempts} failed attempts", row.Id, row.MessageType, attempts);
        }
        else
        {
            logger.LogWarning(ex, "Publishing outbox message {Id} ({Type}) failed (attempt {Attempts}); next try in {Backoff}", row.Id, row.MessageType, attempts, backoff);
        }
    }

    private static string Truncate(string text) => text.Length > 2000 ? text[..2000] : text;

    /// <summary>
    /// A publish that failed for want of a broker (timed out, connection refused or lost) rather than because
    /// of the message itself; such failures never count toward parking.
    /// </summary>
    private static bool IsTransportFailure(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            var ns = e.GetType().Namespace ?? "";
            if (e is OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException or System.IO.IOException
                || e is MassTransit.ConnectionException
                || ns.StartsWith("RabbitMQ.Client", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private void EnterOutage(string why, bool fromHealth)
    {
        signal.BusReachable = false;
        // A failed publish outranks the health report: only a successful publish ends that outage.
        outageFromHealth = fromHealth && (outageSince is null || outageFromHealth);
        if (outageSince is null)
        {
            outageSince = System.Diagnostics.Stopwatch.StartNew();
            outageReason = why;
        }
        else if (!warned && outageSince.Elapsed >= OutageWarningAfter)
        {
            warned = true;
            logger.LogWarning("Message broker unavailable for {Seconds:F0} s ({Reason}); holding the outbox until it is back", outageSince.Elapsed.TotalSeconds, outageReason);
        }
    }

    private void LeaveOutage()
    {
        if (outageSince is not null && warned)
        {
            logger.LogInformation("Message broker available again after {Seconds:F0} s; publishing the outbox", outageSince.Elapsed.TotalSeconds);
        }

        outageSince = null;
        outageFromHealth = false;
        warned = false;
        signal.BusReachable = true;
    }
}
