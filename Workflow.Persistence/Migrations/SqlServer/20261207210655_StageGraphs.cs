using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workflow.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class StageGraphs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Branch",
                table: "Tasks",
                type: "nvarchar(256)",
                maxLength: 256,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ById",
                table: "Tasks",
                type: "nvarchar(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Depth",
                table: "Tasks",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "Tasks",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Regular");

            migrationBuilder.AddColumn<int>(
                name: "ParentOrdinal",
                table: "Tasks",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Visit",
                table: "Tasks",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Branch",
                table: "SignOffs",
                type: "nvarchar(256)",
                maxLength: 256,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "SignOffs",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Regular");

            migrationBuilder.AddColumn<int>(
                name: "Visit",
                table: "SignOffs",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "Moves",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SectionId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ReportId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Ordinal = table.Column<int>(type: "int", nullable: false),
                    Visit = table.Column<int>(type: "int", nullable: false),
                    StageIndex = table.Column<int>(type: "int", nullable: false),
                    StageKey = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Cycle = table.Column<int>(type: "int", nullable: false),
                    ActorId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    Branches = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    Skipped = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    ResumeAt = table.Column<int>(type: "int", nullable: true),
                    Note = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Moves", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Moves_Sections_SectionId",
                        column: x => x.SectionId,
                        principalTable: "Sections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ProxyWindows",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    UserId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    ProxyId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    From = table.Column<long>(type: "bigint", nullable: false),
                    To = table.Column<long>(type: "bigint", nullable: false),
                    Routes = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    RevokedAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProxyWindows", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Moves_SectionId_Ordinal",
                table: "Moves",
                columns: new[] { "SectionId", "Ordinal" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ProxyWindows_ProxyId_To",
                table: "ProxyWindows",
                columns: new[] { "ProxyId", "To" });

            migrationBuilder.CreateIndex(
                name: "IX_ProxyWindows_UserId_To",
                table: "ProxyWindows",
                columns: new[] { "UserId", "To" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Moves");

            migrationBuilder.DropTable(
                name: "ProxyWindows");

            migrationBuilder.DropColumn(
                name: "Branch",
                table: "Tasks");

            migrationBuilder.DropColumn(
                name: "ById",
                table: "Tasks");

            migrationBuilder.DropColumn(
                name: "Depth",
                table: "Tasks");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "Tasks");

            migrationBuilder.DropColumn(
                name: "ParentOrdinal",
                table: "Tasks");

            migrationBuilder.DropColumn(
                name: "Visit",
                table: "Tasks");

            migrationBuilder.DropColumn(
                name: "Branch",
                table: "SignOffs");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "SignOffs");

            migrationBuilder.DropColumn(
                name: "Visit",
                table: "SignOffs");
        }
    }
}
