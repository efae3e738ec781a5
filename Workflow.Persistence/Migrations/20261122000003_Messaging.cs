using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Workflow.Persistence.Migrations;

/// <summary>Outbox leases and back-off, the consumers' inbox, and in-app notifications.</summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261122000003_Messaging")]
public sealed class Messaging : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<string>(name: "LockedBy", table: "Outbox", maxLength: 100, nullable: true);
        m.AddColumn<long>(name: "LockedUntil", table: "Outbox", nullable: true);
        m.AddColumn<long>(name: "NextAttemptAt", table: "Outbox", nullable: true);
        m.AddColumn<long>(name: "ParkedAt", table: "Outbox", nullable: true);

        m.CreateTable(
            name: "Inbox",
            columns: t => new
            {
                Consumer = t.Column<string>(maxLength: 100, nullable: false),
                MessageId = t.Column<Guid>(nullable: false),
                ProcessedAt = t.Column<long>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_Inbox", x => new { x.Consumer, x.MessageId }));

        m.CreateTable(
            name: "Notifications",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                UserId = t.Column<string>(maxLength: 450, nullable: false),
                Kind = t.Column<string>(maxLength: 32, nullable: false),
                Text = t.Column<string>(maxLength: 1000, nullable: false),
                ReportId = t.Column<Guid>(nullable: true),
                SectionId = t.Column<Guid>(nullable: true),
                MessageId = t.Column<Guid>(nullable: false),
                CreatedAt = t.Column<long>(nullable: false),
                ReadAt = t.Column<long>(nullable: true),
            },
            constraints: t => t.PrimaryKey("PK_Notifications", x => x.Id));
        m.CreateIndex("IX_Notifications_UserId_CreatedAt", "Notifications", ["UserId", "CreatedAt"]);
        m.CreateIndex("IX_Notifications_MessageId_UserId", "Notifications", ["MessageId", "UserId"], unique: true);
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropTable("Notifications");
        m.DropTable("Inbox");
        foreach (var column in new[] { "LockedBy", "LockedUntil", "NextAttemptAt", "ParkedAt" })
        {
            m.DropColumn(name: column, table: "Outbox");
        }
    }
}
