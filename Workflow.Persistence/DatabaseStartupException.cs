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
        // The innermost driver message says what went wrong (refused, timed out, login failed); one line of it.
        var driver = ex;
        while (driver is not DbException && driver.InnerException is not null)
        {
            driver = driver.InnerException;
        }

        var text = string.Join(' ', driver.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return text.Length > 300 ? text[..300] + "…" : text;
    }
}
