using System.Reflection;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Workflow.Persistence;

namespace Workflow.Tests.Unit;

/// <summary>
/// Which database errors are lost races (retried from a fresh read) and which say the login may not change the
/// schema, for all three databases; SQL Server's are checked here because no server runs on these machines.
/// </summary>
public sealed class DatabaseErrorsTests
{
    [Theory]
    [InlineData(2601)]
    [InlineData(2627)]
    [InlineData(1205)]
    public void Sql_server_duplicate_keys_and_deadlock_victims_are_lost_races(int number)
    {
        Assert.True(DatabaseErrors.IsLostRace(new DbUpdateException("save failed", SqlServerError(number))));
        Assert.True(DatabaseErrors.IsLostRace(SqlServerError(number)));
    }

    [Theory]
    [InlineData(547)] // foreign key violation: a defect, not a race
    [InlineData(8152)] // string or binary data would be truncated
    [InlineData(262)]
    public void Other_sql_server_errors_are_not_lost_races(int number) =>
        Assert.False(DatabaseErrors.IsLostRace(new DbUpdateException("save failed", SqlServerError(number))));

    [Theory]
    [InlineData("23505", true)]
    [InlineData("40001", true)]
    [InlineData("40P01", true)]
    [InlineData("23503", false)]
    [InlineData("22001", false)]
    public void Postgresql_errors_are_lost_races_by_their_sqlstate(string sqlState, bool race) =>
        Assert.Equal(race, DatabaseErrors.IsLostRace(new DbUpdateException("save failed", new PostgresException("failed", "ERROR", "ERROR", sqlState))));

    [Theory]
    [InlineData(19, 2067, true)]
    [InlineData(19, 1555, true)]
    [InlineData(19, 787, false)] // foreign key
    [InlineData(5, 5, false)] // busy: the write gate and busy timeout deal with it
    public void Sqlite_unique_and_primary_key_violations_are_lost_races(int code, int extended, bool race) =>
        Assert.Equal(race, DatabaseErrors.IsLostRace(new DbUpdateException("save failed", new SqliteException("failed", code, extended))));

    [Fact]
    public void A_concurrency_token_conflict_is_a_lost_race_and_a_plain_exception_is_not()
    {
        Assert.True(DatabaseErrors.IsLostRace(new DbUpdateConcurrencyException("stale")));
        Assert.False(DatabaseErrors.IsLostRace(new InvalidOperationException("defect")));
        Assert.False(DatabaseErrors.IsLostRace(new DbUpdateException("save failed", new InvalidOperationException("defect"))));
    }

    [Fact]
    public void Permission_denied_is_known_on_every_database()
    {
        Assert.True(DatabaseErrors.IsPermissionDenied(SqlServerError(262)));
        Assert.True(DatabaseErrors.IsPermissionDenied(SqlServerError(229)));
        Assert.True(DatabaseErrors.IsPermissionDenied(new PostgresException("must be owner of table", "ERROR", "ERROR", "42501")));
        Assert.True(DatabaseErrors.IsPermissionDenied(new SqliteException("attempt to write a readonly database", 8)));
        Assert.False(DatabaseErrors.IsPermissionDenied(SqlServerError(2627)));
        Assert.False(DatabaseErrors.IsPermissionDenied(new PostgresException("duplicate", "ERROR", "ERROR", "23505")));
    }

    /// <summary>SqlClient builds its exceptions only internally; this makes one with the given error number.</summary>
    private static SqlException SqlServerError(int number)
    {
        const BindingFlags flags = BindingFlags.NonPublic | BindingFlags.Instance;
        var constructor = typeof(SqlError).GetConstructors(flags)
            .Where(c => c.GetParameters().FirstOrDefault()?.ParameterType == typeof(int))
            .OrderByDescending(c => c.GetParameters().Length)
            .First();
        var arguments = constructor.GetParameters().Select((p, i) => i == 0 ? number : p.ParameterType == typeof(string) ? "x" : p.HasDefaultValue ? p.DefaultValue : p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null).ToArray();
        var error = (SqlError)constructor.Invoke(arguments);
        var errors = (SqlErrorCollection)typeof(SqlErrorCollection).GetConstructors(flags).Single(c => c.GetParameters().Length == 0).Invoke(null);
        typeof(SqlErrorCollection).GetMethod("Add", flags)!.Invoke(errors, [error]);
        var create = typeof(SqlException).GetMethods(BindingFlags.NonPublic | BindingFlags.Static)
            .Where(m => m.Name == "CreateException" && m.GetParameters().Length == 2 && m.GetParameters()[0].ParameterType == typeof(SqlErrorCollection))
            .Single();
        var exception = (SqlException)create.Invoke(null, [errors, "16.0"])!;
        Assert.Equal(number, exception.Number);
        return exception;
    }
}
