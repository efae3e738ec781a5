using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Workflow.Persistence.Migrations;

/// <summary>
/// The county-wide audit trail is read newest first and by time range (the audit page, its CSV, GET /api/audit):
/// an index on the time lets those pages read one page of entries instead of sorting the whole trail.
/// </summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261122000006_AuditTime")]
public sealed class AuditTime : Migration
{
    protected override void Up(MigrationBuilder m) =>
        m.CreateIndex("IX_AuditEntries_At_Sequence", "AuditEntries", ["At", "Sequence"]);

    protected override void Down(MigrationBuilder m) => m.DropIndex("IX_AuditEntries_At_Sequence", "AuditEntries");
}
