namespace Workflow.Tests.SqlServer;

public sealed class SqlServerScriptCheckTests
{
    // Written as `dotnet ef migrations script --idempotent` writes for SQL Server (EF Core 10): GO between
    // migrations, every statement behind the history check, filtered indexes and views inside EXEC(N'...'),
    // ALTER COLUMN after dropping its default by a name found at run time.
    private const string ValidScript = """
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
            WHERE [MigrationId] = N'20260101000001_Initial'
        )
        BEGIN
            CREATE TABLE [Departments] (
                [Id] int NOT NULL IDENTITY,
                [Code] nvarchar(32) NULL,
                [Name] nvarchar(100) NOT NULL,
                CONSTRAINT [PK_Departments] PRIMARY KEY ([Id])
            );
        END;

        IF NOT EXISTS (
            SELECT * FROM [__EFMigrationsHistory]
            WHERE [MigrationId] = N'20260101000001_Initial'
        )
        BEGIN
            CREATE TABLE [Reports] (
                [Id] uniqueidentifier NOT NULL,
                [Title] nvarchar(200) NOT NULL,
                [Body] nvarchar(max) NOT NULL,
                [DepartmentId] int NULL,
                [CreatedById] nvarchar(450) NOT NULL,
                CONSTRAINT [PK_Reports] PRIMARY KEY ([Id]),
                CONSTRAINT [FK_Reports_Departments_DepartmentId] FOREIGN KEY ([DepartmentId]) REFERENCES [Departments] ([Id]) ON DELETE SET NULL
            );
        END;

        IF NOT EXISTS (
            SELECT * FROM [__EFMigrationsHistory]
            WHERE [MigrationId] = N'20260101000001_Initial'
        )
        BEGIN
            CREATE TABLE [Sections] (
                [Id] bigint NOT NULL IDENTITY,
                [ReportId] uniqueidentifier NOT NULL,
                [Number] nvarchar(16) NOT NULL,
                [DepartmentId] int NULL,
                [ParentId] bigint NULL,
                CONSTRAINT [PK_Sections] PRIMARY KEY ([Id]),
                CONSTRAINT [FK_Sections_Departments_DepartmentId] FOREIGN KEY ([DepartmentId]) REFERENCES [Departments] ([Id]),
                CONSTRAINT [FK_Sections_Reports_ReportId] FOREIGN KEY ([ReportId]) REFERENCES [Reports] ([Id]) ON DELETE CASCADE,
                CONSTRAINT [FK_Sections_Sections_ParentId] FOREIGN KEY ([ParentId]) REFERENCES [Sections] ([Id]) ON DELETE NO ACTION
            );
        END;

        IF NOT EXISTS (
            SELECT * FROM [__EFMigrationsHistory]
            WHERE [MigrationId] = N'20260101000001_Initial'
        )
        BEGIN
            EXEC(N'CREATE UNIQUE INDEX [IX_Departments_Code] ON [Departments] ([Code]) WHERE [Code] IS NOT NULL');
        END;

        IF NOT EXISTS (
            SELECT * FROM [__EFMigrationsHistory]
            WHERE [MigrationId] = N'20260101000001_Initial'
        )
        BEGIN
            CREATE INDEX [IX_Reports_CreatedById] ON [Reports] ([CreatedById]) INCLUDE ([Body]);
        END;

        IF NOT EXISTS (
            SELECT * FROM [__EFMigrationsHistory]
            WHERE [MigrationId] = N'20260101000001_Initial'
        )
        BEGIN
            CREATE INDEX [IX_Sections_DepartmentId] ON [Sections] ([DepartmentId]);
        END;

        IF NOT EXISTS (
            SELECT * FROM [__EFMigrationsHistory]
            WHERE [MigrationId] = N'20260101000001_Initial'
        )
        BEGIN
            EXEC(N'CREATE UNIQUE INDEX [IX_Sections_ReportId_Number] ON [Sections] ([ReportId], [Number]) WHERE [ReportId] IS NOT NULL AND [Number] IS NOT NULL');
        END;

        IF NOT EXISTS (
            SELECT * FROM [__EFMigrationsHistory]
            WHERE [MigrationId] = N'20260101000001_Initial'
        )
        BEGIN
            INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
            VALUES (N'20260101000001_Initial', N'10.0.15');
        END;

        COMMIT;
        GO

        BEGIN TRANSACTION;
        IF NOT EXISTS (
            SELECT * FROM [__EFMigrationsHistory]
            WHERE [MigrationId] = N'20260101000002_Labels'
        )
        BEGIN
            ALTER TABLE [Reports] ADD [Status] nvarchar(16) NOT NULL DEFAULT N'';
        END;

        IF NOT EXISTS (
            SELECT * FROM [__EFMigrationsHistory]
            WHERE [MigrationId] = N'20260101000002_Labels'
        )
        BEGIN
            DECLARE @var nvarchar(max);
            SELECT @var = QUOTENAME([d].[name])
            FROM [sys].[default_constraints] [d]
            INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
            WHERE ([d].[parent_object_id] = OBJECT_ID(N'[Departments]') AND [c].[name] = N'Name');
            IF @var IS NOT NULL EXEC(N'ALTER TABLE [Departments] DROP CONSTRAINT ' + @var + ';');
            ALTER TABLE [Departments] ALTER COLUMN [Name] nvarchar(200) NOT NULL;
        END;

        IF NOT EXISTS (
            SELECT * FROM [__EFMigrationsHistory]
            WHERE [MigrationId] = N'20260101000002_Labels'
        )
        BEGIN
            EXEC sp_rename N'[Sections].[Number]', N'Label', 'COLUMN';
        END;

        IF NOT EXISTS (
            SELECT * FROM [__EFMigrationsHistory]
            WHERE [MigrationId] = N'20260101000002_Labels'
        )
        BEGIN
            DROP INDEX [IX_Sections_DepartmentId] ON [Sections];
        END;

        IF NOT EXISTS (
            SELECT * FROM [__EFMigrationsHistory]
            WHERE [MigrationId] = N'20260101000002_Labels'
        )
        BEGIN
            EXEC(N'CREATE INDEX [IX_Reports_Status_Title] ON [Reports] ([Status], [Title]) WHERE [Status] <> N''Draft''');
        END;

        IF NOT EXISTS (
            SELECT * FROM [__EFMigrationsHistory]
            WHERE [MigrationId] = N'20260101000002_Labels'
        )
        BEGIN
            EXEC(N'CREATE VIEW [OpenReports] AS SELECT [Id], [Title] FROM [Reports] WHERE [Status] = N''Open''');
        END;

        IF NOT EXISTS (
            SELECT * FROM [__EFMigrationsHistory]
            WHERE [MigrationId] = N'20260101000002_Labels'
        )
        BEGIN
            INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
            VALUES (N'20260101000002_Labels', N'10.0.15');
        END;

        COMMIT;
        GO

        """;

    // Four tables for the cascade rules; the foreign keys between them are added by each test.
    private const string FourTables = """
        CREATE TABLE [A] ([Id] int NOT NULL IDENTITY, CONSTRAINT [PK_A] PRIMARY KEY ([Id]));
        CREATE TABLE [B] ([Id] int NOT NULL IDENTITY, [AId] int NOT NULL, CONSTRAINT [PK_B] PRIMARY KEY ([Id]));
        CREATE TABLE [C] ([Id] int NOT NULL IDENTITY, [AId] int NOT NULL, CONSTRAINT [PK_C] PRIMARY KEY ([Id]));
        CREATE TABLE [D] ([Id] int NOT NULL IDENTITY, [BId] int NOT NULL, [CId] int NOT NULL, CONSTRAINT [PK_D] PRIMARY KEY ([Id]));
        GO

        """;

    private static IReadOnlyList<string> Check(string script, params string[] identityColumns) =>
        SqlServerScriptCheck.Check(script, identityColumns);

    [Fact]
    public void A_valid_script_in_the_style_EF_writes_has_no_problems()
    {
        Assert.Empty(Check(ValidScript, "Departments.Id", "Sections.Id"));
    }

    [Fact]
    public void A_syntax_error_is_reported_with_its_line_and_the_other_batches_are_still_checked()
    {
        var problems = Check("""
            CREATE TABLE [A] ([Id] int NOT NULL, CONSTRAINT [PK_A] PRIMARY KEY ([Id]));
            GO
            CREATE TABL [B] ([Id] int NOT NULL);
            GO
            CREATE INDEX [IX_A_Id] ON [A] ([Id]);
            """);

        Assert.Equal("line 3, column 8: syntax error: Incorrect syntax near 'TABL'.", Assert.Single(problems));
    }

    [Fact]
    public void A_data_statement_naming_a_column_added_in_the_same_batch_is_refused_unless_in_EXEC_or_after_GO()
    {
        const string table = "CREATE TABLE [A] ([Id] int NOT NULL, CONSTRAINT [PK_A] PRIMARY KEY ([Id]));\nGO\n";
        const string add = "IF 1 = 1 BEGIN ALTER TABLE [A] ADD [Name] nvarchar(100) NULL; END;\n";

        var same = Check(table + add + "IF 1 = 1 BEGIN UPDATE [A] SET [Name] = N'x'; END;\n");
        var wrapped = Check(table + add + "IF 1 = 1 BEGIN EXEC(N'UPDATE [A] SET [Name] = N''x'''); END;\n");
        var later = Check(table + add + "GO\nUPDATE [A] SET [Name] = N'x';\n");

        Assert.Contains("names [Name], which [A] gains earlier in the same batch", Assert.Single(same), StringComparison.Ordinal);
        Assert.Empty(wrapped);
        Assert.Empty(later);
    }

    [Fact]
    public void Syntax_only_sql_server_2022_knows_is_refused_since_2019_is_supported()
    {
        var problems = Check("""
            CREATE TABLE [A] ([Id] int NOT NULL, [Code] nvarchar(32) NULL, CONSTRAINT [PK_A] PRIMARY KEY ([Id]));
            GO
            SELECT [Id] FROM [A] WHERE [Code] IS DISTINCT FROM N'x';
            """);

        Assert.StartsWith("line 3, column ", Assert.Single(problems));
        Assert.Contains("syntax error (SQL Server 2019's grammar)", problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_syntax_error_inside_an_EXEC_string_is_reported_at_the_line_of_the_EXEC()
    {
        var problems = Check("""
            CREATE TABLE [A] ([Id] int NOT NULL, [Code] nvarchar(32) NULL, CONSTRAINT [PK_A] PRIMARY KEY ([Id]));
            GO
            EXEC(N'CREATE UNIQUE INDEX [IX_A_Code] ON [A] ([Code]) WHERE [Code] IS NOT');
            """);

        Assert.Equal("line 3, inside EXEC: syntax error: Unexpected end of file occurred.", Assert.Single(problems));
    }

    [Fact]
    public void A_max_column_in_a_primary_key_is_refused()
    {
        var problems = Check("""
            CREATE TABLE [AspNetRoles] (
                [Id] nvarchar(max) NOT NULL,
                [Name] nvarchar(256) NULL,
                CONSTRAINT [PK_AspNetRoles] PRIMARY KEY ([Id])
            );
            """);

        Assert.Equal(
            "line 1: clustered primary key [PK_AspNetRoles] on [AspNetRoles]: key column [Id] is nvarchar(max), which cannot be an index key (only INCLUDE may hold it)",
            Assert.Single(problems));
    }

    [Fact]
    public void A_max_column_in_an_index_is_refused()
    {
        var problems = Check("""
            CREATE TABLE [Reports] ([Id] int NOT NULL, [Body] nvarchar(max) NOT NULL, CONSTRAINT [PK_Reports] PRIMARY KEY ([Id]));
            CREATE INDEX [IX_Reports_Body] ON [Reports] ([Body]);
            """);

        Assert.Equal(
            "line 2: nonclustered index [IX_Reports_Body] on [Reports]: key column [Body] is nvarchar(max), which cannot be an index key (only INCLUDE may hold it)",
            Assert.Single(problems));
    }

    [Fact]
    public void A_max_column_in_a_filtered_index_inside_EXEC_is_refused()
    {
        var problems = Check("""
            CREATE TABLE [Reports] ([Id] int NOT NULL, [Tag] varbinary(max) NULL, CONSTRAINT [PK_Reports] PRIMARY KEY ([Id]));
            GO
            IF NOT EXISTS (SELECT * FROM [__EFMigrationsHistory] WHERE [MigrationId] = N'20260101000001_Initial')
            BEGIN
                EXEC(N'CREATE UNIQUE INDEX [IX_Reports_Tag] ON [Reports] ([Tag]) WHERE [Tag] IS NOT NULL');
            END;
            """);

        Assert.Equal(
            "line 5: nonclustered unique index [IX_Reports_Tag] on [Reports]: key column [Tag] is varbinary(max), which cannot be an index key (only INCLUDE may hold it)",
            Assert.Single(problems));
    }

    [Fact]
    public void An_INCLUDE_column_may_be_max_and_is_not_counted_in_the_key_size()
    {
        var problems = Check("""
            CREATE TABLE [Reports] ([Id] int NOT NULL, [Title] nvarchar(850) NOT NULL, [Body] nvarchar(max) NOT NULL, CONSTRAINT [PK_Reports] PRIMARY KEY ([Id]));
            CREATE INDEX [IX_Reports_Title] ON [Reports] ([Title]) INCLUDE ([Body]);
            """);

        Assert.Empty(problems);
    }

    [Fact]
    public void A_clustered_composite_primary_key_over_900_bytes_is_refused()
    {
        var problems = Check("""
            CREATE TABLE [IdempotencyRecords] (
                [UserId] nvarchar(450) NOT NULL,
                [Key] nvarchar(128) NOT NULL,
                CONSTRAINT [PK_IdempotencyRecords] PRIMARY KEY ([UserId], [Key])
            );
            """);

        Assert.Equal(
            "line 1: clustered primary key [PK_IdempotencyRecords] on [IdempotencyRecords]: key [UserId] nvarchar(450) + [Key] nvarchar(128) is 1,156 bytes, over the 900-byte limit of a clustered index",
            Assert.Single(problems));
    }

    [Fact]
    public void The_same_composite_primary_key_declared_NONCLUSTERED_passes()
    {
        var problems = Check("""
            CREATE TABLE [IdempotencyRecords] (
                [UserId] nvarchar(450) NOT NULL,
                [Key] nvarchar(128) NOT NULL,
                CONSTRAINT [PK_IdempotencyRecords] PRIMARY KEY NONCLUSTERED ([UserId], [Key])
            );
            """);

        Assert.Empty(problems);
    }

    [Fact]
    public void A_nonclustered_index_over_1700_bytes_is_refused()
    {
        var problems = Check("""
            CREATE TABLE [Tasks] ([Id] uniqueidentifier NOT NULL, [AssigneeId] nvarchar(450) NOT NULL, [Stage] nvarchar(400) NOT NULL, [DueAt] datetime2 NULL, CONSTRAINT [PK_Tasks] PRIMARY KEY ([Id]));
            CREATE INDEX [IX_Tasks_AssigneeId_DueAt] ON [Tasks] ([AssigneeId], [DueAt]);
            CREATE INDEX [IX_Tasks_AssigneeId_Stage_DueAt] ON [Tasks] ([AssigneeId], [Stage], [DueAt]);
            """);

        Assert.Equal(
            "line 3: nonclustered index [IX_Tasks_AssigneeId_Stage_DueAt] on [Tasks]: key [AssigneeId] nvarchar(450) + [Stage] nvarchar(400) + [DueAt] datetime2 is 1,708 bytes, over the 1,700-byte limit of a nonclustered index",
            Assert.Single(problems));
    }

    [Fact]
    public void An_ALTER_COLUMN_that_later_turns_an_indexed_column_into_max_is_refused_once()
    {
        var problems = Check("""
            CREATE TABLE [Tags] ([Id] int NOT NULL IDENTITY, [Name] nvarchar(100) NOT NULL, CONSTRAINT [PK_Tags] PRIMARY KEY ([Id]));
            GO
            EXEC(N'CREATE UNIQUE INDEX [IX_Tags_Name] ON [Tags] ([Name]) WHERE [Name] IS NOT NULL');
            GO
            ALTER TABLE [Tags] ALTER COLUMN [Name] nvarchar(max) NOT NULL;
            GO
            """);

        Assert.Equal(
            "line 5: after ALTER COLUMN [Tags].[Name] nvarchar(max), nonclustered unique index [IX_Tags_Name] on [Tags]: key column [Name] is nvarchar(max), which cannot be an index key (only INCLUDE may hold it)",
            Assert.Single(problems));
    }

    [Fact]
    public void An_ALTER_COLUMN_that_grows_a_clustered_key_past_900_bytes_is_refused()
    {
        var problems = Check("""
            CREATE TABLE [Routes] ([DefinitionId] nvarchar(64) NOT NULL, [Version] int NOT NULL, CONSTRAINT [PK_Routes] PRIMARY KEY ([DefinitionId], [Version]));
            ALTER TABLE [Routes] ALTER COLUMN [DefinitionId] nvarchar(450) NOT NULL;
            """);

        Assert.Equal(
            "line 2: after ALTER COLUMN [Routes].[DefinitionId] nvarchar(450), clustered primary key [PK_Routes] on [Routes]: key [DefinitionId] nvarchar(450) + [Version] int is 904 bytes, over the 900-byte limit of a clustered index",
            Assert.Single(problems));
    }

    [Fact]
    public void A_primary_key_added_later_on_a_nullable_column_is_refused()
    {
        var problems = Check("""
            CREATE TABLE [Inbox] ([Consumer] nvarchar(100) NULL, [MessageId] uniqueidentifier NOT NULL);
            ALTER TABLE [Inbox] ADD CONSTRAINT [PK_Inbox] PRIMARY KEY ([Consumer], [MessageId]);
            """);

        Assert.Equal("line 2: clustered primary key [PK_Inbox] on [Inbox]: column [Consumer] is nullable", Assert.Single(problems));
    }

    [Fact]
    public void A_listed_identity_column_created_without_IDENTITY_is_reported()
    {
        var problems = Check("""
            CREATE TABLE [AspNetRoleClaims] (
                [Id] int NOT NULL,
                [ClaimType] nvarchar(max) NULL,
                CONSTRAINT [PK_AspNetRoleClaims] PRIMARY KEY ([Id])
            );
            """, "AspNetRoleClaims.Id");

        Assert.Equal("identity column [AspNetRoleClaims].[Id] is created without IDENTITY", Assert.Single(problems));
    }

    [Fact]
    public void A_listed_identity_column_whose_table_or_column_is_not_created_is_reported()
    {
        var problems = Check("""
            CREATE TABLE [AspNetUserClaims] ([Id] int NOT NULL IDENTITY, CONSTRAINT [PK_AspNetUserClaims] PRIMARY KEY ([Id]));
            """, "AspNetUserClaims.Id", "AspNetRoleClaims.Id", "AspNetUserClaims.Number");

        Assert.Equal(
            [
                "identity column AspNetRoleClaims.Id: the script creates no table [AspNetRoleClaims]",
                "identity column AspNetUserClaims.Number: table [AspNetUserClaims] has no column [Number]",
            ],
            problems);
    }

    [Fact]
    public void Two_cascade_paths_to_one_table_are_refused()
    {
        var problems = Check(FourTables + """
            ALTER TABLE [B] ADD CONSTRAINT [FK_B_A_AId] FOREIGN KEY ([AId]) REFERENCES [A] ([Id]) ON DELETE CASCADE;
            ALTER TABLE [C] ADD CONSTRAINT [FK_C_A_AId] FOREIGN KEY ([AId]) REFERENCES [A] ([Id]) ON DELETE CASCADE;
            ALTER TABLE [D] ADD CONSTRAINT [FK_D_B_BId] FOREIGN KEY ([BId]) REFERENCES [B] ([Id]) ON DELETE CASCADE;
            ALTER TABLE [D] ADD CONSTRAINT [FK_D_C_CId] FOREIGN KEY ([CId]) REFERENCES [C] ([Id]) ON DELETE CASCADE;
            """);

        Assert.Equal(
            "line 9: foreign key [FK_D_C_CId] on [D] referencing [C] with ON DELETE CASCADE makes two cascade paths from [A] to [D]: [A] → [B] → [D] and [A] → [C] → [D]; SQL Server refuses it",
            Assert.Single(problems));
    }

    [Fact]
    public void Two_cascade_paths_are_refused_when_declared_inside_CREATE_TABLE_and_SET_NULL_counts_as_cascading()
    {
        var problems = Check("""
            CREATE TABLE [Departments] ([Id] int NOT NULL IDENTITY, CONSTRAINT [PK_Departments] PRIMARY KEY ([Id]));
            CREATE TABLE [Reports] (
                [Id] int NOT NULL IDENTITY,
                [DepartmentId] int NOT NULL,
                CONSTRAINT [PK_Reports] PRIMARY KEY ([Id]),
                CONSTRAINT [FK_Reports_Departments_DepartmentId] FOREIGN KEY ([DepartmentId]) REFERENCES [Departments] ([Id]) ON DELETE CASCADE
            );
            CREATE TABLE [Sections] (
                [Id] int NOT NULL IDENTITY,
                [ReportId] int NOT NULL,
                [DepartmentId] int NULL,
                CONSTRAINT [PK_Sections] PRIMARY KEY ([Id]),
                CONSTRAINT [FK_Sections_Reports_ReportId] FOREIGN KEY ([ReportId]) REFERENCES [Reports] ([Id]) ON DELETE CASCADE,
                CONSTRAINT [FK_Sections_Departments_DepartmentId] FOREIGN KEY ([DepartmentId]) REFERENCES [Departments] ([Id]) ON DELETE SET NULL
            );
            """);

        Assert.Equal(
            "line 8: foreign key [FK_Sections_Departments_DepartmentId] on [Sections] referencing [Departments] with ON DELETE SET NULL makes two cascade paths from [Departments] to [Sections]: [Departments] → [Reports] → [Sections] and [Departments] → [Sections]; SQL Server refuses it",
            Assert.Single(problems));
    }

    [Fact]
    public void A_cascade_cycle_is_refused()
    {
        var problems = Check(FourTables + """
            ALTER TABLE [B] ADD CONSTRAINT [FK_B_A_AId] FOREIGN KEY ([AId]) REFERENCES [A] ([Id]) ON DELETE CASCADE;
            ALTER TABLE [D] ADD CONSTRAINT [FK_D_B_BId] FOREIGN KEY ([BId]) REFERENCES [B] ([Id]) ON DELETE CASCADE;
            ALTER TABLE [A] ADD [DId] int NULL;
            ALTER TABLE [A] ADD CONSTRAINT [FK_A_D_DId] FOREIGN KEY ([DId]) REFERENCES [D] ([Id]) ON DELETE CASCADE;
            """);

        Assert.Equal(
            "line 9: foreign key [FK_A_D_DId] on [A] referencing [D] with ON DELETE CASCADE makes a cycle of cascading foreign keys: [D] → [A] → [B] → [D]; SQL Server refuses it",
            Assert.Single(problems));
    }

    [Fact]
    public void A_self_referencing_cascade_is_a_cycle()
    {
        var problems = Check("""
            CREATE TABLE [Sections] (
                [Id] int NOT NULL IDENTITY,
                [ParentId] int NULL,
                CONSTRAINT [PK_Sections] PRIMARY KEY ([Id]),
                CONSTRAINT [FK_Sections_Sections_ParentId] FOREIGN KEY ([ParentId]) REFERENCES [Sections] ([Id]) ON DELETE CASCADE
            );
            """);

        Assert.Equal(
            "line 1: foreign key [FK_Sections_Sections_ParentId] on [Sections] referencing [Sections] with ON DELETE CASCADE makes a cycle of cascading foreign keys: [Sections] → [Sections]; SQL Server refuses it",
            Assert.Single(problems));
    }

    [Fact]
    public void A_second_path_that_does_not_cascade_is_fine()
    {
        var problems = Check(FourTables + """
            ALTER TABLE [B] ADD CONSTRAINT [FK_B_A_AId] FOREIGN KEY ([AId]) REFERENCES [A] ([Id]) ON DELETE CASCADE;
            ALTER TABLE [C] ADD CONSTRAINT [FK_C_A_AId] FOREIGN KEY ([AId]) REFERENCES [A] ([Id]) ON DELETE CASCADE;
            ALTER TABLE [D] ADD CONSTRAINT [FK_D_B_BId] FOREIGN KEY ([BId]) REFERENCES [B] ([Id]) ON DELETE CASCADE;
            ALTER TABLE [D] ADD CONSTRAINT [FK_D_C_CId] FOREIGN KEY ([CId]) REFERENCES [C] ([Id]) ON DELETE NO ACTION;
            """);

        Assert.Empty(problems);
    }

    [Fact]
    public void A_dropped_cascading_foreign_key_no_longer_counts()
    {
        var problems = Check(FourTables + """
            ALTER TABLE [B] ADD CONSTRAINT [FK_B_A_AId] FOREIGN KEY ([AId]) REFERENCES [A] ([Id]) ON DELETE CASCADE;
            ALTER TABLE [C] ADD CONSTRAINT [FK_C_A_AId] FOREIGN KEY ([AId]) REFERENCES [A] ([Id]) ON DELETE CASCADE;
            ALTER TABLE [D] ADD CONSTRAINT [FK_D_B_BId] FOREIGN KEY ([BId]) REFERENCES [B] ([Id]) ON DELETE CASCADE;
            ALTER TABLE [D] DROP CONSTRAINT [FK_D_B_BId];
            ALTER TABLE [D] ADD CONSTRAINT [FK_D_C_CId] FOREIGN KEY ([CId]) REFERENCES [C] ([Id]) ON DELETE CASCADE;
            """);

        Assert.Empty(problems);
    }

    [Fact]
    public void Renames_by_sp_rename_are_followed()
    {
        var problems = Check("""
            CREATE TABLE [Things] ([Id] int NOT NULL IDENTITY, [Body] nvarchar(max) NULL, [Code] nvarchar(32) NOT NULL, CONSTRAINT [PK_Things] PRIMARY KEY ([Id]));
            CREATE INDEX [IX_Things_Code] ON [Things] ([Code]);
            GO
            EXEC sp_rename N'[Things].[Code]', N'Key', 'COLUMN';
            EXEC sp_rename N'[Things]', N'Items', 'OBJECT';
            EXEC sp_rename N'[Items].[IX_Things_Code]', N'IX_Items_Key', 'INDEX';
            EXEC sp_rename N'[PK_Things]', N'PK_Items';
            GO
            DROP INDEX [IX_Items_Key] ON [Items];
            ALTER TABLE [Items] DROP CONSTRAINT [PK_Items];
            CREATE INDEX [IX_Items_Body] ON [Items] ([Key]) INCLUDE ([Body]);
            """, "Items.Id");

        Assert.Empty(problems);
    }

    [Fact]
    public void Tables_in_another_schema_are_told_apart_and_named_with_it()
    {
        var problems = Check("""
            IF SCHEMA_ID(N'wf') IS NULL EXEC(N'CREATE SCHEMA [wf];');
            CREATE TABLE [wf].[Things] ([Id] int NOT NULL IDENTITY, [Body] nvarchar(max) NULL, CONSTRAINT [PK_Things] PRIMARY KEY ([Id]));
            CREATE TABLE [Things] ([Id] int NOT NULL, CONSTRAINT [PK_Things] PRIMARY KEY ([Id]));
            EXEC sp_rename N'[wf].[Things].[Body]', N'Content', 'COLUMN';
            CREATE INDEX [IX_Things_Content] ON [wf].[Things] ([Content]);
            """, "wf.Things.Id", "Things.Id");

        Assert.Equal(
            [
                "line 5: nonclustered index [IX_Things_Content] on [wf].[Things]: key column [Content] is nvarchar(max), which cannot be an index key (only INCLUDE may hold it)",
                "identity column [Things].[Id] is created without IDENTITY",
            ],
            problems);
    }

    [Fact]
    public void A_constraint_name_kept_by_a_renamed_table_cannot_be_used_again()
    {
        var problems = Check("""
            CREATE TABLE [Things] ([Id] int NOT NULL IDENTITY, CONSTRAINT [PK_Things] PRIMARY KEY ([Id]));
            EXEC sp_rename N'[Things]', N'OldThings';
            CREATE TABLE [Things] ([Id] int NOT NULL IDENTITY, CONSTRAINT [PK_Things] PRIMARY KEY ([Id]));
            """);

        Assert.Equal(
            "line 3: clustered primary key [PK_Things] on [Things]: constraint [PK_Things] already exists on [OldThings]; constraint names are unique within a schema",
            Assert.Single(problems));
    }

    [Fact]
    public void A_dropped_column_is_gone_for_later_statements()
    {
        var problems = Check("""
            CREATE TABLE [Things] ([Id] int NOT NULL IDENTITY, [Code] nvarchar(32) NOT NULL, CONSTRAINT [PK_Things] PRIMARY KEY ([Id]));
            ALTER TABLE [Things] DROP COLUMN [Code];
            CREATE INDEX [IX_Things_Code] ON [Things] ([Code]);
            """);

        Assert.Equal("line 3: nonclustered index [IX_Things_Code] on [Things]: no column [Code]", Assert.Single(problems));
    }
}
