using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Cli;

/// <summary>
/// `audit export -o FILE` writes each chain's head (entry number and hash) with its signed checkpoint's fingerprint;
/// `audit verify FILE` later proves the trail up to those entries was not rewritten. The file needs no key to
/// check, so a copy kept elsewhere holds even against someone who has the database and the checkpoint key.
/// Exit codes: 0 as anchored, 1 rewritten or cut, 2 refused input.
/// </summary>
public static class AuditAnchors
{
    public const string Format = "county-workflow-audit-anchor/1";

    public sealed record AnchorFile(string Format, DateTimeOffset WrittenAt, List<Anchor> Chains);

    public sealed record Anchor(Guid Chain, string Title, long Sequence, string Hash, string? Checkpoint);

    public static async Task<int> ExportAsync(Func<Task<WebApplication>> start, Guid? report, FileInfo output, CancellationToken ct)
    {
        await using var app = await start();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WorkflowDbContext>();
        var audit = scope.ServiceProvider.GetRequiredService<AuditTrail>();
        var chains = await db.Reports.AsNoTracking().Where(r => report == null || r.Id == report).OrderBy(r => r.CreatedAt).Select(r => new { r.Id, r.Title }).ToListAsync(ct);
        if (report is { } wanted && chains.Count == 0 && wanted != Guid.Empty)
        {
            return WorkflowCli.Refuse($"no report {wanted}");
        }

        if (report is null || report == Guid.Empty)
        {
            chains.Insert(0, new { Id = Guid.Empty, Title = "县级管理（账号、部门、流程）" });
        }

        var anchors = new List<Anchor>();
        foreach (var chain in chains)
        {
            // An anchor vouches for a trail; a trail that does not verify now is refused, not anchored.
            var verdict = await audit.VerifyAsync(chain.Id, ct);
            if (!verdict.Intact)
            {
                return WorkflowCli.Refuse($"the audit trail of '{chain.Title}' ({chain.Id}) does not verify ({verdict.FirstBroken!.Reason}); it is not anchored");
            }

            var head = await db.AuditEntries.AsNoTracking().Where(e => e.ReportId == chain.Id).OrderByDescending(e => e.Sequence).Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(ct);
            if (head is not null)
            {
                anchors.Add(new Anchor(chain.Id, chain.Title, head.Sequence, head.Hash, verdict.Checkpoint?.Sequence == head.Sequence ? verdict.Checkpoint.Fingerprint : null));
            }
        }

        var file = new AnchorFile(Format, app.Services.GetRequiredService<TimeProvider>().GetUtcNow(), anchors);
        await File.WriteAllTextAsync(output.FullName, JsonSerializer.Serialize(file, new JsonSerializerOptions(JsonDefaults.Storage) { WriteIndented = true }), ct);
        Console.WriteLine($"anchored {anchors.Count} audit chain(s) in {output.FullName}");
        return 0;
    }

    public static async Task<int> VerifyAsync(Func<Task<WebApplication>> start, FileInfo input, CancellationToken ct)
    {
        AnchorFile? file;
        try
        {
            file = JsonSerializer.Deserialize<AnchorFile>(await File.ReadAllTextAsync(input.FullName, ct), JsonDefaults.Storage);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return WorkflowCli.Refuse($"{input.Name}: not an audit anchor file ({ex.Message})");
        }

        if (file is null || file.Format != Format || file.Chains is null)
        {
            return WorkflowCli.Refuse($"{input.Name}: not an audit anchor file (format {Format} expected)");
        }

        await using var app = await start();
        await using var scope = app.Services.CreateAsyncScope();
        var audit = scope.ServiceProvider.GetRequiredService<AuditTrail>();
        var failed = 0;
        foreach (var anchor in file.Chains)
        {
            var problem = await audit.CheckAnchorAsync(anchor.Chain, anchor.Sequence, anchor.Hash, ct);
            if (problem is null)
            {
                Console.WriteLine($"ok        {anchor.Title}: the trail up to entry {anchor.Sequence} is as anchored on {file.WrittenAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture)}");
            }
            else
            {
                failed++;
                Console.WriteLine($"REWRITTEN {anchor.Title}: {problem}");
            }
        }

        if (failed > 0)
        {
            Console.Error.WriteLine($"error: {failed} of {file.Chains.Count} audit chain(s) are not as anchored in {input.Name}");
            return 1;
        }

        return 0;
    }
}
