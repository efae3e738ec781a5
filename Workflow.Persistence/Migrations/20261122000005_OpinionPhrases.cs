using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Workflow.Persistence.Migrations;

/// <summary>Each person's own preset phrases for review opinions (常用语), kept with the account.</summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261122000005_OpinionPhrases")]
public sealed class OpinionPhrases : Migration
{
    protected override void Up(MigrationBuilder m) =>
        m.AddColumn<string>(name: "OpinionPhrases", table: "AspNetUsers", maxLength: WorkflowDbContext.MaxOpinionPhrasesLength, nullable: true);

    protected override void Down(MigrationBuilder m) => m.DropColumn(name: "OpinionPhrases", table: "AspNetUsers");
}
