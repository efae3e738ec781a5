using Microsoft.EntityFrameworkCore;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Workflow;

/// <summary>
/// Signs every audit chain's head after it advanced (woken after each command, and every Audit:CheckpointInterval
/// for writes made elsewhere) and appends the checkpoints to the log outside the database. A head is signed only
/// if the chain still extends its last checkpoint entry by entry, so a rewrite made between two checkpoints is
/// never signed over: it stays visible to verification.
/// </summary>
public sealed class AuditCheckpointer(IServiceScopeFactory scopes, AuditCheckpoints checkpoints, TimeProvider clock, IConfiguration configuration, ILogger<AuditCheckpointer> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim wake = new(0, 1);

    /// <summary>Asks for a round soon (after a commit that appended to a chain).</summary>
    public void Pulse()
    {
        if (wake.CurrentCount == 0)
        {
            try
            {
                wake.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("Audit:CheckpointInterval", TimeSpan.FromSeconds(30));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Audit checkpoint round failed; the next round tries again");
            }

            using var timeout = new CancellationTokenSource(interval, clock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
            try
            {
                await wake.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>One round: signs each chain whose head moved past its checkpoint; answers how many it signed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WorkflowDbContext>();
        var latest = checkpoints.Latest();
        var heads = await db.Reports.AsNoTracking().Where(r => r.AuditSequence > 0).Select(r => new { r.Id, r.AuditSequence, r.AuditHead }).ToListAsync(ct);
        var county = await db.AuditEntries.AsNoTracking().Where(e => e.ReportId == Guid.Empty).OrderByDescending(e => e.Sequence).Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(ct);
        var chains = heads.Select(h => (Chain: h.Id, Sequence: h.AuditSequence, Hash: h.AuditHead ?? AuditTrail.Genesis)).ToList();
        if (county is not null)
        {
            chains.Add((Guid.Empty, county.Sequence, county.Hash));
        }

        var signed = new List<AuditCheckpoint>();
        foreach (var (chain, sequence, hash) in chains)
        {
            var last = latest.GetValueOrDefault(chain);
            if (last is not null && last.Sequence >= sequence)
            {
                continue;
            }

            var from = last?.Sequence ?? 1;
            var entries = await db.AuditEntries.AsNoTracking().Where(e => e.ReportId == chain && e.Sequence >= from && e.Sequence <= sequence).OrderBy(e => e.Sequence).ToListAsync(ct);
            if (Extends(chain, entries, last, sequence, hash) is { } problem)
            {
                logger.LogError("Audit chain {Chain} is not signed at entry {Sequence}: {Problem}", chain, sequence, problem);
                continue;
            }

            signed.Add(checkpoints.Sign(chain, sequence, hash, clock.GetUtcNow()));
        }

        checkpoints.Append(signed);
        return signed.Count;
    }

    /// <summary>Why the entries from the last checkpoint up to the head do not make an unbroken extension of it, or null.</summary>
    private static string? Extends(Guid chain, List<AuditEntry> entries, AuditCheckpoint? last, long sequence, string hash)
    {
        var walk = new AuditTrail.ChainWalk(chain, null);
        if (last is not null)
        {
            // The checkpointed entry itself must still be there, unchanged; the walk goes on from it.
            if (entries.FirstOrDefault() is not { } first || first.Sequence != last.Sequence || first.Hash != last.Hash || AuditTrail.ComputeHash(first) != first.Hash)
            {
                return $"entry {last.Sequence} is not the one checkpointed on {last.At:u}";
            }

            walk = AuditTrail.ChainWalk.After(chain, last.Sequence, last.Hash);
            entries = entries[1..];
        }

        foreach (var e in entries)
        {
            if (!walk.Step(e))
            {
                break;
            }
        }

        return walk.Result(new AuditTrail.ChainHead(sequence, hash)).FirstBroken?.Reason;
    }
}
