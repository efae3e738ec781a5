using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Workflow.Persistence;

/// <summary>
/// The error codes by which each database says that a concurrent writer won: a unique key taken at the same
/// moment, a deadlock victim, a serialization failure. Such a command is retried from a fresh read; any other
/// error is a defect and must not pose as a conflict.
/// </summary>
public static class DatabaseErrors
{
    /// <summary>SQLite: SQLITE_CONSTRAINT with its extended codes for a unique index and a primary key.</summary>
    public const int SqliteConstraint = 19;
    public const int SqliteConstraintUnique = 2067;
    public const int SqliteConstraintPrimaryKey = 1555;

    /// <summary>PostgreSQL SQLSTATEs: unique_violation, serialization_failure, deadlock_detected.</summary>
    public const string PostgresUniqueViolation = PostgresErrorCodes.UniqueViolation;
    public const string PostgresSerializationFailure = PostgresErrorCodes.SerializationFailure;
    public const string PostgresDeadlockDetected = PostgresErrorCodes.DeadlockDetected;

    /// <summary>SQL Server error numbers: duplicate key in a unique index, in a unique constraint or primary key, deadlock victim.</summary>
    public const int SqlServerDuplicateKeyInIndex = 2601;
    public const int SqlServerDuplicateKeyInConstraint = 2627;
    public const int SqlServerDeadlockVictim = 1205;

    /// <summary>A failed save or statement (a deadlock can hit a locking read too) that a fresh attempt may pass.</summary>
    public static bool IsLostRace(Exception? ex) => ex switch
    {
        DbUpdateConcurrencyException => true,
        DbUpdateException u => IsLostRace(u.InnerException),
        SqliteException s => s.SqliteErrorCode == SqliteConstraint && s.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        PostgresException p => p.SqlState is PostgresUniqueViolation or PostgresSerializationFailure or PostgresDeadlockDetected,
        SqlException q => q.Errors.Cast<SqlError>().Any(e => e.Number is SqlServerDuplicateKeyInIndex or SqlServerDuplicateKeyInConstraint or SqlServerDeadlockVictim),
        _ => false,
    };
}
