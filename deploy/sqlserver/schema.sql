IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL
BEGIN
    CREATE TABLE [__EFMigrationsHistory] (
        [MigrationId] nvarchar(150) NOT NULL,
        [ProductVersion] nvarchar(32) NOT NULL,
        CONSTRAINT [PK___EFMigrationsHistory] PRIMARY KEY ([MigrationId])
    );
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE TABLE [AspNetRoles] (
        [Id] nvarchar(128) NOT NULL,
        [Name] nvarchar(256) NULL,
        [NormalizedName] nvarchar(256) NULL,
        [ConcurrencyStamp] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetRoles] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE TABLE [AuditEntries] (
        [Id] uniqueidentifier NOT NULL,
        [ReportId] uniqueidentifier NOT NULL,
        [Sequence] bigint NOT NULL,
        [SectionId] uniqueidentifier NULL,
        [ActorId] nvarchar(128) NOT NULL,
        [ActorName] nvarchar(256) NOT NULL,
        [Action] nvarchar(64) NOT NULL,
        [Data] nvarchar(max) NOT NULL,
        [At] bigint NOT NULL,
        [PreviousHash] nvarchar(64) NOT NULL,
        [Hash] nvarchar(64) NOT NULL,
        CONSTRAINT [PK_AuditEntries] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE TABLE [Departments] (
        [Id] uniqueidentifier NOT NULL,
        [Code] nvarchar(32) COLLATE Latin1_General_100_BIN2 NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        CONSTRAINT [PK_Departments] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE TABLE [IdempotencyRecords] (
        [UserId] nvarchar(128) NOT NULL,
        [Key] nvarchar(128) COLLATE Latin1_General_100_BIN2 NOT NULL,
        [RequestHash] nvarchar(64) NOT NULL,
        [StatusCode] int NOT NULL,
        [ResponseBody] nvarchar(max) NOT NULL,
        [CreatedAt] bigint NOT NULL,
        CONSTRAINT [PK_IdempotencyRecords] PRIMARY KEY ([UserId], [Key])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE TABLE [Inbox] (
        [Consumer] nvarchar(100) COLLATE Latin1_General_100_BIN2 NOT NULL,
        [MessageId] uniqueidentifier NOT NULL,
        [ProcessedAt] bigint NOT NULL,
        CONSTRAINT [PK_Inbox] PRIMARY KEY ([Consumer], [MessageId])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE TABLE [Notifications] (
        [Id] uniqueidentifier NOT NULL,
        [UserId] nvarchar(128) NOT NULL,
        [Kind] nvarchar(32) NOT NULL,
        [Text] nvarchar(1000) NOT NULL,
        [ReportId] uniqueidentifier NULL,
        [SectionId] uniqueidentifier NULL,
        [MessageId] uniqueidentifier NOT NULL,
        [CreatedAt] bigint NOT NULL,
        [ReadAt] bigint NULL,
        CONSTRAINT [PK_Notifications] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE TABLE [Outbox] (
        [Id] uniqueidentifier NOT NULL,
        [MessageType] nvarchar(128) NOT NULL,
        [Payload] nvarchar(max) NOT NULL,
        [ReportId] uniqueidentifier NULL,
        [SectionId] uniqueidentifier NULL,
        [CreatedAt] bigint NOT NULL,
        [SentAt] bigint NULL,
        [Attempts] int NOT NULL,
        [LastError] nvarchar(max) NULL,
        [LockedBy] nvarchar(100) NULL,
        [LockedUntil] bigint NULL,
        [NextAttemptAt] bigint NULL,
        [ParkedAt] bigint NULL,
        CONSTRAINT [PK_Outbox] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE TABLE [Reports] (
        [Id] uniqueidentifier NOT NULL,
        [Title] nvarchar(200) NOT NULL,
        [Lead] nvarchar(max) NOT NULL,
        [Closing] nvarchar(max) NOT NULL,
        [RouteDefinitionId] nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
        [RouteVersion] int NOT NULL,
        [CreatedAt] bigint NOT NULL,
        [CreatedById] nvarchar(128) NOT NULL,
        [AuditSequence] bigint NOT NULL,
        [AuditHead] nvarchar(64) NULL,
        CONSTRAINT [PK_Reports] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE TABLE [Routes] (
        [DefinitionId] nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
        [Version] int NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [Json] nvarchar(max) NOT NULL,
        [PublishedAt] bigint NOT NULL,
        [PublishedById] nvarchar(128) NULL,
        CONSTRAINT [PK_Routes] PRIMARY KEY ([DefinitionId], [Version])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE TABLE [AspNetRoleClaims] (
        [Id] int NOT NULL IDENTITY,
        [RoleId] nvarchar(128) NOT NULL,
        [ClaimType] nvarchar(max) NULL,
        [ClaimValue] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetRoleClaims] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetRoleClaims_AspNetRoles_RoleId] FOREIGN KEY ([RoleId]) REFERENCES [AspNetRoles] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE TABLE [AspNetUsers] (
        [Id] nvarchar(128) NOT NULL,
        [DisplayName] nvarchar(100) NOT NULL,
        [DepartmentId] uniqueidentifier NULL,
        [Disabled] bit NOT NULL,
        [OpinionPhrases] nvarchar(2100) NULL,
        [UserName] nvarchar(256) NULL,
        [NormalizedUserName] nvarchar(256) NULL,
        [Email] nvarchar(256) NULL,
        [NormalizedEmail] nvarchar(256) NULL,
        [EmailConfirmed] bit NOT NULL,
        [PasswordHash] nvarchar(max) NULL,
        [SecurityStamp] nvarchar(max) NULL,
        [ConcurrencyStamp] nvarchar(max) NULL,
        [PhoneNumber] nvarchar(max) NULL,
        [PhoneNumberConfirmed] bit NOT NULL,
        [TwoFactorEnabled] bit NOT NULL,
        [LockoutEnd] bigint NULL,
        [LockoutEnabled] bit NOT NULL,
        [AccessFailedCount] int NOT NULL,
        CONSTRAINT [PK_AspNetUsers] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetUsers_Departments_DepartmentId] FOREIGN KEY ([DepartmentId]) REFERENCES [Departments] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE TABLE [Sections] (
        [Id] uniqueidentifier NOT NULL,
        [ReportId] uniqueidentifier NOT NULL,
        [ParentId] uniqueidentifier NULL,
        [Ordinal] int NOT NULL,
        [Number] nvarchar(16) NOT NULL,
        [Title] nvarchar(200) NOT NULL,
        [Level] int NOT NULL,
        [SharesLine] bit NOT NULL,
        [HeadingMark] nvarchar(8) NOT NULL,
        [IsGroup] bit NOT NULL,
        [DepartmentId] uniqueidentifier NULL,
        [AuthorId] nvarchar(128) NULL,
        [RouteDefinitionId] nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
        [RouteVersion] int NOT NULL,
        [StageIndex] int NOT NULL,
        [Status] nvarchar(16) NOT NULL,
        [Cycle] int NOT NULL,
        [CurrentVersion] int NOT NULL,
        [CurrentHash] nvarchar(64) NOT NULL,
        [CurrentVersionAuthorId] nvarchar(128) NOT NULL,
        [UpdatedAt] bigint NOT NULL,
        [Revision] int NOT NULL,
        CONSTRAINT [PK_Sections] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Sections_Departments_DepartmentId] FOREIGN KEY ([DepartmentId]) REFERENCES [Departments] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_Sections_Reports_ReportId] FOREIGN KEY ([ReportId]) REFERENCES [Reports] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_Sections_Sections_ParentId] FOREIGN KEY ([ParentId]) REFERENCES [Sections] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE TABLE [AspNetUserClaims] (
        [Id] int NOT NULL IDENTITY,
        [UserId] nvarchar(128) NOT NULL,
        [ClaimType] nvarchar(max) NULL,
        [ClaimValue] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetUserClaims] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetUserClaims_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE TABLE [AspNetUserLogins] (
        [LoginProvider] nvarchar(128) NOT NULL,
        [ProviderKey] nvarchar(128) NOT NULL,
        [ProviderDisplayName] nvarchar(max) NULL,
        [UserId] nvarchar(128) NOT NULL,
        CONSTRAINT [PK_AspNetUserLogins] PRIMARY KEY ([LoginProvider], [ProviderKey]),
        CONSTRAINT [FK_AspNetUserLogins_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE TABLE [AspNetUserRoles] (
        [UserId] nvarchar(128) NOT NULL,
        [RoleId] nvarchar(128) NOT NULL,
        CONSTRAINT [PK_AspNetUserRoles] PRIMARY KEY ([UserId], [RoleId]),
        CONSTRAINT [FK_AspNetUserRoles_AspNetRoles_RoleId] FOREIGN KEY ([RoleId]) REFERENCES [AspNetRoles] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_AspNetUserRoles_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE TABLE [AspNetUserTokens] (
        [UserId] nvarchar(128) NOT NULL,
        [LoginProvider] nvarchar(128) NOT NULL,
        [Name] nvarchar(128) NOT NULL,
        [Value] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetUserTokens] PRIMARY KEY ([UserId], [LoginProvider], [Name]),
        CONSTRAINT [FK_AspNetUserTokens_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE TABLE [SectionVersions] (
        [Id] uniqueidentifier NOT NULL,
        [SectionId] uniqueidentifier NOT NULL,
        [Number] int NOT NULL,
        [Content] nvarchar(max) NOT NULL,
        [Hash] nvarchar(64) NOT NULL,
        [AuthorId] nvarchar(128) NOT NULL,
        [CreatedAt] bigint NOT NULL,
        [Note] nvarchar(500) NULL,
        CONSTRAINT [PK_SectionVersions] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_SectionVersions_Sections_SectionId] FOREIGN KEY ([SectionId]) REFERENCES [Sections] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE TABLE [SignOffs] (
        [Id] uniqueidentifier NOT NULL,
        [SectionId] uniqueidentifier NOT NULL,
        [ReportId] uniqueidentifier NOT NULL,
        [Ordinal] int NOT NULL,
        [StageIndex] int NOT NULL,
        [StageKey] nvarchar(32) NOT NULL,
        [Cycle] int NOT NULL,
        [ActorId] nvarchar(128) NOT NULL,
        [OnBehalfOfId] nvarchar(128) NULL,
        [Decision] nvarchar(16) NOT NULL,
        [Opinion] nvarchar(max) NULL,
        [VersionNumber] int NOT NULL,
        [VersionHash] nvarchar(64) NOT NULL,
        [At] bigint NOT NULL,
        [Dismissed] bit NOT NULL,
        CONSTRAINT [PK_SignOffs] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_SignOffs_Sections_SectionId] FOREIGN KEY ([SectionId]) REFERENCES [Sections] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE TABLE [Tasks] (
        [Id] uniqueidentifier NOT NULL,
        [SectionId] uniqueidentifier NOT NULL,
        [ReportId] uniqueidentifier NOT NULL,
        [Ordinal] int NOT NULL,
        [StageIndex] int NOT NULL,
        [StageKey] nvarchar(32) NOT NULL,
        [Cycle] int NOT NULL,
        [AssigneeId] nvarchar(128) NOT NULL,
        [Status] nvarchar(16) NOT NULL,
        [CreatedAt] bigint NOT NULL,
        [DueAt] bigint NULL,
        [ClosedAt] bigint NULL,
        [RemindedAt] bigint NULL,
        [OverdueNotifiedAt] bigint NULL,
        [LastNudgedAt] bigint NULL,
        CONSTRAINT [PK_Tasks] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Tasks_Sections_SectionId] FOREIGN KEY ([SectionId]) REFERENCES [Sections] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE INDEX [IX_AspNetRoleClaims_RoleId] ON [AspNetRoleClaims] ([RoleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [RoleNameIndex] ON [AspNetRoles] ([NormalizedName]) WHERE [NormalizedName] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE INDEX [IX_AspNetUserClaims_UserId] ON [AspNetUserClaims] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE INDEX [IX_AspNetUserLogins_UserId] ON [AspNetUserLogins] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE INDEX [IX_AspNetUserRoles_RoleId] ON [AspNetUserRoles] ([RoleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE INDEX [EmailIndex] ON [AspNetUsers] ([NormalizedEmail]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE INDEX [IX_AspNetUsers_DepartmentId] ON [AspNetUsers] ([DepartmentId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [UserNameIndex] ON [AspNetUsers] ([NormalizedUserName]) WHERE [NormalizedUserName] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE INDEX [IX_AuditEntries_ActorId_At] ON [AuditEntries] ([ActorId], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE INDEX [IX_AuditEntries_At_Sequence] ON [AuditEntries] ([At], [Sequence]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE UNIQUE INDEX [IX_AuditEntries_ReportId_Sequence] ON [AuditEntries] ([ReportId], [Sequence]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Departments_Code] ON [Departments] ([Code]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Notifications_MessageId_UserId] ON [Notifications] ([MessageId], [UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE INDEX [IX_Notifications_UserId_CreatedAt] ON [Notifications] ([UserId], [CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE INDEX [IX_Outbox_SentAt_CreatedAt] ON [Outbox] ([SentAt], [CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE INDEX [IX_Sections_DepartmentId] ON [Sections] ([DepartmentId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE INDEX [IX_Sections_ParentId] ON [Sections] ([ParentId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE INDEX [IX_Sections_ReportId_Ordinal] ON [Sections] ([ReportId], [Ordinal]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE UNIQUE INDEX [IX_SectionVersions_SectionId_Number] ON [SectionVersions] ([SectionId], [Number]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE UNIQUE INDEX [IX_SignOffs_SectionId_Ordinal] ON [SignOffs] ([SectionId], [Ordinal]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE INDEX [IX_Tasks_AssigneeId_Status] ON [Tasks] ([AssigneeId], [Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Tasks_SectionId_Ordinal] ON [Tasks] ([SectionId], [Ordinal]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    CREATE INDEX [IX_Tasks_Status_DueAt] ON [Tasks] ([Status], [DueAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207182936_Baseline'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207182936_Baseline', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207183014_KeyLengths'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207183014_KeyLengths', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207192516_SignerAsOnTheDay'
)
BEGIN
    ALTER TABLE [SignOffs] ADD [ActorDepartment] nvarchar(100) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207192516_SignerAsOnTheDay'
)
BEGIN
    ALTER TABLE [SignOffs] ADD [ActorName] nvarchar(100) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207192516_SignerAsOnTheDay'
)
BEGIN
    ALTER TABLE [SignOffs] ADD [ActorRoles] nvarchar(200) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207192516_SignerAsOnTheDay'
)
BEGIN
    EXEC(N'UPDATE [SignOffs] SET
        [ActorName] = (SELECT u.[DisplayName] FROM [AspNetUsers] u WHERE u.[Id] = [SignOffs].[ActorId]),
        [ActorDepartment] = (SELECT d.[Name] FROM [AspNetUsers] u JOIN [Departments] d ON d.[Id] = u.[DepartmentId] WHERE u.[Id] = [SignOffs].[ActorId])')
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207192516_SignerAsOnTheDay'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207192516_SignerAsOnTheDay', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207210655_StageGraphs'
)
BEGIN
    ALTER TABLE [Tasks] ADD [Branch] nvarchar(256) NOT NULL DEFAULT N'';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207210655_StageGraphs'
)
BEGIN
    ALTER TABLE [Tasks] ADD [ById] nvarchar(128) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207210655_StageGraphs'
)
BEGIN
    ALTER TABLE [Tasks] ADD [Depth] int NOT NULL DEFAULT 0;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207210655_StageGraphs'
)
BEGIN
    ALTER TABLE [Tasks] ADD [Kind] nvarchar(16) NOT NULL DEFAULT N'Regular';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207210655_StageGraphs'
)
BEGIN
    ALTER TABLE [Tasks] ADD [ParentOrdinal] int NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207210655_StageGraphs'
)
BEGIN
    ALTER TABLE [Tasks] ADD [Visit] int NOT NULL DEFAULT 0;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207210655_StageGraphs'
)
BEGIN
    ALTER TABLE [SignOffs] ADD [Branch] nvarchar(256) NOT NULL DEFAULT N'';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207210655_StageGraphs'
)
BEGIN
    ALTER TABLE [SignOffs] ADD [Kind] nvarchar(16) NOT NULL DEFAULT N'Regular';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207210655_StageGraphs'
)
BEGIN
    ALTER TABLE [SignOffs] ADD [Visit] int NOT NULL DEFAULT 0;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207210655_StageGraphs'
)
BEGIN
    CREATE TABLE [Moves] (
        [Id] uniqueidentifier NOT NULL,
        [SectionId] uniqueidentifier NOT NULL,
        [ReportId] uniqueidentifier NOT NULL,
        [Ordinal] int NOT NULL,
        [Visit] int NOT NULL,
        [StageIndex] int NOT NULL,
        [StageKey] nvarchar(32) NOT NULL,
        [Cycle] int NOT NULL,
        [ActorId] nvarchar(128) NOT NULL,
        [Reason] nvarchar(16) NOT NULL,
        [At] bigint NOT NULL,
        [Branches] nvarchar(4000) NOT NULL,
        [Skipped] nvarchar(4000) NOT NULL,
        [ResumeAt] int NULL,
        [Note] nvarchar(2000) NULL,
        CONSTRAINT [PK_Moves] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Moves_Sections_SectionId] FOREIGN KEY ([SectionId]) REFERENCES [Sections] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207210655_StageGraphs'
)
BEGIN
    CREATE TABLE [ProxyWindows] (
        [Id] uniqueidentifier NOT NULL,
        [UserId] nvarchar(128) NOT NULL,
        [ProxyId] nvarchar(128) NOT NULL,
        [From] bigint NOT NULL,
        [To] bigint NOT NULL,
        [Routes] nvarchar(2000) NOT NULL,
        [CreatedAt] bigint NOT NULL,
        [RevokedAt] bigint NULL,
        CONSTRAINT [PK_ProxyWindows] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207210655_StageGraphs'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Moves_SectionId_Ordinal] ON [Moves] ([SectionId], [Ordinal]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207210655_StageGraphs'
)
BEGIN
    CREATE INDEX [IX_ProxyWindows_ProxyId_To] ON [ProxyWindows] ([ProxyId], [To]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207210655_StageGraphs'
)
BEGIN
    CREATE INDEX [IX_ProxyWindows_UserId_To] ON [ProxyWindows] ([UserId], [To]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207210655_StageGraphs'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207210655_StageGraphs', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207215025_OnBehalfOfName'
)
BEGIN
    ALTER TABLE [SignOffs] ADD [OnBehalfOfName] nvarchar(100) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207215025_OnBehalfOfName'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207215025_OnBehalfOfName', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207225340_ReportArchive'
)
BEGIN
    ALTER TABLE [Reports] ADD [ArchivedAt] bigint NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207225340_ReportArchive'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207225340_ReportArchive', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207232857_ReportEnd'
)
BEGIN
    ALTER TABLE [Sections] ADD [Kind] nvarchar(16) NOT NULL DEFAULT N'Body';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207232857_ReportEnd'
)
BEGIN
    ALTER TABLE [Reports] ADD [Addressee] nvarchar(200) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207232857_ReportEnd'
)
BEGIN
    ALTER TABLE [Reports] ADD [Issuer] nvarchar(100) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207232857_ReportEnd'
)
BEGIN
    ALTER TABLE [Reports] ADD [LockedAt] bigint NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207232857_ReportEnd'
)
BEGIN
    CREATE TABLE [Finals] (
        [Id] uniqueidentifier NOT NULL,
        [ReportId] uniqueidentifier NOT NULL,
        [Number] int NOT NULL,
        [SignerId] nvarchar(128) NOT NULL,
        [SignerName] nvarchar(100) NOT NULL,
        [SignerTitle] nvarchar(200) NULL,
        [SignerDepartment] nvarchar(100) NULL,
        [Opinion] nvarchar(max) NOT NULL,
        [SignedAt] bigint NOT NULL,
        [Hash] nvarchar(64) NOT NULL,
        [Text] nvarchar(max) NOT NULL,
        [Parts] nvarchar(max) NOT NULL,
        [Issuer] nvarchar(100) NULL,
        [Addressee] nvarchar(200) NULL,
        [ReopenedAt] bigint NULL,
        [ReopenedById] nvarchar(128) NULL,
        [ReopenedByName] nvarchar(100) NULL,
        [ReopenReason] nvarchar(max) NULL,
        CONSTRAINT [PK_Finals] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Finals_Reports_ReportId] FOREIGN KEY ([ReportId]) REFERENCES [Reports] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207232857_ReportEnd'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Finals_ReportId_Number] ON [Finals] ([ReportId], [Number]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207232857_ReportEnd'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207232857_ReportEnd', N'10.0.15');
END;

COMMIT;
GO

