using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Workflow.Persistence.Migrations;

/// <summary>Keeps how each heading was laid out, so an imported report exports the way it was written.</summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261122000002_OutlineLayout")]
public sealed class OutlineLayout : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<int>(name: "Level", table: "Sections", nullable: false, defaultValue: 0);
        m.AddColumn<bool>(name: "SharesLine", table: "Sections", nullable: false, defaultValue: false);
        m.AddColumn<string>(name: "HeadingMark", table: "Sections", maxLength: 8, nullable: false, defaultValue: "");
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropColumn(name: "Level", table: "Sections");
        m.DropColumn(name: "SharesLine", table: "Sections");
        m.DropColumn(name: "HeadingMark", table: "Sections");
    }
}
