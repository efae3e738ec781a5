using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Workflow;

/// <param name="Code">What kind of break: missing, link, altered or truncated; lets a page explain it in the reader's language.</param>
public sealed record BrokenEntry(long Sequence, Guid Id, string Reason, string Code);

/// <param name="Checkpoint">The latest signed checkpoint outside the database that the chain was held to, if any.</param>
public sealed record ChainVerification(Guid ReportId, bool Intact, int Entries, BrokenEntry? FirstBroken, CheckpointRef? Checkpoint = null);

/// <summary>A signed checkpoint as a reader sees it: the entry it vouches for, when, and a short fingerprint of its signature.</summary>
public sealed record CheckpointRef(long Sequence, DateTimeOffset At, string Fingerprint)
{
    public static CheckpointRef Of(AuditCheckpoint c) => new(c.Sequence, c.At, c.Mac[..16]);
}

/// <summary>
/// Appends audit entries to the per-report hash chain, in the caller's transaction, and verifies chains.
/// The unique (ReportId, Sequence) index makes a racing second writer fail and retry rather than fork the chain.
/// </summary>
public sealed class AuditTrail(WorkflowDbContext db, TimeProvider clock, AuditCheckpoints checkpoints)
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public async Task<AuditEntry> AppendAsync(Guid reportId, Guid? sectionId, string actorId, string actorName, string action, object data, CancellationToken ct)
    {
        long sequence;
        string previous;
        Report? report = null;
        if (reportId == Guid.Empty)
        {
            var pending = db.AuditEntries.Local.Where(e => e.ReportId == reportId && db.Entry(e).State == EntityState.Added).MaxBy(e => e.Sequence);
            var last = pending ?? await db.AuditEntries.AsNoTracking().Where(e => e.ReportId == reportId).OrderByDescending(e => e.Sequence).FirstOrDefaultAsync(ct);
            sequence = (last?.Sequence ?? 0) + 1;
            previous = last?.Hash ?? Genesis;
        }
        else
        {
            report = await LockReportAsync(reportId, ct);
            sequence = report.AuditSequence + 1;
            previous = report.AuditHead ?? Genesis;
        }

        var entry = new AuditEntry
        {
            Id = Guid.NewGuid(),
            ReportId = reportId,
            Sequence = sequence,
            SectionId = sectionId,
            ActorId = actorId,
            ActorName = actorName,
            Action = action,
            Data = JsonSerializer.Serialize(data, JsonDefaults.Storage),
            At = clock.GetUtcNow(),
            PreviousHash = previous,
            Hash = "",
        };
        entry.Hash = ComputeHash(entry);
        db.AuditEntries.Add(entry);
        if (report is not null)
        {
            report.AuditSequence = entry.Sequence;
            report.AuditHead = entry.Hash;
        }

        return entry;
    }

    /// <summary>
    /// The report row carries the chain head. On PostgreSQL and SQL Server it is locked first, so commands on
    /// different sections of one report append one after the other instead of failing on the same sequence
    /// number; SQLite already admits one writer at a time.
    /// </summary>
    public async Task<Report> LockReportAsync(Guid reportId, CancellationToken ct)
    {
        // A report created or already appended to in this transaction holds the newest head (and its lock).
        var tracked = db.Reports.Local.FirstOrDefault(r => r.Id == reportId);
        if (tracked is not null && db.Entry(tracked).State is EntityState.Added or EntityState.Modified)
        {
            return tracked;
        }

        switch (db.Provider)
        {
            case DatabaseProvider.PostgreSql:
                await db.Database.ExecuteSqlAsync($"SELECT 1 FROM \"Reports\" WHERE \"Id\" = {reportId} FOR UPDATE", ct);
                break;
            case DatabaseProvider.SqlServer:
                // UPDLOCK: the next writer of this report waits here until commit while readers go on; HOLDLOCK:
                // the lock holds even for an id not (yet) there; ROWLOCK: one row, never a page or the table.
                await db.Database.ExecuteSqlAsync($"SELECT 1 FROM [Reports] WITH (UPDLOCK, HOLDLOCK, ROWLOCK) WHERE [Id] = {reportId}", ct);
                break;
        }

        if (tracked is not null)
        {
            await db.Entry(tracked).ReloadAsync(ct);
            return tracked;
        }

        return await db.Reports.FirstAsync(r => r.Id == reportId, ct);
    }

    public static string ComputeHash(AuditEntry e)
    {
        // Every field a reader relies on is in the hash, length-prefixed so fields cannot bleed into each other.
        var sb = new StringBuilder();
        foreach (var part in new[]
                 {
                     e.ReportId.ToString("N"), e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), e.SectionId?.ToString("N") ?? "",
                     e.ActorId, e.ActorName, e.Action, e.Data, e.At.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture), e.PreviousHash,
                 })
        {
            sb.Append(part.Length).Append(':').Append(part).Append('|');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    public async Task<ChainVerification> VerifyAsync(Guid reportId, CancellationToken ct)
    {
        var walk = new ChainWalk(reportId, checkpoints.Latest().GetValueOrDefault(reportId));
        var rows = new RowWitness();
        await foreach (var e in db.AuditEntries.AsNoTracking().Where(e => e.ReportId == reportId).OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (!walk.Step(e))
            {
                return walk.Result(null);
            }

            rows.Note(e);
        }

        var head = await db.Reports.AsNoTracking().Where(r => r.Id == reportId).Select(r => new ChainHead(r.AuditSequence, r.AuditHead)).FirstOrDefaultAsync(ct);
        var verdict = walk.Result(head);
        if (!verdict.Intact || reportId == Guid.Empty)
        {
            return verdict;
        }

        // The chain holds; now the rows a sheet and the section page show must say what the chain says.
        var sections = db.Sections.AsNoTracking().Where(s => s.ReportId == reportId).Select(s => s.Id);
        var versions = await db.SectionVersions.AsNoTracking().Where(v => sections.Contains(v.SectionId)).OrderBy(v => v.SectionId).ThenBy(v => v.Number).ToListAsync(ct);
        var signOffs = await db.SignOffs.AsNoTracking().Where(o => o.ReportId == reportId).OrderBy(o => o.SectionId).ThenBy(o => o.Ordinal).ToListAsync(ct);
        return rows.Check(versions, signOffs) is { } broken ? verdict with { Intact = false, FirstBroken = broken } : verdict;
    }

    /// <summary>
    /// What the chain says of each version (its number and content hash) and each decision (approve or return, the
    /// opinion, the version's hash, the signer as kept on the day), to hold the version and sign-off rows to it:
    /// they live outside the chain, and a changed opinion or text must not pass for the one that was signed.
    /// </summary>
    private sealed class RowWitness
    {
        private readonly Dictionary<(Guid Section, int Version), (long Sequence, string Hash)> versions = [];
        private readonly Dictionary<Guid, List<(AuditEntry Entry, JsonElement Data)>> decisions = [];

        public void Note(AuditEntry e)
        {
            if (e.SectionId is not { } section || !e.Action.StartsWith("section.", StringComparison.Ordinal))
            {
                return;
            }

            var data = JsonDocument.Parse(e.Data).RootElement.Clone();
            if (data.TryGetProperty("version", out var v) && v.TryGetInt32(out var number) && data.TryGetProperty("hash", out var h) && h.GetString() is { } hash)
            {
                versions[(section, number)] = (e.Sequence, hash);
            }

            if (e.Action is "section.approve" or "section.return" or "section.advise")
            {
                (decisions.TryGetValue(section, out var list) ? list : decisions[section] = []).Add((e, data));
            }
        }

        public BrokenEntry? Check(IEnumerable<SectionVersion> versionRows, List<SectionSignOff> signOffRows) =>
            versionRows.Select(CheckVersion).FirstOrDefault(b => b is not null) ?? CheckSignOffs(signOffRows);

        public BrokenEntry? CheckVersion(SectionVersion v)
        {
            if (Activities.Documents.ContentHash.Of(v.Content) != v.Hash)
            {
                return new BrokenEntry(versions.GetValueOrDefault((v.SectionId, v.Number)).Sequence, v.Id, $"the text of version {v.Number} does not match its content hash: it was changed after it was saved", "version-altered");
            }

            return versions.TryGetValue((v.SectionId, v.Number), out var said) && said.Hash != v.Hash
                ? new BrokenEntry(said.Sequence, v.Id, $"version {v.Number} is not the text entry {said.Sequence} of the trail records", "version-mismatch")
                : null;
        }

        public BrokenEntry? CheckSignOffs(List<SectionSignOff> signOffRows)
        {
            foreach (var group in signOffRows.GroupBy(o => o.SectionId))
            {
                var said = decisions.GetValueOrDefault(group.Key) ?? [];
                var rows = group.ToList();
                for (var i = 0; i < Math.Max(rows.Count, said.Count); i++)
                {
                    if (i >= rows.Count || i >= said.Count)
                    {
                        var at = i < said.Count ? said[i].Entry.Sequence : 0;
                        return new BrokenEntry(at, i < rows.Count ? rows[i].Id : Guid.Empty, "the sign-off sheet and the trail do not list the same decisions: a sign-off was added or removed", "signoff-mismatch");
                    }

                    if (Differs(rows[i], said[i].Entry, said[i].Data) is { } what)
                    {
                        return new BrokenEntry(said[i].Entry.Sequence, rows[i].Id, $"the sign-off sheet's {what} is not what entry {said[i].Entry.Sequence} of the trail records", "signoff-mismatch");
                    }
                }
            }

            return null;
        }

        private static string? Differs(SectionSignOff row, AuditEntry entry, JsonElement data)
        {
            var decided = entry.Action switch
            {
                "section.approve" => Activities.Engine.Decision.Approved,
                "section.advise" => Activities.Engine.Decision.Advised,
                _ => Activities.Engine.Decision.Returned,
            };
            if (row.Decision != decided)
            {
                return "decision";
            }

            if (row.ActorId != entry.ActorId)
            {
                return "signer";
            }

            var opinion = data.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.Object && d.TryGetProperty("opinion", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
            if (Blank(row.Opinion) != Blank(opinion))
            {
                return "opinion";
            }

            if (data.TryGetProperty("hash", out var h) && h.GetString() != row.VersionHash)
            {
                return "version";
            }

            if (row.ActorName is not null && data.TryGetProperty("signer", out var signer) && signer.ValueKind == JsonValueKind.Object
                && (Text(signer, "name") != row.ActorName || Text(signer, "department") != row.ActorDepartment))
            {
                return "signer's name or department";
            }

            return null;
        }

        private static string Blank(string? text) => string.IsNullOrWhiteSpace(text) ? "" : text.Trim();

        private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
    }

    /// <summary>
    /// Holds a chain to an anchor kept elsewhere (a printed or mailed checkpoint file): the entries up to the
    /// anchored one must still link and hash, and that entry must still have the anchored hash. This needs no key,
    /// so it holds even against someone who has the checkpoint key. Answers null when the trail is as anchored.
    /// </summary>
    public async Task<string?> CheckAnchorAsync(Guid chain, long sequence, string hash, CancellationToken ct)
    {
        var walk = new ChainWalk(chain, null);
        string? found = null;
        await foreach (var e in db.AuditEntries.AsNoTracking().Where(e => e.ReportId == chain && e.Sequence <= sequence).OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (!walk.Step(e))
            {
                return walk.Result(null).FirstBroken!.Reason;
            }

            found = e.Sequence == sequence ? e.Hash : found;
        }

        return found is null ? $"entry {sequence} is gone: the trail was cut before it"
            : found != hash ? $"entry {sequence} is not the one anchored: the trail up to it was rewritten"
            : null;
    }

    /// <summary>
    /// Verifies the chains of all reports in one pass over the trail, then their version and sign-off rows (four
    /// queries in all), so an overview of every report does not cost queries per report.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, ChainVerification>> VerifyAllAsync(CancellationToken ct)
    {
        var heads = await db.Reports.AsNoTracking().ToDictionaryAsync(r => r.Id, r => new ChainHead(r.AuditSequence, r.AuditHead), ct);
        var signed = checkpoints.Latest();
        // The county-wide chain (empty id) is walked too; it has no report row, so no head beside it.
        var walks = heads.Keys.Append(Guid.Empty).ToDictionary(id => id, id => new ChainWalk(id, signed.GetValueOrDefault(id)));
        var witnesses = heads.Keys.ToDictionary(id => id, _ => new RowWitness());
        await foreach (var e in db.AuditEntries.AsNoTracking().OrderBy(e => e.ReportId).ThenBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (walks.TryGetValue(e.ReportId, out var walk) && walk.Step(e))
            {
                witnesses.GetValueOrDefault(e.ReportId)?.Note(e);
            }
        }

        var verdicts = walks.ToDictionary(w => w.Key, w => w.Value.Result(heads.GetValueOrDefault(w.Key)));

        // As for one report: where a chain holds, the version and sign-off rows must say what it says. Versions are
        // streamed (texts can be long), the first differing row of each report is kept.
        var rowBreaks = new Dictionary<Guid, BrokenEntry>();
        var versionRows = db.SectionVersions.AsNoTracking()
            .Join(db.Sections.AsNoTracking(), v => v.SectionId, s => s.Id, (v, s) => new { s.ReportId, Version = v })
            .OrderBy(x => x.ReportId).ThenBy(x => x.Version.SectionId).ThenBy(x => x.Version.Number);
        await foreach (var row in versionRows.AsAsyncEnumerable().WithCancellation(ct))
        {
            if (verdicts.GetValueOrDefault(row.ReportId) is { Intact: true } && !rowBreaks.ContainsKey(row.ReportId)
                && witnesses[row.ReportId].CheckVersion(row.Version) is { } broken)
            {
                rowBreaks[row.ReportId] = broken;
            }
        }

        var signOffs = await db.SignOffs.AsNoTracking().OrderBy(o => o.ReportId).ThenBy(o => o.SectionId).ThenBy(o => o.Ordinal).ToListAsync(ct);
        var signOffsByReport = signOffs.ToLookup(o => o.ReportId);
        foreach (var (report, witness) in witnesses)
        {
            if (verdicts[report].Intact && (rowBreaks.GetValueOrDefault(report) ?? witness.CheckSignOffs(signOffsByReport[report].ToList())) is { } broken)
            {
                verdicts[report] = verdicts[report] with { Intact = false, FirstBroken = broken };
            }
        }

        return verdicts;
    }

    internal sealed record ChainHead(long AuditSequence, string? AuditHead);

    /// <summary>
    /// Checks one chain's entries in sequence order and stops at the first that does not fit; then holds the chain to
    /// its latest signed checkpoint, which whoever rewrites the database (hashes, head and all) cannot re-sign.
    /// </summary>
    internal sealed class ChainWalk(Guid reportId, AuditCheckpoint? checkpoint)
    {
        /// <summary>A walk that goes on from a known entry (a checkpoint's) instead of from the start of the chain.</summary>
        public static ChainWalk After(Guid chain, long sequence, string hash) => new(chain, null) { expectedSequence = sequence + 1, expectedPrevious = hash };

        private string? hashAtCheckpoint;
        private string expectedPrevious = Genesis;
        private long expectedSequence = 1;
        private int count;
        private BrokenEntry? broken;

        /// <summary>Answers false once the chain is broken; later entries are then ignored.</summary>
        public bool Step(AuditEntry e)
        {
            if (broken is not null)
            {
                return false;
            }

            count++;
            string? reason = null;
            var code = "";
            if (e.Sequence != expectedSequence)
            {
                (code, reason) = ("missing", $"expected entry number {expectedSequence} but found {e.Sequence}: an entry is missing");
            }
            else if (e.PreviousHash != expectedPrevious)
            {
                (code, reason) = ("link", "its link to the previous entry does not match: an earlier entry was changed or removed");
            }
            else if (ComputeHash(e) != e.Hash)
            {
                (code, reason) = ("altered", "its content does not match its hash: this entry was altered after it was written");
            }

            if (reason is not null)
            {
                broken = new BrokenEntry(e.Sequence, e.Id, reason, code);
                return false;
            }

            if (e.Sequence == checkpoint?.Sequence)
            {
                hashAtCheckpoint = e.Hash;
            }

            expectedPrevious = e.Hash;
            expectedSequence++;
            return true;
        }

        public ChainVerification Result(ChainHead? head)
        {
            if (broken is not null)
            {
                return new ChainVerification(reportId, false, count, broken);
            }

            // Links only prove what is there; the head kept on the report shows whether entries were cut off the end.
            if (head is not null && (head.AuditSequence != expectedSequence - 1 || (head.AuditHead ?? Genesis) != expectedPrevious))
            {
                return new ChainVerification(reportId, false, count, new BrokenEntry(
                    expectedSequence,
                    Guid.Empty,
                    $"the report's trail ends at entry {head.AuditSequence} but only {expectedSequence - 1} entries lead up to it: the last entries were removed or replaced",
                    "truncated"));
            }

            if (checkpoint is not null)
            {
                var anchor = CheckpointRef.Of(checkpoint);
                if (hashAtCheckpoint is null)
                {
                    return new ChainVerification(reportId, false, count, new BrokenEntry(
                        expectedSequence,
                        Guid.Empty,
                        $"a checkpoint signed on {checkpoint.At:u} vouches for entry {checkpoint.Sequence}, but the trail ends at entry {expectedSequence - 1}: entries were removed",
                        "checkpoint-truncated"), anchor);
                }

                if (hashAtCheckpoint != checkpoint.Hash)
                {
                    return new ChainVerification(reportId, false, count, new BrokenEntry(
                        checkpoint.Sequence,
                        Guid.Empty,
                        $"entry {checkpoint.Sequence} is not the one a checkpoint signed on {checkpoint.At:u} vouches for: the trail up to it was rewritten and its hashes recomputed",
                        "checkpoint-mismatch"), anchor);
                }

                return new ChainVerification(reportId, true, count, null, anchor);
            }

            return new ChainVerification(reportId, true, count, null);
        }
    }
}
