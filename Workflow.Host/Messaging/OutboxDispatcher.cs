using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Messaging;

/// <summary>
/// Publishes outbox rows after their transaction committed. Rows are claimed with a lease (LockedBy /
/// LockedUntil, set by a conditional UPDATE), so several hosts on one database never publish a row twice at
/// once and a crashed host's rows are taken over when the lease runs out. A failed publish is retried with
/// back-off and parked after MaxAttempts with its error kept. The message id is the outbox row id, so
/// consumers can recognise a redelivery.
/// A broker outage is not the message's fault: while the bus reports itself unhealthy nothing is published,
/// and a publish that fails because of it neither counts toward parking nor waits out a long back-off, so
/// the backlog drains as soon as the broker is back. Only failures on a healthy bus are counted and parked.
/// </summary>
public sealed class OutboxDispatcher(IServiceScopeFactory scopes, OutboxSignal signal, IBusControl busControl, TimeProvider clock, IConfiguration configuration, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    public const int MaxAttempts = 10;
    public const int BatchSize = 50;
    // Long enough to outlast a publish (PublishTimeout), short enough that a crashed host's rows move on soon.
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan OutageProbe = TimeSpan.FromMilliseconds(500);
    private readonly string owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private bool outage;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Messaging:Dispatcher:Enabled=false runs a host that only writes the outbox (e.g. a web-only node);
        // another host publishes for it.
        if (!configuration.GetValue("Messaging:Dispatcher:Enabled", true))
        {
            logger.LogWarning("Outbox dispatcher disabled by configuration (Messaging:Dispatcher:Enabled=false)");
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!BusReachable())
                {
                    await Task.Delay(OutageProbe, stoppingToken);
                    continue;
                }

                var published = await DispatchBatchAsync(stoppingToken);
                if (outage)
                {
                    await Task.Delay(OutageProbe, stoppingToken);
                }
                else if (published < BatchSize)
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

    /// <summary>Claims and publishes one batch; returns how many rows it handled.</summary>
    public async Task<int> DispatchBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WorkflowDbContext>();
        var bus = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        var now = clock.GetUtcNow();
        var candidates = await db.Outbox.AsNoTracking()
            .Where(o => o.SentAt == null && o.ParkedAt == null && (o.LockedUntil == null || o.LockedUntil < now) && (o.NextAttemptAt == null || o.NextAttemptAt <= now))
            .OrderBy(o => o.CreatedAt)
            .Select(o => new { o.Id, o.LockedUntil })
            .Take(BatchSize)
            .ToListAsync(ct);

        var handled = 0;
        foreach (var candidate in candidates)
        {
            var until = now + Lease;
            var claimed = await db.Outbox
                .Where(o => o.Id == candidate.Id && o.SentAt == null && (o.LockedUntil == null || o.LockedUntil < now))
                .ExecuteUpdateAsync(u => u.SetProperty(o => o.LockedBy, owner).SetProperty(o => o.LockedUntil, until), ct);
            if (claimed == 0)
            {
                continue;
            }

            var row = await db.Outbox.AsNoTracking().SingleAsync(o => o.Id == candidate.Id, ct);
            try
            {
                var type = OutboxWriter.Contracts[row.MessageType];
                var message = JsonSerializer.Deserialize(row.Payload, type, JsonDefaults.Storage)!;
                // A broker that is down would hold the publish indefinitely; fail it and back off instead.
                using (var publishTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    publishTimeout.CancelAfter(PublishTimeout);
                    await bus.Publish(message, type, ctx => ctx.MessageId = row.Id, publishTimeout.Token);
                }

                await db.Outbox.Where(o => o.Id == row.Id && o.LockedBy == owner)
                    .ExecuteUpdateAsync(u => u.SetProperty(o => o.SentAt, clock.GetUtcNow()).SetProperty(o => o.LockedUntil, (DateTimeOffset?)null), ct);
                handled++;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && !BusReachable())
            {
                // The broker went away under us: note why the row waits, keep its attempts, stop this batch.
                var error = Truncate($"Broker unavailable: {ex.Message}");
                await db.Outbox.Where(o => o.Id == row.Id)
                    .ExecuteUpdateAsync(u => u.SetProperty(o => o.LastError, error).SetProperty(o => o.LockedUntil, (DateTimeOffset?)null), ct);
                logger.LogWarning("Broker unavailable; outbox message {Id} and the rest wait for it: {Error}", row.Id, ex.Message);
                break;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                var attempts = row.Attempts + 1;
                var backoff = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, attempts)));
                DateTimeOffset? parked = attempts >= MaxAttempts ? clock.GetUtcNow() : null;
                var error = Truncate(ex.Message);
                await db.Outbox.Where(o => o.Id == row.Id)
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
        }

        return handled;
    }

    private static string Truncate(string text) => text.Length > 2000 ? text[..2000] : text;

    /// <summary>False while the bus is not connected (not started yet, or the broker is down); logs the change once.</summary>
    private bool BusReachable()
    {
        var reachable = busControl.CheckHealth().Status != BusHealthStatus.Unhealthy;
        if (reachable == outage)
        {
            outage = !reachable;
            if (outage)
            {
                logger.LogWarning("Message bus unreachable; holding the outbox until it is back");
            }
            else
            {
                logger.LogInformation("Message bus reachable again; publishing the outbox");
            }
        }

        return reachable;
    }
}
