using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Workflow.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
    SqlServer,
}

public static class PersistenceServiceCollectionExtensions
{
    public const string DefaultSqliteConnection = "Data Source=./data/workflow.db";

    /// <summary>
    /// Registers the context of the configured provider as <see cref="WorkflowDbContext"/>: SQLite (a file under
    /// ./data) unless Database:Provider says PostgreSql or SqlServer, which need ConnectionStrings:Workflow.
    /// </summary>
    public static IServiceCollection AddWorkflowPersistence(this IServiceCollection services)
    {
        // Configuration is read when the first context is built, not at registration, so hosts and test
        // factories that add settings late are still honoured.
        services.AddSingleton(sp => DatabaseSettings.From(sp.GetRequiredService<IConfiguration>()));
        services.AddDbContext<SqliteWorkflowDbContext>((sp, o) => Configure(sp, o, DatabaseProvider.Sqlite));
        services.AddDbContext<PostgreSqlWorkflowDbContext>((sp, o) => Configure(sp, o, DatabaseProvider.PostgreSql));
        services.AddDbContext<SqlServerWorkflowDbContext>((sp, o) => Configure(sp, o, DatabaseProvider.SqlServer));
        services.AddScoped<WorkflowDbContext>(sp => sp.GetRequiredService<DatabaseSettings>().Provider switch
        {
            DatabaseProvider.PostgreSql => sp.GetRequiredService<PostgreSqlWorkflowDbContext>(),
            DatabaseProvider.SqlServer => sp.GetRequiredService<SqlServerWorkflowDbContext>(),
            _ => sp.GetRequiredService<SqliteWorkflowDbContext>(),
        });
        return services;

        // A context type carries one provider's migrations and model; pointing it at another database would
        // migrate that database with the wrong set.
        static void Configure(IServiceProvider sp, DbContextOptionsBuilder o, DatabaseProvider own)
        {
            var settings = sp.GetRequiredService<DatabaseSettings>();
            if (settings.Provider != own)
            {
                throw new InvalidOperationException($"The {own} context was asked for while {DatabaseSettings.ProviderKey} is {settings.Provider}; ask for WorkflowDbContext.");
            }

            WorkflowDatabase.Configure(o, settings);
        }
    }

    /// <summary>
    /// Applies the provider's migrations (adopting a database made by the hand-written migrations of earlier
    /// releases); on SQLite also switches the file to WAL. A database that cannot be reached, opened or read, and
    /// a login that may not apply pending migrations, become a <see cref="DatabaseStartupException"/> naming the
    /// setting, so the host can stop with one clear line; any other failure is a defect and keeps its stack.
    /// </summary>
    public static async Task MigrateWorkflowDatabaseAsync(this WorkflowDbContext db, CancellationToken ct = default)
    {
        await CheckReachableAsync(db, ct);
        try
        {
            await LegacyHistory.AdoptAsync(db, ct);
            await db.Database.MigrateAsync(ct);
        }
        catch (DbException ex) when (DatabaseErrors.IsPermissionDenied(ex))
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            throw new DatabaseStartupException(
                $"The login of {DatabaseSettings.ConnectionKey} may not apply the {pending.Count} pending migration(s) ({string.Join(", ", pending)}): " +
                $"apply the new schema script (deploy/sqlserver/schema.sql on SQL Server) or let the login change the schema. {DatabaseStartupException.OneLine(ex)}");
        }

        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }

    /// <summary>
    /// Reaches the database before anything of the product runs on it, so every failure here is the operator's
    /// to fix: server down, login refused, not a database. A database that does not exist yet is left to the
    /// migration, which creates it where the login may.
    /// </summary>
    private static async Task CheckReachableAsync(WorkflowDbContext db, CancellationToken ct)
    {
        try
        {
            if (await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(ct))
            {
                await db.Database.OpenConnectionAsync(ct);
                try
                {
                    // Reads the catalogue: a file that is not a SQLite database fails here, not at open.
                    await db.GetService<IHistoryRepository>().ExistsAsync(ct);
                }
                finally
                {
                    await db.Database.CloseConnectionAsync();
                }
            }
        }
        catch (Exception ex) when (ex is DbException or SocketException or TimeoutException or InvalidOperationException { InnerException: DbException or SocketException })
        {
            throw new DatabaseStartupException(db.Provider, ex);
        }
    }
}

public static class WorkflowDatabase
{
    /// <summary>SQL Server 2019 (15.x), the oldest version the product supports.</summary>
    public const int SqlServerCompatibilityLevel = 150;

    /// <summary>Points the options at the configured provider; every context of the product is made through here.</summary>
    public static void Configure(DbContextOptionsBuilder o, DatabaseSettings settings)
    {
        switch (settings.Provider)
        {
            case DatabaseProvider.PostgreSql:
                o.UseNpgsql(settings.ConnectionString);
                break;
            case DatabaseProvider.SqlServer:
                // SQL Server 2019's level: queries use nothing newer, so 2019 and 2022 both run them.
                o.UseSqlServer(settings.ConnectionString, s => s.UseCompatibilityLevel(SqlServerCompatibilityLevel));
                break;
            default:
                o.UseSqlite(settings.ConnectionString);
                break;
        }

        // A database that cannot be reached is reported once, by the caller that knows what it means (start-up
        // names the setting; a request answers 500 and logs it); EF's own log of it would repeat it with a stack.
        o.ConfigureWarnings(w => w.Log((RelationalEventId.ConnectionError, LogLevel.Debug)));
    }

    /// <summary>A context of the provider's own type, outside dependency injection (design-time tools, tests).</summary>
    public static WorkflowDbContext CreateContext(DatabaseSettings settings)
    {
        return settings.Provider switch
        {
            DatabaseProvider.PostgreSql => new PostgreSqlWorkflowDbContext(Options<PostgreSqlWorkflowDbContext>(settings)),
            DatabaseProvider.SqlServer => new SqlServerWorkflowDbContext(Options<SqlServerWorkflowDbContext>(settings)),
            _ => new SqliteWorkflowDbContext(Options<SqliteWorkflowDbContext>(settings)),
        };

        static DbContextOptions<T> Options<T>(DatabaseSettings settings)
            where T : DbContext
        {
            var builder = new DbContextOptionsBuilder<T>();
            Configure(builder, settings);
            return builder.Options;
        }
    }
}

public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    public const string ProviderKey = "Database:Provider";

    public const string ConnectionKey = "ConnectionStrings:Workflow";

    public static DatabaseSettings From(IConfiguration configuration)
    {
        var providerText = configuration[ProviderKey] ?? nameof(DatabaseProvider.Sqlite);
        if (!Enum.TryParse<DatabaseProvider>(providerText, ignoreCase: true, out var provider) || !Enum.IsDefined(provider))
        {
            throw new DatabaseStartupException($"{ProviderKey} '{providerText}' is not supported; use Sqlite, PostgreSql or SqlServer.");
        }

        var connection = configuration.GetConnectionString("Workflow");
        if (provider != DatabaseProvider.Sqlite)
        {
            if (string.IsNullOrWhiteSpace(connection))
            {
                throw new DatabaseStartupException($"{ProviderKey} is {provider} but {ConnectionKey} is empty.");
            }

            ValidateSyntax(provider, connection);
            return new DatabaseSettings(provider, connection);
        }

        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(connection) ? PersistenceServiceCollectionExtensions.DefaultSqliteConnection : connection);
        }
        catch (ArgumentException)
        {
            throw new DatabaseStartupException($"{ConnectionKey} is not a valid SQLite connection string: it takes the form \"Data Source=path/to/workflow.db\".");
        }

        // Writers wait for each other (busy timeout) instead of failing at once; WAL lets readers run alongside.
        if (builder.DefaultTimeout < 30)
        {
            builder.DefaultTimeout = 30;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new DatabaseStartupException($"{ConnectionKey} names a SQLite file in '{directory}', which cannot be created: {ex.Message}");
            }
        }

        return new DatabaseSettings(provider, builder.ToString());
    }

    /// <summary>
    /// A connection string the driver cannot even read is said at once. The driver's own message is left out: it
    /// quotes the keyword it could not read, which is a piece of the password when a password holds an unquoted ';'.
    /// </summary>
    private static void ValidateSyntax(DatabaseProvider provider, string connection)
    {
        try
        {
            _ = provider == DatabaseProvider.SqlServer
                ? new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(connection).DataSource
                : new Npgsql.NpgsqlConnectionStringBuilder(connection).Host;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw new DatabaseStartupException(
                $"{ConnectionKey} is not a valid {provider} connection string: check its keywords, and quote a value that holds ';' or '=' (\"Password='a;b'\").");
        }
    }
}
