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
/// </summary>
public sealed class OutboxDispatcher(IServiceScopeFactory scopes, OutboxSignal signal, TimeProvider clock, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    public const int MaxAttempts = 10;
    public const int BatchSize = 50;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);
    private readonly string owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var published = await DispatchBatchAsync(stoppingToken);
                if (published < BatchSize)
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
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                var attempts = row.Attempts + 1;
                var backoff = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, attempts)));
                DateTimeOffset? parked = attempts >= MaxAttempts ? clock.GetUtcNow() : null;
                var error = ex.Message.Length > 2000 ? ex.Message[..2000] : ex.Message;
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
}
