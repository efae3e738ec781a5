using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workflow.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class SignerAsOnTheDay : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ActorDepartment",
                table: "SignOffs",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ActorName",
                table: "SignOffs",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ActorRoles",
                table: "SignOffs",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);
            // Sign-offs made before names were kept get the names of the day of the upgrade, the nearest known;
            // from now on each sign-off keeps its own.
            migrationBuilder.Sql(
                """
                UPDATE "SignOffs" SET
                    "ActorName" = (SELECT u."DisplayName" FROM "AspNetUsers" u WHERE u."Id" = "SignOffs"."ActorId"),
                    "ActorDepartment" = (SELECT d."Name" FROM "AspNetUsers" u JOIN "Departments" d ON d."Id" = u."DepartmentId" WHERE u."Id" = "SignOffs"."ActorId")
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ActorDepartment",
                table: "SignOffs");

            migrationBuilder.DropColumn(
                name: "ActorName",
                table: "SignOffs");

            migrationBuilder.DropColumn(
                name: "ActorRoles",
                table: "SignOffs");
        }
    }
}
