using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Workflow.Persistence;

/// <summary>
/// The error codes by which each database says that a concurrent writer won (a unique key taken at the same
/// moment, a deadlock victim, a serialization failure), which is retried from a fresh read, and that the login
/// may not change the schema. Any other error is a defect and must not pose as either.
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
    /// <summary>SQLite: SQLITE_READONLY and SQLITE_PERM (a file the host may read but not write).</summary>
    public const int SqliteReadOnly = 8;
    public const int SqlitePermission = 3;

    /// <summary>PostgreSQL's insufficient_privilege; SQL Server's "permission denied" for a statement and for an object.</summary>
    public const string PostgresInsufficientPrivilege = PostgresErrorCodes.InsufficientPrivilege;
    public const int SqlServerStatementPermissionDenied = 262;
    public const int SqlServerObjectPermissionDenied = 229;

    /// <summary>The login may read and write but not change the schema (a pending migration it may not apply).</summary>
    public static bool IsPermissionDenied(Exception? ex) => ex switch
    {
        PostgresException p => p.SqlState == PostgresInsufficientPrivilege,
        SqlException q => q.Errors.Cast<SqlError>().Any(e => e.Number is SqlServerStatementPermissionDenied or SqlServerObjectPermissionDenied),
        SqliteException s => s.SqliteErrorCode is SqliteReadOnly or SqlitePermission,
        _ => false,
    };

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
