using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Workflow.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

public static class PersistenceServiceCollectionExtensions
{
    public const string DefaultSqliteConnection = "Data Source=./data/workflow.db";

    /// <summary>
    /// Registers the DbContext for the configured provider: SQLite (a file under ./data) unless
    /// Database:Provider says PostgreSql, in which case ConnectionStrings:Workflow is required.
    /// </summary>
    public static IServiceCollection AddWorkflowPersistence(this IServiceCollection services)
    {
        // Configuration is read when the first context is built, not at registration, so hosts and test
        // factories that add settings late are still honoured.
        services.AddSingleton(sp => DatabaseSettings.From(sp.GetRequiredService<IConfiguration>()));
        services.AddDbContext<WorkflowDbContext>((sp, o) =>
        {
            var settings = sp.GetRequiredService<DatabaseSettings>();
            if (settings.Provider == DatabaseProvider.PostgreSql)
            {
                o.UseNpgsql(settings.ConnectionString);
            }
            else
            {
                o.UseSqlite(settings.ConnectionString);
            }
        });
        return services;
    }

    /// <summary>Applies the hand-written migrations; on SQLite also switches the file to WAL.</summary>
    public static async Task MigrateWorkflowDatabaseAsync(this WorkflowDbContext db, CancellationToken ct = default)
    {
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }
}

public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    public static DatabaseSettings From(IConfiguration configuration)
    {
        var providerText = configuration["Database:Provider"] ?? nameof(DatabaseProvider.Sqlite);
        if (!Enum.TryParse<DatabaseProvider>(providerText, ignoreCase: true, out var provider))
        {
            throw new InvalidOperationException($"Database:Provider '{providerText}' is not supported; use 'Sqlite' or 'PostgreSql'.");
        }

        var connection = configuration.GetConnectionString("Workflow");
        if (provider == DatabaseProvider.PostgreSql)
        {
            return string.IsNullOrWhiteSpace(connection)
                ? throw new InvalidOperationException("Database:Provider is PostgreSql but ConnectionStrings:Workflow is empty.")
                : new DatabaseSettings(provider, connection);
        }

        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(connection) ? PersistenceServiceCollectionExtensions.DefaultSqliteConnection : connection);
        // Writers wait for each other (busy timeout) instead of failing at once; WAL lets readers run alongside.
        if (builder.DefaultTimeout < 30)
        {
            builder.DefaultTimeout = 30;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        return new DatabaseSettings(provider, builder.ToString());
    }
}
