using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Workflow.Tests.Integration;

/// <summary>The `import` and `export` verbs, run as a user would: the host executable on the same database.</summary>
public sealed partial class CliTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    [Fact]
    public async Task Import_then_export_through_the_command_line()
    {
        await app.As("admin");
        var output = Path.Combine(app.Folder, "exported.md");

        var import = await Run("import", Fixture.SamplePath, "--title", "命令行导入");
        Assert.Equal(0, import.Exit);
        var id = ImportedId().Match(import.Out).Groups[1].Value;
        Assert.Contains("9 sections, 96 missing figures", import.Out);
        var reports = await Api.Read<JsonElement[]>(await (await app.As("admin")).GetAsync("/api/reports"));
        Assert.Contains(reports, r => r.GetProperty("id").GetString() == id && r.GetProperty("sections").GetInt32() == 9 + 2);

        var export = await Run("export", id, "--format", "md", "--output", output);
        Assert.Equal(0, export.Exit);
        var markdown = await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken);
        Assert.Contains("# 命令行导入", markdown);
        Assert.Contains("### （三）意识形态工作有力有为", markdown);
    }

    [Fact]
    public async Task Bad_input_ends_with_a_non_zero_exit_and_one_line_on_stderr()
    {
        await app.As("admin");
        var plain = Path.Combine(app.Folder, "notice.txt");
        await File.WriteAllTextAsync(plain, "通知\n请各单位按时报送。", TestContext.Current.CancellationToken);

        var missing = await Run("import", Path.Combine(app.Folder, "nope.txt"));
        var noOutline = await Run("import", plain);
        var unknown = await Run("export", Guid.NewGuid().ToString());

        Assert.All(new[] { missing, noOutline, unknown }, r => Assert.Equal(2, r.Exit));
        Assert.StartsWith("error: no such file", missing.Err);
        Assert.Contains("asOneSection", noOutline.Err);
        Assert.StartsWith("error: no report", unknown.Err);
    }

    [Fact]
    public async Task An_anchor_file_written_earlier_proves_a_later_rewrite_even_with_the_key_in_hand()
    {
        var (report, section) = await AuditCheckpointTests.ApprovedSection(app);
        var anchor = Path.Combine(app.Folder, $"anchor-{report:N}.json");

        var export = await Run("audit", "export", "--report", report.ToString(), "-o", anchor);
        Assert.Equal(0, export.Exit);
        var before = await Run("audit", "verify", anchor);
        Assert.Equal(0, before.Exit);
        Assert.StartsWith("ok", before.Out, StringComparison.Ordinal);

        // The whole chain and head recomputed after the rewrite: only something kept outside can tell.
        AuditCheckpointTests.RewriteLikeAnAttacker(app, report, section);
        var after = await Run("audit", "verify", anchor);

        Assert.Equal(1, after.Exit);
        Assert.Contains("REWRITTEN", after.Out, StringComparison.Ordinal);
        Assert.StartsWith("error: 1 of 1 audit chain(s) are not as anchored", after.Err, StringComparison.Ordinal);
        var refused = await Run("audit", "export", "--report", report.ToString(), "-o", Path.Combine(app.Folder, "later.json"));
        Assert.Equal(2, refused.Exit);
        var garbage = Path.Combine(app.Folder, "garbage.json");
        await File.WriteAllTextAsync(garbage, "{\"format\":\"something else\"}", TestContext.Current.CancellationToken);
        Assert.Equal(2, (await Run("audit", "verify", garbage)).Exit);
    }

    private async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = app.Folder };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Workflow.Host.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["ConnectionStrings__Workflow"] = $"Data Source={app.DatabasePath}";
        start.Environment["DataProtection__KeysPath"] = Path.Combine(app.Folder, "keys");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout, (await stderr).Trim());
    }

    [GeneratedRegex("imported report ([0-9a-f-]{36})")]
    private static partial Regex ImportedId();
}
