using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Workflow.Persistence.Migrations;

/// <summary>Deadline bookkeeping on tasks (reminder and escalation sent once each, manual 催办 rate limit).</summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261122000004_Deadlines")]
public sealed class Deadlines : Migration
{
    private static readonly string[] Columns = ["RemindedAt", "OverdueNotifiedAt", "LastNudgedAt"];

    protected override void Up(MigrationBuilder m)
    {
        foreach (var column in Columns)
        {
            m.AddColumn<long>(name: column, table: "Tasks", nullable: true);
        }

        m.CreateIndex("IX_Tasks_Status_DueAt", "Tasks", ["Status", "DueAt"]);
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropIndex("IX_Tasks_Status_DueAt", "Tasks");
        foreach (var column in Columns)
        {
            m.DropColumn(name: column, table: "Tasks");
        }
    }
}
