using System.Net;
using System.Net.Sockets;

namespace Workflow.Host.Features.Auth;

/// <summary>What one failed sign-in changed: whether it opened a new window for the (account, address) pair and whether a delay began.</summary>
public sealed record SignInFailure(int PairFailures, int AddressFailures, bool FirstInWindow, TimeSpan? ThrottledFor, string? Scope);

/// <summary>
/// Slows password guessing without locking anyone out: failures are counted per (account, client address) and per
/// client address; past a few free attempts each further failure doubles the wait before that key may try again.
/// The account itself is never locked, so its owner signs in from any other address while an attacker waits.
/// State lives in memory, per host (no schema change); a restart forgets it.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    /// <summary>Failures of one account from one address before delays start.</summary>
    public const int FreePerAccount = 5;

    /// <summary>Failures from one address over all accounts before that address waits (guessing many names).</summary>
    public const int FreePerAddress = 20;

    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);

    /// <summary>A key without a failure for this long starts again from zero.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    // Bounds memory under a flood of made-up names or addresses; older quiet keys are dropped first.
    private const int MaxKeys = 100_000;

    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly Lock sync = new();

    /// <summary>How long this account from this address must still wait, or null when it may try now.</summary>
    public TimeSpan? RetryAfter(string userName, string address)
    {
        var now = clock.GetUtcNow();
        lock (sync)
        {
            var wait = Max(Remaining(PairKey(userName, address), now), Remaining(AddressKey(address), now));
            return wait > TimeSpan.Zero ? wait : null;
        }
    }

    public SignInFailure Failed(string userName, string address)
    {
        var now = clock.GetUtcNow();
        lock (sync)
        {
            if (entries.Count >= MaxKeys)
            {
                Prune(now);
            }

            var pair = Count(PairKey(userName, address), now, FreePerAccount);
            var byAddress = Count(AddressKey(address), now, FreePerAddress);
            var (throttled, scope) = (pair.Delay, byAddress.Delay) switch
            {
                ({ } p, { } a) => (Max(p, a), p >= a ? "account" : "address"),
                ({ } p, null) => (p, "account"),
                (null, { } a) => (a, "address"),
                _ => ((TimeSpan?)null, (string?)null),
            };
            return new SignInFailure(pair.Entry.Failures, byAddress.Entry.Failures, pair.Entry.Failures == 1, throttled, scope);
        }
    }

    /// <summary>The right password from this address: its pair starts afresh (the address count stays, so one known account cannot reset guessing at others).</summary>
    public void Succeeded(string userName, string address)
    {
        lock (sync)
        {
            entries.Remove(PairKey(userName, address));
        }
    }

    /// <summary>The client's address as throttling sees it: IPv6 by its /64 (one host usually holds a whole /64), unknown as one shared key.</summary>
    public static string AddressOf(HttpContext http)
    {
        var ip = http.Connection.RemoteIpAddress;
        if (ip is null)
        {
            return "unknown";
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            return ip.MapToIPv4().ToString();
        }

        if (ip.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = ip.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }

        return ip.ToString();
    }

    private (Entry Entry, TimeSpan? Delay) Count(string key, DateTimeOffset now, int free)
    {
        if (!entries.TryGetValue(key, out var e) || now - e.LastFailure > Window)
        {
            e = new Entry();
            entries[key] = e;
        }

        e.Failures++;
        e.LastFailure = now;
        if (e.Failures < free)
        {
            return (e, null);
        }

        // The last free failure already waits FirstDelay; each later one doubles it, up to MaxDelay.
        var doublings = Math.Min(e.Failures - free, 16);
        var delay = TimeSpan.FromTicks(Math.Min(FirstDelay.Ticks << doublings, MaxDelay.Ticks));
        e.BlockedUntil = now + delay;
        return (e, delay);
    }

    private TimeSpan Remaining(string key, DateTimeOffset now) =>
        entries.TryGetValue(key, out var e) && e.BlockedUntil > now ? e.BlockedUntil - now : TimeSpan.Zero;

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, e) in entries.Where(kv => now - kv.Value.LastFailure > Window && kv.Value.BlockedUntil <= now).ToList())
        {
            entries.Remove(key);
        }

        // Still full: drop the quietest half rather than grow without end.
        if (entries.Count >= MaxKeys)
        {
            foreach (var key in entries.OrderBy(kv => kv.Value.LastFailure).Take(entries.Count / 2).Select(kv => kv.Key).ToList())
            {
                entries.Remove(key);
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string PairKey(string userName, string address) => "u:" + userName.Trim().ToUpperInvariant() + "\n" + address;

    private static string AddressKey(string address) => "a:" + address;

    private sealed class Entry
    {
        public int Failures;
        public DateTimeOffset LastFailure;
        public DateTimeOffset BlockedUntil;
    }
}
