using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Workflow.Persistence;

/// <summary>
/// Releases up to 2026-11-22 built SQLite and PostgreSQL databases with hand-written migrations. The first
/// tool-generated migration of each provider (its baseline) creates exactly the schema those six made, so a
/// database that has all six is recorded as having the baseline and then takes the later migrations as usual.
/// </summary>
internal static class LegacyHistory
{
    private static readonly string[] HandWritten =
    [
        "20261122000001_Initial",
        "20261122000002_OutlineLayout",
        "20261122000003_Messaging",
        "20261122000004_Deadlines",
        "20261122000005_OpinionPhrases",
        "20261122000006_AuditTime",
    ];

    public static async Task AdoptAsync(WorkflowDbContext db, CancellationToken ct)
    {
        var history = db.GetService<IHistoryRepository>();
        if (!await history.ExistsAsync(ct))
        {
            return;
        }

        var applied = await AppliedAsync(history, ct);
        if (!applied.Overlaps(HandWritten))
        {
            return;
        }

        var known = db.GetService<IMigrationsAssembly>().Migrations.Keys.ToHashSet(StringComparer.Ordinal);
        var baseline = known.Order(StringComparer.Ordinal).First();
        if (applied.Contains(baseline))
        {
            return;
        }

        // A migration neither hand-written nor generated (a hotfix branch's) means a schema the baseline does not describe.
        var foreign = applied.Where(m => !HandWritten.Contains(m) && !known.Contains(m)).Order(StringComparer.Ordinal).ToList();
        if (foreign.Count > 0)
        {
            throw new DatabaseStartupException(
                $"The database named by {DatabaseSettings.ConnectionKey} has migrations this release does not know ({string.Join(", ", foreign)}); it was changed by another build and is left as it is.");
        }

        if (!applied.Contains(HandWritten[^1]))
        {
            var last = applied.Where(HandWritten.Contains).Max(StringComparer.Ordinal);
            throw new DatabaseStartupException(
                $"The database named by {DatabaseSettings.ConnectionKey} was made by an early release (its last migration is {last}); " +
                $"start the release of 2026-11-22 on it once to bring it to {HandWritten[^1]}, then this one.");
        }

        try
        {
            await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(baseline, ProductInfo.GetVersion())), ct);
        }
        catch (DbException)
        {
            // Another host starting at the same moment may have recorded it first; anything else is a real failure.
            if (!(await AppliedAsync(history, ct)).Contains(baseline))
            {
                throw;
            }
        }
    }

    private static async Task<HashSet<string>> AppliedAsync(IHistoryRepository history, CancellationToken ct) =>
        (await history.GetAppliedMigrationsAsync(ct)).Select(r => r.MigrationId).ToHashSet(StringComparer.Ordinal);
}
