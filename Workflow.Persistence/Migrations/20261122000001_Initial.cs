using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Workflow.Persistence.Migrations;

/// <summary>
/// Hand-written (the EF design-time package is not available here) and provider-neutral: no column
/// types are named, so SQLite and PostgreSQL each map the CLR types themselves. Times are UTC ticks
/// (long), see WorkflowDbContext.ConfigureConventions. A test migrates an empty database and compares
/// it with the schema EF derives from the model, so the two cannot drift apart.
/// </summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("20261122000001_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable(
            name: "Departments",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                Code = t.Column<string>(maxLength: 32, nullable: false),
                Name = t.Column<string>(maxLength: 100, nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_Departments", x => x.Id));
        m.CreateIndex("IX_Departments_Code", "Departments", "Code", unique: true);

        CreateIdentity(m);

        m.CreateTable(
            name: "Routes",
            columns: t => new
            {
                DefinitionId = t.Column<string>(maxLength: 64, nullable: false),
                Version = t.Column<int>(nullable: false),
                Name = t.Column<string>(maxLength: 200, nullable: false),
                Json = t.Column<string>(nullable: false),
                PublishedAt = t.Column<long>(nullable: false),
                PublishedById = t.Column<string>(nullable: true),
            },
            constraints: t => t.PrimaryKey("PK_Routes", x => new { x.DefinitionId, x.Version }));

        m.CreateTable(
            name: "Reports",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                Title = t.Column<string>(maxLength: 200, nullable: false),
                Lead = t.Column<string>(nullable: false),
                Closing = t.Column<string>(nullable: false),
                RouteDefinitionId = t.Column<string>(maxLength: 64, nullable: false),
                RouteVersion = t.Column<int>(nullable: false),
                CreatedAt = t.Column<long>(nullable: false),
                CreatedById = t.Column<string>(maxLength: 450, nullable: false),
                AuditSequence = t.Column<long>(nullable: false),
                AuditHead = t.Column<string>(maxLength: 64, nullable: true),
            },
            constraints: t => t.PrimaryKey("PK_Reports", x => x.Id));

        m.CreateTable(
            name: "Sections",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                ReportId = t.Column<Guid>(nullable: false),
                ParentId = t.Column<Guid>(nullable: true),
                Ordinal = t.Column<int>(nullable: false),
                Number = t.Column<string>(maxLength: 16, nullable: false),
                Title = t.Column<string>(maxLength: 200, nullable: false),
                IsGroup = t.Column<bool>(nullable: false),
                DepartmentId = t.Column<Guid>(nullable: true),
                AuthorId = t.Column<string>(maxLength: 450, nullable: true),
                RouteDefinitionId = t.Column<string>(maxLength: 64, nullable: false),
                RouteVersion = t.Column<int>(nullable: false),
                StageIndex = t.Column<int>(nullable: false),
                Status = t.Column<string>(maxLength: 16, nullable: false),
                Cycle = t.Column<int>(nullable: false),
                CurrentVersion = t.Column<int>(nullable: false),
                CurrentHash = t.Column<string>(maxLength: 64, nullable: false),
                CurrentVersionAuthorId = t.Column<string>(maxLength: 450, nullable: false),
                UpdatedAt = t.Column<long>(nullable: false),
                Revision = t.Column<int>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_Sections", x => x.Id);
                t.ForeignKey("FK_Sections_Departments_DepartmentId", x => x.DepartmentId, "Departments", "Id", onDelete: ReferentialAction.Restrict);
                t.ForeignKey("FK_Sections_Reports_ReportId", x => x.ReportId, "Reports", "Id", onDelete: ReferentialAction.Restrict);
                t.ForeignKey("FK_Sections_Sections_ParentId", x => x.ParentId, "Sections", "Id", onDelete: ReferentialAction.Restrict);
            });
        m.CreateIndex("IX_Sections_DepartmentId", "Sections", "DepartmentId");
        m.CreateIndex("IX_Sections_ParentId", "Sections", "ParentId");
        m.CreateIndex("IX_Sections_ReportId_Ordinal", "Sections", ["ReportId", "Ordinal"]);

        m.CreateTable(
            name: "SectionVersions",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                SectionId = t.Column<Guid>(nullable: false),
                Number = t.Column<int>(nullable: false),
                Content = t.Column<string>(nullable: false),
                Hash = t.Column<string>(maxLength: 64, nullable: false),
                AuthorId = t.Column<string>(maxLength: 450, nullable: false),
                CreatedAt = t.Column<long>(nullable: false),
                Note = t.Column<string>(maxLength: 500, nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_SectionVersions", x => x.Id);
                t.ForeignKey("FK_SectionVersions_Sections_SectionId", x => x.SectionId, "Sections", "Id", onDelete: ReferentialAction.Restrict);
            });
        m.CreateIndex("IX_SectionVersions_SectionId_Number", "SectionVersions", ["SectionId", "Number"], unique: true);

        m.CreateTable(
            name: "Tasks",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                SectionId = t.Column<Guid>(nullable: false),
                ReportId = t.Column<Guid>(nullable: false),
                Ordinal = t.Column<int>(nullable: false),
                StageIndex = t.Column<int>(nullable: false),
                StageKey = t.Column<string>(maxLength: 32, nullable: false),
                Cycle = t.Column<int>(nullable: false),
                AssigneeId = t.Column<string>(maxLength: 450, nullable: false),
                Status = t.Column<string>(maxLength: 16, nullable: false),
                CreatedAt = t.Column<long>(nullable: false),
                DueAt = t.Column<long>(nullable: true),
                ClosedAt = t.Column<long>(nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_Tasks", x => x.Id);
                t.ForeignKey("FK_Tasks_Sections_SectionId", x => x.SectionId, "Sections", "Id", onDelete: ReferentialAction.Restrict);
            });
        m.CreateIndex("IX_Tasks_AssigneeId_Status", "Tasks", ["AssigneeId", "Status"]);
        m.CreateIndex("IX_Tasks_SectionId_Ordinal", "Tasks", ["SectionId", "Ordinal"], unique: true);

        m.CreateTable(
            name: "SignOffs",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                SectionId = t.Column<Guid>(nullable: false),
                ReportId = t.Column<Guid>(nullable: false),
                Ordinal = t.Column<int>(nullable: false),
                StageIndex = t.Column<int>(nullable: false),
                StageKey = t.Column<string>(maxLength: 32, nullable: false),
                Cycle = t.Column<int>(nullable: false),
                ActorId = t.Column<string>(maxLength: 450, nullable: false),
                OnBehalfOfId = t.Column<string>(maxLength: 450, nullable: true),
                Decision = t.Column<string>(maxLength: 16, nullable: false),
                Opinion = t.Column<string>(nullable: true),
                VersionNumber = t.Column<int>(nullable: false),
                VersionHash = t.Column<string>(maxLength: 64, nullable: false),
                At = t.Column<long>(nullable: false),
                Dismissed = t.Column<bool>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_SignOffs", x => x.Id);
                t.ForeignKey("FK_SignOffs_Sections_SectionId", x => x.SectionId, "Sections", "Id", onDelete: ReferentialAction.Restrict);
            });
        m.CreateIndex("IX_SignOffs_SectionId_Ordinal", "SignOffs", ["SectionId", "Ordinal"], unique: true);

        m.CreateTable(
            name: "AuditEntries",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                ReportId = t.Column<Guid>(nullable: false),
                Sequence = t.Column<long>(nullable: false),
                SectionId = t.Column<Guid>(nullable: true),
                ActorId = t.Column<string>(maxLength: 450, nullable: false),
                ActorName = t.Column<string>(maxLength: 256, nullable: false),
                Action = t.Column<string>(maxLength: 64, nullable: false),
                Data = t.Column<string>(nullable: false),
                At = t.Column<long>(nullable: false),
                PreviousHash = t.Column<string>(maxLength: 64, nullable: false),
                Hash = t.Column<string>(maxLength: 64, nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_AuditEntries", x => x.Id));
        m.CreateIndex("IX_AuditEntries_ActorId_At", "AuditEntries", ["ActorId", "At"]);
        m.CreateIndex("IX_AuditEntries_ReportId_Sequence", "AuditEntries", ["ReportId", "Sequence"], unique: true);

        m.CreateTable(
            name: "Outbox",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                MessageType = t.Column<string>(maxLength: 128, nullable: false),
                Payload = t.Column<string>(nullable: false),
                ReportId = t.Column<Guid>(nullable: true),
                SectionId = t.Column<Guid>(nullable: true),
                CreatedAt = t.Column<long>(nullable: false),
                SentAt = t.Column<long>(nullable: true),
                Attempts = t.Column<int>(nullable: false),
                LastError = t.Column<string>(nullable: true),
            },
            constraints: t => t.PrimaryKey("PK_Outbox", x => x.Id));
        m.CreateIndex("IX_Outbox_SentAt_CreatedAt", "Outbox", ["SentAt", "CreatedAt"]);

        m.CreateTable(
            name: "IdempotencyRecords",
            columns: t => new
            {
                UserId = t.Column<string>(maxLength: 450, nullable: false),
                Key = t.Column<string>(maxLength: 128, nullable: false),
                RequestHash = t.Column<string>(maxLength: 64, nullable: false),
                StatusCode = t.Column<int>(nullable: false),
                ResponseBody = t.Column<string>(nullable: false),
                CreatedAt = t.Column<long>(nullable: false),
            },
            constraints: t => t.PrimaryKey("PK_IdempotencyRecords", x => new { x.UserId, x.Key }));
    }

    protected override void Down(MigrationBuilder m)
    {
        foreach (var table in new[]
                 {
                     "IdempotencyRecords", "Outbox", "AuditEntries", "SignOffs", "Tasks", "SectionVersions", "Sections", "Reports", "Routes",
                     "AspNetRoleClaims", "AspNetUserClaims", "AspNetUserLogins", "AspNetUserRoles", "AspNetUserTokens", "AspNetRoles", "AspNetUsers", "Departments",
                 })
        {
            m.DropTable(table);
        }
    }

    private static void CreateIdentity(MigrationBuilder m)
    {
        m.CreateTable(
            name: "AspNetRoles",
            columns: t => new
            {
                Id = t.Column<string>(nullable: false),
                Name = t.Column<string>(maxLength: 256, nullable: true),
                NormalizedName = t.Column<string>(maxLength: 256, nullable: true),
                ConcurrencyStamp = t.Column<string>(nullable: true),
            },
            constraints: t => t.PrimaryKey("PK_AspNetRoles", x => x.Id));
        m.CreateIndex("RoleNameIndex", "AspNetRoles", "NormalizedName", unique: true);

        m.CreateTable(
            name: "AspNetUsers",
            columns: t => new
            {
                Id = t.Column<string>(nullable: false),
                DisplayName = t.Column<string>(maxLength: 100, nullable: false),
                DepartmentId = t.Column<Guid>(nullable: true),
                Disabled = t.Column<bool>(nullable: false),
                UserName = t.Column<string>(maxLength: 256, nullable: true),
                NormalizedUserName = t.Column<string>(maxLength: 256, nullable: true),
                Email = t.Column<string>(maxLength: 256, nullable: true),
                NormalizedEmail = t.Column<string>(maxLength: 256, nullable: true),
                EmailConfirmed = t.Column<bool>(nullable: false),
                PasswordHash = t.Column<string>(nullable: true),
                SecurityStamp = t.Column<string>(nullable: true),
                ConcurrencyStamp = t.Column<string>(nullable: true),
                PhoneNumber = t.Column<string>(nullable: true),
                PhoneNumberConfirmed = t.Column<bool>(nullable: false),
                TwoFactorEnabled = t.Column<bool>(nullable: false),
                LockoutEnd = t.Column<long>(nullable: true),
                LockoutEnabled = t.Column<bool>(nullable: false),
                AccessFailedCount = t.Column<int>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_AspNetUsers", x => x.Id);
                t.ForeignKey("FK_AspNetUsers_Departments_DepartmentId", x => x.DepartmentId, "Departments", "Id", onDelete: ReferentialAction.Restrict);
            });
        m.CreateIndex("EmailIndex", "AspNetUsers", "NormalizedEmail");
        m.CreateIndex("IX_AspNetUsers_DepartmentId", "AspNetUsers", "DepartmentId");
        m.CreateIndex("UserNameIndex", "AspNetUsers", "NormalizedUserName", unique: true);

        CreateClaims(m, "AspNetRoleClaims", "RoleId", "AspNetRoles");
        CreateClaims(m, "AspNetUserClaims", "UserId", "AspNetUsers");

        m.CreateTable(
            name: "AspNetUserLogins",
            columns: t => new
            {
                LoginProvider = t.Column<string>(nullable: false),
                ProviderKey = t.Column<string>(nullable: false),
                ProviderDisplayName = t.Column<string>(nullable: true),
                UserId = t.Column<string>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_AspNetUserLogins", x => new { x.LoginProvider, x.ProviderKey });
                t.ForeignKey("FK_AspNetUserLogins_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
            });
        m.CreateIndex("IX_AspNetUserLogins_UserId", "AspNetUserLogins", "UserId");

        m.CreateTable(
            name: "AspNetUserRoles",
            columns: t => new
            {
                UserId = t.Column<string>(nullable: false),
                RoleId = t.Column<string>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_AspNetUserRoles", x => new { x.UserId, x.RoleId });
                t.ForeignKey("FK_AspNetUserRoles_AspNetRoles_RoleId", x => x.RoleId, "AspNetRoles", "Id", onDelete: ReferentialAction.Cascade);
                t.ForeignKey("FK_AspNetUserRoles_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
            });
        m.CreateIndex("IX_AspNetUserRoles_RoleId", "AspNetUserRoles", "RoleId");

        m.CreateTable(
            name: "AspNetUserTokens",
            columns: t => new
            {
                UserId = t.Column<string>(nullable: false),
                LoginProvider = t.Column<string>(nullable: false),
                Name = t.Column<string>(nullable: false),
                Value = t.Column<string>(nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("PK_AspNetUserTokens", x => new { x.UserId, x.LoginProvider, x.Name });
                t.ForeignKey("FK_AspNetUserTokens_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
            });
    }

    private static void CreateClaims(MigrationBuilder m, string table, string ownerColumn, string ownerTable)
    {
        m.CreateTable(
            name: table,
            columns: t => new
            {
                Id = t.Column<int>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                Owner = t.Column<string>(name: ownerColumn, nullable: false),
                ClaimType = t.Column<string>(nullable: true),
                ClaimValue = t.Column<string>(nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey($"PK_{table}", x => x.Id);
                t.ForeignKey($"FK_{table}_{ownerTable}_{ownerColumn}", x => x.Owner, ownerTable, "Id", onDelete: ReferentialAction.Cascade);
            });
        m.CreateIndex($"IX_{table}_{ownerColumn}", table, ownerColumn);
    }
}
