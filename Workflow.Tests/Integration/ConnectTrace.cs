using System.Net;
using System.Text.RegularExpressions;

namespace Workflow.Tests.Integration;

/// <summary>Reads the output of <c>strace -f -e trace=connect</c>: which connect() calls left the machine.</summary>
public static partial class ConnectTrace
{
    /// <summary>
    /// The connect() lines to an IPv4 or IPv6 address outside loopback (127.0.0.0/8, ::1, ::ffff:127.x), and
    /// those whose address strace could not read, since nothing proves they stayed on the machine.
    /// AF_UNIX, AF_NETLINK and the other families reach no other machine.
    /// </summary>
    public static IReadOnlyList<string> Outside(IEnumerable<string> lines) => lines.Where(IsOutside).ToList();

    private static bool IsOutside(string line)
    {
        // Signals, exits and "<... connect resumed>" (the address is on the "<unfinished ...>" line) are no calls.
        var call = Call().Match(line);
        if (!call.Success)
        {
            return false;
        }

        if (!call.Groups["family"].Success)
        {
            return true;
        }

        if (call.Groups["family"].Value is not ("AF_INET" or "AF_INET6"))
        {
            return false;
        }

        var address = Address().Match(line);
        if (!address.Success || !IPAddress.TryParse(address.Groups["ip"].Value, out var ip))
        {
            return true;
        }

        // IPAddress.IsLoopback knows only ::ffff:127.0.0.1 of the mapped addresses.
        return !IPAddress.IsLoopback(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip);
    }

    [GeneratedRegex(@"^(?:\d+\s+)?connect\(\d+,\s*(?:\{sa_family=(?<family>\w+))?")]
    private static partial Regex Call();

    // strace shows inet_addr("127.0.0.1") for AF_INET and inet_pton(AF_INET6, "::1", &sin6_addr) for AF_INET6.
    [GeneratedRegex(@"inet_addr\(""(?<ip>[^""]*)""\)|inet_pton\(AF_INET6,\s*""(?<ip>[^""]*)""")]
    private static partial Regex Address();
}
