using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Workflow.Tests.Integration;

/// <summary>One e-mail as the server received it: the envelope and the message, parsed with MimeKit.</summary>
public sealed record CapturedMail(string From, IReadOnlyList<string> To, string Raw, MimeMessage Message)
{
    public string Text => Message.TextBody ?? "";

    public string? Header(string name) => Message.Headers[name];
}

/// <summary>
/// A small real SMTP server on 127.0.0.1 for the e-mail tests: EHLO/HELO, MAIL FROM, RCPT TO, DATA (with
/// dot-unstuffing), RSET, NOOP, QUIT. It keeps every message it accepted. The port is chosen at
/// construction, so a host can be configured with it before the server starts listening.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly List<CapturedMail> mails = [];
    private readonly CancellationTokenSource stop = new();
    private TcpListener? listener;
    private Task? accepting;

    public SmtpTestServer()
    {
        // Reserve a free port by binding to port 0 and letting it go; nothing else on this machine picks it up
        // in the second or two before Start.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    /// <summary>Addresses the server refuses for good at RCPT TO (550).</summary>
    public ISet<string> RejectedRecipients { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<CapturedMail> Mails
    {
        get
        {
            lock (mails)
            {
                return [.. mails];
            }
        }
    }

    public void Start()
    {
        listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Start();
        accepting = AcceptAsync(listener, stop.Token);
    }

    public async Task<CapturedMail> WaitFor(Func<CapturedMail, bool> match, string what, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var found = Mails.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no e-mail {what} within {seconds} s; received: {string.Join(" | ", Mails.Select(m => $"{string.Join(",", m.To)}: {m.Message.Subject}"))}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener?.Stop();
        if (accepting is not null)
        {
            try
            {
                await accepting;
            }
            catch (OperationCanceledException)
            {
            }
        }

        stop.Dispose();
    }

    private async Task AcceptAsync(TcpListener server, CancellationToken ct)
    {
        var sessions = new List<Task>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var client = await server.AcceptTcpClientAsync(ct);
                sessions.Add(SessionAsync(client, ct));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        await Task.WhenAll(sessions.Select(async s =>
        {
            try
            {
                await s;
            }
            catch (Exception)
            {
                // A session cut short by the shutdown is of no interest.
            }
        }));
    }

    private async Task SessionAsync(TcpClient client, CancellationToken ct)
    {
        using var _ = client;
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, new UTF8Encoding(false), false, 4096, leaveOpen: true);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 4096, leaveOpen: true) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 127.0.0.1 test SMTP ready");
        string? from = null;
        var to = new List<string>();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            var verb = (line.Length >= 4 ? line[..4] : line).ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteAsync("250-127.0.0.1 hello\r\n250 8BITMIME\r\n");
                    break;
                case "HELO":
                    await writer.WriteLineAsync("250 127.0.0.1 hello");
                    break;
                case "MAIL":
                    from = Address(line);
                    to.Clear();
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "RCPT":
                    var rcpt = Address(line);
                    if (RejectedRecipients.Contains(rcpt))
                    {
                        await writer.WriteLineAsync("550 5.1.1 no such mailbox");
                    }
                    else
                    {
                        to.Add(rcpt);
                        await writer.WriteLineAsync("250 OK");
                    }

                    break;
                case "DATA":
                    if (from is null || to.Count == 0)
                    {
                        await writer.WriteLineAsync("503 need MAIL and RCPT first");
                        break;
                    }

                    await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                    var raw = new StringBuilder();
                    while (await reader.ReadLineAsync(ct) is { } data && data != ".")
                    {
                        // RFC 5321 4.5.2: a leading dot was doubled by the client.
                        raw.Append(data.StartsWith('.') ? data[1..] : data).Append("\r\n");
                    }

                    var text = raw.ToString();
                    var message = await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), ct);
                    lock (mails)
                    {
                        mails.Add(new CapturedMail(from, [.. to], text, message));
                    }

                    from = null;
                    to.Clear();
                    await writer.WriteLineAsync("250 OK queued");
                    break;
                case "RSET":
                    from = null;
                    to.Clear();
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "NOOP":
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 bye");
                    return;
                default:
                    await writer.WriteLineAsync("502 command not implemented");
                    break;
            }
        }
    }

    /// <summary>The address between the angle brackets of "MAIL FROM:&lt;a@b&gt;" or "RCPT TO:&lt;a@b&gt;".</summary>
    private static string Address(string line)
    {
        var open = line.IndexOf('<', StringComparison.Ordinal);
        var close = line.IndexOf('>', open + 1);
        return open >= 0 && close > open ? line[(open + 1)..close] : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
