using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Workflow.Activities.Documents;
using Workflow.Activities.Engine;
using Workflow.Persistence.Entities;

namespace Workflow.Persistence;

/// <summary>
/// The product's model, shared by the three providers. Each provider has its own derived context (see
/// ProviderContexts.cs) so that the EF tool keeps one migration set and model snapshot per provider; the rest of
/// the code asks for this base type and gets the configured one.
/// </summary>
public abstract class WorkflowDbContext(DbContextOptions options) : IdentityDbContext<AppUser, IdentityRole, string>(options)
{
    public const int MaxTitleLength = 200;

    public const int MaxIssuerLength = 100;

    public const int MaxAddresseeLength = 200;

    /// <summary>
    /// User and role ids (GUID strings) and the other parts of Identity's composite keys. SQL Server's default of
    /// 450 characters for a string key would make keys such as (UserId, RoleId) 1,800 bytes, past its 900-byte
    /// limit for a clustered key; 128 keeps every key well inside it on all three databases.
    /// </summary>
    public const int UserIdLength = 128;

    /// <summary>
    /// SQL Server compares text case-insensitively by default, PostgreSQL and SQLite do not. Codes and keys that
    /// are matched exactly (department codes, idempotency keys, route ids, delivery keys) get a binary collation on
    /// SQL Server so that all three databases tell "Zuzhi" from "zuzhi" alike.
    /// </summary>
    public const string SqlServerExactCollation = "Latin1_General_100_BIN2";

    /// <summary>Room for the preset phrases a person keeps (at most 20 of at most 100 characters, one per line).</summary>
    public const int MaxOpinionPhrasesLength = 2100;

    /// <summary>A branch key: a department code (32), a user id (128) or a user name from a route.</summary>
    public const int BranchKeyLength = 256;

    public DbSet<Department> Departments => Set<Department>();

    public DbSet<StoredRoute> Routes => Set<StoredRoute>();

    public DbSet<Report> Reports => Set<Report>();

    public DbSet<Section> Sections => Set<Section>();

    public DbSet<ReportFinal> Finals => Set<ReportFinal>();

    public DbSet<SectionVersion> SectionVersions => Set<SectionVersion>();

    public DbSet<SectionTask> Tasks => Set<SectionTask>();

    public DbSet<SectionSignOff> SignOffs => Set<SectionSignOff>();

    public DbSet<SectionMove> Moves => Set<SectionMove>();

    public DbSet<ProxyWindow> ProxyWindows => Set<ProxyWindow>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<InboxRecord> Inbox => Set<InboxRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or order DateTimeOffset values; UTC ticks in a 64-bit integer sort and
        // compare the same way on every provider and round-trip exactly (audit hashes depend on that).
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<SectionStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<WorkTaskStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Decision>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<TaskKind>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<SectionKind>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<MoveReason>().HaveConversion<string>().HaveMaxLength(16);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        ConfigureIdentityKeys(builder);

        builder.Entity<AppUser>(e =>
        {
            e.Property(u => u.DisplayName).HasMaxLength(100);
            e.Property(u => u.OpinionPhrases).HasMaxLength(MaxOpinionPhrasesLength);
            e.HasIndex(u => u.DepartmentId);
            e.HasOne<Department>().WithMany().HasForeignKey(u => u.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Department>(e =>
        {
            e.Property(d => d.Code).HasMaxLength(32);
            e.Property(d => d.Name).HasMaxLength(100);
            e.HasIndex(d => d.Code).IsUnique();
        });

        builder.Entity<StoredRoute>(e =>
        {
            e.HasKey(r => new { r.DefinitionId, r.Version });
            e.Property(r => r.DefinitionId).HasMaxLength(64);
            e.Property(r => r.Name).HasMaxLength(MaxTitleLength);
            e.Property(r => r.PublishedById).HasMaxLength(UserIdLength);
        });

        builder.Entity<Report>(e =>
        {
            e.Property(r => r.Title).HasMaxLength(MaxTitleLength);
            e.Property(r => r.RouteDefinitionId).HasMaxLength(64);
            e.Property(r => r.CreatedById).HasMaxLength(UserIdLength);
            e.Property(r => r.AuditHead).HasMaxLength(64);
            e.Property(r => r.Issuer).HasMaxLength(MaxIssuerLength);
            e.Property(r => r.Addressee).HasMaxLength(MaxAddresseeLength);
        });

        builder.Entity<ReportFinal>(e =>
        {
            e.Property(f => f.SignerId).HasMaxLength(UserIdLength);
            e.Property(f => f.SignerName).HasMaxLength(100);
            e.Property(f => f.SignerTitle).HasMaxLength(200);
            e.Property(f => f.SignerDepartment).HasMaxLength(100);
            e.Property(f => f.Hash).HasMaxLength(64);
            e.Property(f => f.Issuer).HasMaxLength(MaxIssuerLength);
            e.Property(f => f.Addressee).HasMaxLength(MaxAddresseeLength);
            e.Property(f => f.ReopenedById).HasMaxLength(UserIdLength);
            e.Property(f => f.ReopenedByName).HasMaxLength(100);
            e.HasIndex(f => new { f.ReportId, f.Number }).IsUnique();
            e.HasOne<Report>().WithMany().HasForeignKey(f => f.ReportId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Section>(e =>
        {
            e.Property(s => s.Number).HasMaxLength(16);
            e.Property(s => s.HeadingMark).HasMaxLength(8);
            e.Property(s => s.Title).HasMaxLength(MaxTitleLength);
            e.Property(s => s.AuthorId).HasMaxLength(UserIdLength);
            e.Property(s => s.RouteDefinitionId).HasMaxLength(64);
            e.Property(s => s.CurrentHash).HasMaxLength(64);
            e.Property(s => s.CurrentVersionAuthorId).HasMaxLength(UserIdLength);
            e.Property(s => s.Revision).IsConcurrencyToken();
            e.Property(s => s.Kind).HasDefaultValue(SectionKind.Body);
            e.HasIndex(s => new { s.ReportId, s.Ordinal });
            e.HasIndex(s => s.DepartmentId);
            e.HasIndex(s => s.ParentId);
            e.HasOne<Report>().WithMany().HasForeignKey(s => s.ReportId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Section>().WithMany().HasForeignKey(s => s.ParentId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Department>().WithMany().HasForeignKey(s => s.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<SectionVersion>(e =>
        {
            e.Property(v => v.Hash).HasMaxLength(64);
            e.Property(v => v.AuthorId).HasMaxLength(UserIdLength);
            e.Property(v => v.Note).HasMaxLength(500);
            e.HasIndex(v => new { v.SectionId, v.Number }).IsUnique();
            e.HasOne<Section>().WithMany().HasForeignKey(v => v.SectionId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<SectionTask>(e =>
        {
            e.Property(t => t.StageKey).HasMaxLength(32);
            e.Property(t => t.AssigneeId).HasMaxLength(UserIdLength);
            e.HasIndex(t => new { t.SectionId, t.Ordinal }).IsUnique();
            e.HasIndex(t => new { t.AssigneeId, t.Status });
            // The deadline monitor's scan: pending tasks by due time.
            e.HasIndex(t => new { t.Status, t.DueAt });
            e.Property(t => t.Branch).HasMaxLength(BranchKeyLength).HasDefaultValue("");
            e.Property(t => t.Kind).HasDefaultValue(TaskKind.Regular);
            e.Property(t => t.ById).HasMaxLength(UserIdLength);
            e.HasOne<Section>().WithMany().HasForeignKey(t => t.SectionId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<SectionMove>(e =>
        {
            e.Property(m => m.StageKey).HasMaxLength(32);
            e.Property(m => m.ActorId).HasMaxLength(UserIdLength);
            e.Property(m => m.Branches).HasMaxLength(4000);
            e.Property(m => m.Skipped).HasMaxLength(4000);
            e.Property(m => m.Note).HasMaxLength(2000);
            e.HasIndex(m => new { m.SectionId, m.Ordinal }).IsUnique();
            e.HasOne<Section>().WithMany().HasForeignKey(m => m.SectionId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<ProxyWindow>(e =>
        {
            e.Property(p => p.UserId).HasMaxLength(UserIdLength);
            e.Property(p => p.ProxyId).HasMaxLength(UserIdLength);
            e.Property(p => p.Routes).HasMaxLength(2000);
            e.HasIndex(p => new { p.UserId, p.To });
            e.HasIndex(p => new { p.ProxyId, p.To });
        });

        builder.Entity<SectionSignOff>(e =>
        {
            e.Property(s => s.StageKey).HasMaxLength(32);
            e.Property(s => s.ActorId).HasMaxLength(UserIdLength);
            e.Property(s => s.OnBehalfOfId).HasMaxLength(UserIdLength);
            e.Property(s => s.OnBehalfOfName).HasMaxLength(100);
            e.Property(s => s.ActorName).HasMaxLength(100);
            e.Property(s => s.ActorRoles).HasMaxLength(200);
            e.Property(s => s.ActorDepartment).HasMaxLength(100);
            e.Property(s => s.VersionHash).HasMaxLength(64);
            e.Property(s => s.Branch).HasMaxLength(BranchKeyLength).HasDefaultValue("");
            e.Property(s => s.Kind).HasDefaultValue(TaskKind.Regular);
            e.HasIndex(s => new { s.SectionId, s.Ordinal }).IsUnique();
            e.HasOne<Section>().WithMany().HasForeignKey(s => s.SectionId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<AuditEntry>(e =>
        {
            e.Property(a => a.ActorId).HasMaxLength(UserIdLength);
            e.Property(a => a.ActorName).HasMaxLength(256);
            e.Property(a => a.Action).HasMaxLength(64);
            e.Property(a => a.PreviousHash).HasMaxLength(64);
            e.Property(a => a.Hash).HasMaxLength(64);
            // Unique per report: two writers racing to append the same sequence number cannot both succeed.
            e.HasIndex(a => new { a.ReportId, a.Sequence }).IsUnique();
            e.HasIndex(a => new { a.ActorId, a.At });
            // The audit page and GET /api/audit list newest first and filter by time, across all reports.
            e.HasIndex(a => new { a.At, a.Sequence });
        });

        builder.Entity<OutboxMessage>(e =>
        {
            e.Property(o => o.MessageType).HasMaxLength(128);
            e.Property(o => o.LockedBy).HasMaxLength(100);
            e.HasIndex(o => new { o.SentAt, o.CreatedAt });
        });

        builder.Entity<Notification>(e =>
        {
            e.Property(n => n.UserId).HasMaxLength(UserIdLength);
            e.Property(n => n.Kind).HasMaxLength(32);
            e.Property(n => n.Text).HasMaxLength(1000);
            e.HasIndex(n => new { n.UserId, n.CreatedAt });
            e.HasIndex(n => new { n.MessageId, n.UserId }).IsUnique();
        });

        builder.Entity<InboxRecord>(e =>
        {
            e.HasKey(i => new { i.Consumer, i.MessageId });
            e.Property(i => i.Consumer).HasMaxLength(100);
        });

        builder.Entity<IdempotencyRecord>(e =>
        {
            e.HasKey(i => new { i.UserId, i.Key });
            e.Property(i => i.UserId).HasMaxLength(UserIdLength);
            e.Property(i => i.Key).HasMaxLength(128);
            e.Property(i => i.RequestHash).HasMaxLength(64);
        });
    }

    private void ConfigureIdentityKeys(ModelBuilder builder)
    {
        builder.Entity<AppUser>().Property(u => u.Id).HasMaxLength(UserIdLength);
        builder.Entity<IdentityRole>().Property(r => r.Id).HasMaxLength(UserIdLength);
        builder.Entity<IdentityUserRole<string>>(e =>
        {
            e.Property(r => r.UserId).HasMaxLength(UserIdLength);
            e.Property(r => r.RoleId).HasMaxLength(UserIdLength);
        });
        builder.Entity<IdentityUserClaim<string>>().Property(c => c.UserId).HasMaxLength(UserIdLength);
        builder.Entity<IdentityRoleClaim<string>>().Property(c => c.RoleId).HasMaxLength(UserIdLength);
        builder.Entity<IdentityUserLogin<string>>(e =>
        {
            e.Property(l => l.UserId).HasMaxLength(UserIdLength);
            e.Property(l => l.LoginProvider).HasMaxLength(UserIdLength);
            e.Property(l => l.ProviderKey).HasMaxLength(UserIdLength);
        });
        builder.Entity<IdentityUserToken<string>>(e =>
        {
            e.Property(t => t.UserId).HasMaxLength(UserIdLength);
            e.Property(t => t.LoginProvider).HasMaxLength(UserIdLength);
            e.Property(t => t.Name).HasMaxLength(UserIdLength);
        });

        if (Provider == DatabaseProvider.SqlServer)
        {
            builder.Entity<Department>().Property(d => d.Code).UseCollation(SqlServerExactCollation);
            builder.Entity<StoredRoute>().Property(r => r.DefinitionId).UseCollation(SqlServerExactCollation);
            builder.Entity<Report>().Property(r => r.RouteDefinitionId).UseCollation(SqlServerExactCollation);
            builder.Entity<Section>().Property(s => s.RouteDefinitionId).UseCollation(SqlServerExactCollation);
            builder.Entity<InboxRecord>().Property(i => i.Consumer).UseCollation(SqlServerExactCollation);
            builder.Entity<IdempotencyRecord>().Property(i => i.Key).UseCollation(SqlServerExactCollation);
        }
    }

    /// <summary>The provider this context's migrations are for.</summary>
    public abstract DatabaseProvider Provider { get; }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}
