using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Workflow.Host.Workflow;

/// <summary>A chain head signed with the checkpoint key: chain (report id, or empty for the county-wide chain), entry number and hash.</summary>
public sealed record AuditCheckpoint(Guid Chain, long Sequence, string Hash, DateTimeOffset At, string Mac);

/// <summary>
/// Signed checkpoints of the audit chains, kept outside the database. Whoever can write the database can rewrite
/// entries and recompute every later hash and the head, but cannot sign the result without the key, which lives
/// in a file beside the data-protection keys (shared by several hosts the same way), and cannot reach into the
/// append-only checkpoint log there either. Verification holds each chain to its latest genuine checkpoint.
/// </summary>
public sealed class AuditCheckpoints
{
    public const string KeyFileName = "audit-checkpoint.key";
    public const string LogFileName = "audit-checkpoints.log";

    private readonly byte[] key;
    private readonly object gate = new();
    private readonly Dictionary<Guid, AuditCheckpoint> latest = [];
    private long readTo;

    public AuditCheckpoints(IConfiguration configuration)
    {
        var folder = configuration["Audit:CheckpointPath"] ?? configuration["DataProtection:KeysPath"] ?? Path.Combine("data", "keys");
        Directory.CreateDirectory(folder);
        LogPath = Path.Combine(folder, LogFileName);
        key = LoadOrCreateKey(Path.Combine(folder, KeyFileName));
    }

    public string LogPath { get; }

    public AuditCheckpoint Sign(Guid chain, long sequence, string hash, DateTimeOffset at) =>
        new(chain, sequence, hash, at, Mac(chain, sequence, hash, at));

    public bool IsGenuine(AuditCheckpoint c) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(c.Chain, c.Sequence, c.Hash, c.At)), Encoding.ASCII.GetBytes(c.Mac));

    /// <summary>Appends checkpoints to the log, one JSON line each; appends are whole lines, so hosts sharing the file do not interleave.</summary>
    public void Append(IEnumerable<AuditCheckpoint> checkpoints)
    {
        var text = string.Concat(checkpoints.Select(c => JsonSerializer.Serialize(c, JsonDefaults.Storage) + "\n"));
        if (text.Length == 0)
        {
            return;
        }

        lock (gate)
        {
            using var stream = new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            var bytes = Encoding.UTF8.GetBytes(text);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>
    /// The newest genuine checkpoint of every chain in the log; lines that do not verify are never trusted. The log
    /// only grows, so each call reads just what was appended since the last (by this or another host); a log that
    /// shrank is read again from its start.
    /// </summary>
    public IReadOnlyDictionary<Guid, AuditCheckpoint> Latest()
    {
        lock (gate)
        {
            if (File.Exists(LogPath))
            {
                using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                if (stream.Length < readTo)
                {
                    latest.Clear();
                    readTo = 0;
                }

                stream.Seek(readTo, SeekOrigin.Begin);
                var tail = new byte[stream.Length - readTo];
                stream.ReadExactly(tail);
                // Only whole lines: another host may be half-way through appending the last one.
                var end = Array.LastIndexOf(tail, (byte)'\n') + 1;
                foreach (var line in Encoding.UTF8.GetString(tail, 0, end).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (Parse(line) is { } c && IsGenuine(c) && (!latest.TryGetValue(c.Chain, out var known) || c.Sequence >= known.Sequence))
                    {
                        latest[c.Chain] = c;
                    }
                }

                readTo += end;
            }

            return new Dictionary<Guid, AuditCheckpoint>(latest);
        }
    }

    private static AuditCheckpoint? Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<AuditCheckpoint>(line, JsonDefaults.Storage);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private string Mac(Guid chain, long sequence, string hash, DateTimeOffset at)
    {
        var text = $"{chain:N}|{sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)}|{hash}|{at.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));
    }

    private static byte[] LoadOrCreateKey(string path)
    {
        if (!File.Exists(path))
        {
            try
            {
                // Owner-only, created once: a second host starting at the same moment finds the file and reads it.
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var stream = new FileStream(path, options);
                stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
            }
            catch (IOException) when (File.Exists(path))
            {
            }
        }

        return Convert.FromBase64String(File.ReadAllText(path).Trim());
    }
}
