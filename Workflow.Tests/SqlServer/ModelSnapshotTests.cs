using Microsoft.EntityFrameworkCore;
using Workflow.Persistence;

namespace Workflow.Tests.SqlServer;

/// <summary>
/// Each provider's migrations end in a snapshot of the model; a model change made without generating migrations
/// for all three (deploy/new-migration.sh) would leave a database without the change. No connection is opened.
/// </summary>
public sealed class ModelSnapshotTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite, "Data Source=unused.db")]
    [InlineData(DatabaseProvider.PostgreSql, "Host=127.0.0.1;Database=unused")]
    [InlineData(DatabaseProvider.SqlServer, ProductOnSqlServer.ConnectionString)]
    public void The_migrations_of_each_provider_match_the_model(DatabaseProvider provider, string connection)
    {
        using var db = WorkflowDatabase.CreateContext(new DatabaseSettings(provider, connection));

        Assert.False(db.Database.HasPendingModelChanges(), $"The {provider} migrations lag behind the model; run deploy/new-migration.sh.");
    }
}
