using System.Data.Common;

namespace Workflow.Persistence;

/// <summary>
/// The configured database cannot be used: a wrong provider or connection string, a server that does not answer,
/// refused credentials. Its message is one line that names the setting to fix and never the connection string
/// (which may hold a password); the host prints it and exits instead of a stack trace.
/// </summary>
public sealed class DatabaseStartupException : Exception
{
    public DatabaseStartupException(string message)
        : base(message)
    {
    }

    public DatabaseStartupException(DatabaseProvider provider, Exception cause)
        : base($"The {provider} database named by {DatabaseSettings.ConnectionKey} cannot be used: {OneLine(cause)}", cause)
    {
    }

    /// <summary>The driver's own words for what went wrong (refused, timed out, login failed), on one line.</summary>
    public static string OneLine(Exception ex)
    {
        var driver = ex;
        while (driver is not DbException && driver.InnerException is not null)
        {
            driver = driver.InnerException;
        }

        // SqlClient's own text is generic ("A network-related … error: 35"); the socket's says "Connection refused".
        var cause = driver;
        while (cause.InnerException is not null)
        {
            cause = cause.InnerException;
        }

        var text = cause is System.Net.Sockets.SocketException { SocketErrorCode: not System.Net.Sockets.SocketError.Success } socket
                   && !driver.Message.Contains(socket.Message, StringComparison.Ordinal)
            ? $"{driver.Message} ({socket.Message})"
            : driver.Message;
        text = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return text.Length > 500 ? text[..500] + "…" : text;
    }
}
