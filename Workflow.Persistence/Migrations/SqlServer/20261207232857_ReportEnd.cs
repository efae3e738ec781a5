using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workflow.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ReportEnd : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "Sections",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Body");

            migrationBuilder.AddColumn<string>(
                name: "Addressee",
                table: "Reports",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Issuer",
                table: "Reports",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LockedAt",
                table: "Reports",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Finals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ReportId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Number = table.Column<int>(type: "int", nullable: false),
                    SignerId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    SignerName = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    SignerTitle = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    SignerDepartment = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    Opinion = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    SignedAt = table.Column<long>(type: "bigint", nullable: false),
                    Hash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Text = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Parts = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Issuer = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    Addressee = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    ReopenedAt = table.Column<long>(type: "bigint", nullable: true),
                    ReopenedById = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    ReopenedByName = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    ReopenReason = table.Column<string>(type: "nvarchar(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Finals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Finals_Reports_ReportId",
                        column: x => x.ReportId,
                        principalTable: "Reports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Finals_ReportId_Number",
                table: "Finals",
                columns: new[] { "ReportId", "Number" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Finals");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "Sections");

            migrationBuilder.DropColumn(
                name: "Addressee",
                table: "Reports");

            migrationBuilder.DropColumn(
                name: "Issuer",
                table: "Reports");

            migrationBuilder.DropColumn(
                name: "LockedAt",
                table: "Reports");
        }
    }
}
