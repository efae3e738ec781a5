using System.CommandLine;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Workflow.Activities.Documents;
using Workflow.Host.Features.Export;
using Workflow.Host.Features.Import;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Cli;

/// <summary>
/// Command-line verbs that work on the configured database directly (settings from appsettings.json and
/// environment variables, e.g. ConnectionStrings__Workflow): `import FILE --title …` and `export REPORT`.
/// Exit codes: 0 done, 1 unexpected failure, 2 refused input (with one line on stderr saying why).
/// </summary>
public static class WorkflowCli
{
    public static bool Handles(string[] args) => args.Length > 0 && args[0] is "import" or "export" or "audit";

    public static async Task<int> RunAsync(string[] args)
    {
        var file = new Argument<FileInfo>("file") { Description = "the report: .txt or .md (UTF-8 or GB18030) or .docx" };
        var title = new Option<string?>("--title") { Description = "the report's title (default: the document's title line)" };
        var level = new Option<int?>("--level") { Description = "the outline level reviewed section by section (default: the deepest level under the top parts)" };
        var oneSection = new Option<bool>("--as-one-section") { Description = "import text without an outline as a single section" };
        var dryRun = new Option<bool>("--dry-run") { Description = "show the outline, warnings and missing figures without saving" };
        var user = new Option<string>("--user") { Description = "the account the import is recorded under", DefaultValueFactory = _ => "admin" };
        var import = new Command("import", "Import a report into a new report, cut into sections along its outline") { file, title, level, oneSection, dryRun, user };
        import.SetAction((parse, ct) => Guarded(() => ImportAsync(
            parse.GetValue(file)!, parse.GetValue(title), parse.GetValue(level), parse.GetValue(oneSection), parse.GetValue(dryRun), parse.GetValue(user)!, ct)));

        var report = new Argument<Guid>("report") { Description = "the report id" };
        var format = new Option<string>("--format") { Description = "docx, md or txt", DefaultValueFactory = _ => "docx" };
        format.AcceptOnlyFromAmong("docx", "md", "txt");
        var output = new Option<FileInfo?>("--output", "-o") { Description = "where to write (default: the report's title in the current folder)" };
        var export = new Command("export", "Export the assembled report (GB/T 9704 .docx, Markdown or plain text)") { report, format, output };
        export.SetAction((parse, ct) => Guarded(() => ExportAsync(parse.GetValue(report), parse.GetValue(format)!, parse.GetValue(output), ct)));

        var anchorFile = new Argument<FileInfo>("file") { Description = "the anchor file" };
        var anchorOut = new Option<FileInfo>("--output", "-o") { Description = "where to write the anchor file", Required = true };
        var anchorReport = new Option<Guid?>("--report") { Description = "one report's chain (default: every report's and the county-wide chain)" };
        var auditExport = new Command("export", "Write the current head of each audit chain to a file to keep elsewhere (print it, mail it)") { anchorReport, anchorOut };
        auditExport.SetAction((parse, ct) => Guarded(() => AuditAnchors.ExportAsync(StartAsync, parse.GetValue(anchorReport), parse.GetValue(anchorOut)!, ct)));
        var auditVerify = new Command("verify", "Check that the audit trail up to each anchored entry is as it was when the file was written") { anchorFile };
        auditVerify.SetAction((parse, ct) => Guarded(() => AuditAnchors.VerifyAsync(StartAsync, parse.GetValue(anchorFile)!, ct)));
        var audit = new Command("audit", "Anchors of the audit trail kept outside the system") { auditExport, auditVerify };

        var root = new RootCommand("County report review workflow") { import, export, audit };
        return await root.Parse(args).InvokeAsync();
    }

    private static async Task<int> ImportAsync(FileInfo file, string? title, int? level, bool oneSection, bool dryRun, string userName, CancellationToken ct)
    {
        if (!file.Exists)
        {
            return Refuse($"no such file: {file.FullName}");
        }

        ImportResult plan;
        try
        {
            plan = ReportImporter.PlanFromFile(await File.ReadAllBytesAsync(file.FullName, ct), file.Name, false, level, oneSection, title ?? Path.GetFileNameWithoutExtension(file.Name));
        }
        catch (DocumentRejectedException ex)
        {
            return Refuse($"{file.Name}: {ex.Message}");
        }

        PrintOutline(plan);
        if (dryRun)
        {
            return 0;
        }

        await using var app = await StartAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var accounts = services.GetRequiredService<UserManager<AppUser>>();
        var account = await accounts.FindByNameAsync(userName);
        if (account is null || account.Disabled)
        {
            return Refuse($"no active user '{userName}' to record the import under; pass --user or seed the demo county (--demo) first");
        }

        // The same command as POST /api/reports/{id}/import and the import page, into a new report.
        var actor = new CurrentUser(account.Id, account.UserName!, account.DisplayName, account.DepartmentId, (await accounts.GetRolesAsync(account)).ToHashSet(StringComparer.Ordinal));
        var report = Guid.NewGuid();
        var imported = await services.GetRequiredService<CommandPipeline>().SendAsync(new ImportReport(actor, report, (title ?? plan.Title).Trim(), plan, file.Name), ct);
        if (!imported.Succeeded)
        {
            return Refuse(imported.Refusal.Message);
        }

        Console.WriteLine($"imported report {report}: “{(title ?? plan.Title).Trim()}”, {plan.Units.Count(u => !u.IsGroup)} sections, {plan.MissingFigures} missing figures");
        return 0;
    }

    private static async Task<int> ExportAsync(Guid reportId, string format, FileInfo? output, CancellationToken ct)
    {
        await using var app = await StartAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var doc = await scope.ServiceProvider.GetRequiredService<ReportAssembler>().BuildAsync(reportId, ct);
        if (doc is null)
        {
            return Refuse($"no report {reportId}");
        }

        var bytes = format switch
        {
            "docx" => DocxExporter.Export(doc),
            "md" => Encoding.UTF8.GetBytes(TextExporter.ToMarkdown(doc)),
            _ => Encoding.UTF8.GetBytes(TextExporter.ToPlainText(doc)),
        };
        var path = output?.FullName ?? Path.GetFullPath(ReportAssembler.FileName(doc.Title, format));
        await File.WriteAllBytesAsync(path, bytes, ct);
        Console.WriteLine($"wrote {path} ({bytes.Length:N0} bytes{(doc.Draft ? ", marked 征求意见稿 because not every section is approved" : "")})");
        return 0;
    }

    private static void PrintOutline(ImportResult plan)
    {
        Console.WriteLine($"{plan.Title}  (level {plan.Level} reviewed; encoding {plan.Encoding}; {plan.MissingFigures} missing figures)");
        foreach (var u in plan.Units)
        {
            var figures = u.MissingFigures is { Count: > 0 } f ? $"  [{f.Count} missing figures]" : "";
            Console.WriteLine($"{new string(' ', 2 * Math.Max(0, u.Level - 1))}{u.Number}{u.Title}{(u.IsGroup ? "" : $"  ({u.Content.Length} chars)")}{figures}");
        }

        foreach (var w in plan.Warnings)
        {
            Console.Error.WriteLine($"warning: line {w.Line}: {w.Message}");
        }
    }

    /// <summary>The same services as the web host, without listening: the verbs share its database and rules.</summary>
    internal static async Task<WebApplication> StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddWorkflowPersistence();
        builder.Services.AddWorkflowHost();
        var app = builder.Build();
        await app.InitializeWorkflowAsync(seedDemo: false);
        return app;
    }

    /// <summary>A database that cannot be used is a refusal with the one line that names the setting.</summary>
    private static async Task<int> Guarded(Func<Task<int>> verb)
    {
        try
        {
            return await verb();
        }
        catch (DatabaseStartupException ex)
        {
            return Refuse(ex.Message);
        }
    }

    internal static int Refuse(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }
}
