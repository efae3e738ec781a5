using Workflow.Tests.Integration;

namespace Workflow.Tests.Unit;

/// <summary>The strace reader of the outgoing-connection test finds what left the machine (lines as strace 6 writes them).</summary>
public sealed class OutgoingConnectionTraceTests
{
    [Theory]
    [InlineData("""5887  connect(4, {sa_family=AF_INET, sin_port=htons(5672), sin_addr=inet_addr("127.0.0.1")}, 16) = 0""")]
    [InlineData("""5887  connect(4, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.53")}, 16) = 0""")]
    [InlineData("""5887  connect(3, {sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0""")]
    [InlineData("""5887  connect(4, {sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::ffff:127.0.0.2", &sin6_addr), sin6_scope_id=0}, 28) = 0""")]
    [InlineData("""5887  connect(4, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT (No such file or directory)""")]
    [InlineData("""5887  connect(3, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 0""")]
    [InlineData("""5887  connect(5, {sa_family=AF_UNSPEC, sa_data="\0\0\0\0\0\0\0\0\0\0\0\0\0\0"}, 16) = 0""")]
    [InlineData("""5890  <... connect resumed>) = -1 EINPROGRESS (Operation now in progress)""")]
    [InlineData("""5887  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=5888, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---""")]
    [InlineData("""5887  +++ exited with 0 +++""")]
    public void Loopback_and_local_sockets_stay_on_the_machine(string line) =>
        Assert.Empty(ConnectTrace.Outside([line]));

    [Theory]
    [InlineData("""5887  connect(4, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = 0""")]
    [InlineData("""5890  connect(212, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::ffff:104.21.7.9", &sin6_addr), sin6_scope_id=0}, 28 <unfinished ...>""")]
    [InlineData("""5887  connect(3, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:db8::1", &sin6_addr), sin6_scope_id=0}, 28) = 0""")]
    [InlineData("""connect(4, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("128.0.0.1")}, 16) = -1 ENETUNREACH (Network is unreachable)""")]
    [InlineData("""5887  connect(4, 0x7ffd5c3a1e40, 16) = -1 EFAULT (Bad address)""")]
    public void Any_other_address_is_reported(string line) =>
        Assert.Equal([line], ConnectTrace.Outside(["5887  +++ exited with 0 +++", line]));
}
