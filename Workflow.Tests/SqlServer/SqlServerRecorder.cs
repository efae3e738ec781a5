using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using IsolationLevel = System.Data.IsolationLevel;

namespace Workflow.Tests.SqlServer;

/// <summary>One command the product sent, as SQL Server would have received it.</summary>
public sealed record RecordedStatement(string Origin, string Sql, IReadOnlyList<string> Parameters);

/// <summary>
/// Lets the product's own data access run on a SQL Server context with no server: opening and closing the
/// connection and starting transactions are suppressed, every command is recorded, parsed as T-SQL and answered
/// by <see cref="CannedRows"/> instead of being sent. Parse errors are kept as failures, with the SQL.
/// </summary>
public sealed class SqlServerRecorder
{
    private readonly Lock sync = new();
    private readonly List<RecordedStatement> statements = [];
    private readonly List<string> failures = [];

    public CannedRows Rows { get; } = new();

    /// <summary>Names the part of the product running now, so each statement says where it came from.</summary>
    public string Area { get; set; } = "";

    public IReadOnlyList<RecordedStatement> Statements
    {
        get
        {
            lock (sync)
            {
                return [.. statements];
            }
        }
    }

    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (sync)
            {
                return [.. failures];
            }
        }
    }

    public void Attach(DbContextOptionsBuilder options) =>
        options.AddInterceptors(new NoConnection(), new NoTransaction(), new Commands(this));

    /// <summary>Records one SQL text (a command or a ToQueryString) and parses it; null when it does not parse.</summary>
    public TSqlScript? Check(string sql, IEnumerable<string> parameters)
    {
        var script = (TSqlScript)TSqlGrammars.Parse(sql, out var errors);
        lock (sync)
        {
            statements.Add(new RecordedStatement(Area, sql, [.. parameters]));
            if (errors.Count > 0)
            {
                var said = string.Join("; ", errors.Select(e => $"line {e.Error.Line}, column {e.Error.Column}{TSqlGrammars.Label(e.Only)}: {e.Error.Message}"));
                failures.Add($"[{Area}] T-SQL does not parse ({said}):\n{sql}");
                return null;
            }
        }

        return script;
    }

    private sealed class NoConnection : DbConnectionInterceptor
    {
        public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
            InterceptionResult.Suppress();

        public override ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(InterceptionResult.Suppress());

        public override InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
            InterceptionResult.Suppress();

        public override ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
            ValueTask.FromResult(InterceptionResult.Suppress());
    }

    /// <summary>A closed SqlConnection cannot begin a transaction, and the product's commands run in one.</summary>
    private sealed class NoTransaction : DbTransactionInterceptor
    {
        public override InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result) =>
            InterceptionResult<DbTransaction>.SuppressWithResult(new FakeTransaction(connection, eventData.IsolationLevel));

        public override ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(TransactionStarting(connection, eventData, result));
    }

    private sealed class FakeTransaction(DbConnection connection, IsolationLevel level) : DbTransaction
    {
        public override IsolationLevel IsolationLevel => level;

        protected override DbConnection DbConnection => connection;

        public override void Commit()
        {
        }

        public override void Rollback()
        {
        }
    }

    private sealed class Commands(SqlServerRecorder recorder) : DbCommandInterceptor
    {
        // SqlCommand only takes a SqlTransaction; the wrapper keeps the fake one to itself.
        public override DbCommand CommandCreated(CommandEndEventData eventData, DbCommand result) => new UnsentCommand(result);

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
            InterceptionResult<DbDataReader>.SuppressWithResult(Answer(command, eventData));

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(ReaderExecuting(command, eventData, result));

        // Conditional UPDATEs (claims, leases) report one row changed, so the code after them runs too.
        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            Record(command);
            return InterceptionResult<int>.SuppressWithResult(1);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(NonQueryExecuting(command, eventData, result));

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            Record(command);
            return InterceptionResult<object>.SuppressWithResult(DBNull.Value);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(ScalarExecuting(command, eventData, result));

        private DbDataReader Answer(DbCommand command, CommandEventData eventData)
        {
            var script = Record(command);
            return script is null ? CannedRows.Nothing() : recorder.Rows.Answer(script, eventData.Context!.Model);
        }

        private TSqlScript? Record(DbCommand command) =>
            recorder.Check(command.CommandText, command.Parameters.Cast<DbParameter>().Select(p => p.ParameterName));
    }

    /// <summary>A command that is never sent: EF fills it in, the interceptor above answers it.</summary>
    private sealed class UnsentCommand(DbCommand inner) : DbCommand
    {
        [AllowNull]
        public override string CommandText
        {
            get => inner.CommandText;
            set => inner.CommandText = value;
        }

        public override int CommandTimeout
        {
            get => inner.CommandTimeout;
            set => inner.CommandTimeout = value;
        }

        public override CommandType CommandType
        {
            get => inner.CommandType;
            set => inner.CommandType = value;
        }

        public override bool DesignTimeVisible
        {
            get => inner.DesignTimeVisible;
            set => inner.DesignTimeVisible = value;
        }

        public override UpdateRowSource UpdatedRowSource
        {
            get => inner.UpdatedRowSource;
            set => inner.UpdatedRowSource = value;
        }

        protected override DbConnection? DbConnection
        {
            get => inner.Connection;
            set => inner.Connection = value;
        }

        protected override DbParameterCollection DbParameterCollection => inner.Parameters;

        protected override DbTransaction? DbTransaction { get; set; }

        public override void Cancel()
        {
        }

        public override void Prepare()
        {
        }

        protected override DbParameter CreateDbParameter() => inner.CreateParameter();

        public override int ExecuteNonQuery() => throw NotSent();

        public override object ExecuteScalar() => throw NotSent();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => throw NotSent();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private static InvalidOperationException NotSent() => new("The recorder answers every command; none may reach SQL Server.");
    }
}
