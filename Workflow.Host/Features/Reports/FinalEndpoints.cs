using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Documents;
using Workflow.Host.Features.Export;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Reports;

/// <summary>A final with the parts it bound.</summary>
public sealed record FinalDetail(FinalDto Final, IReadOnlyList<SignedPart> Parts);

/// <summary>Two finals compared like Word's track changes: runs of kept, inserted and deleted text.</summary>
public sealed record FinalComparison(int From, int To, string FromHash, string ToHash, IReadOnlyList<ComparedRun> Runs);

public sealed record ComparedRun(DiffOp Op, string Text);

/// <summary>A report waiting for its 签发, as a signer's 待办 lists it.</summary>
public sealed record SignOffTask(Guid ReportId, string Title, int Parts, DateTimeOffset CreatedAt, int Finals);

/// <summary>Every final of a report (定稿 1, 2 …), each as it was signed, and the comparison of two.</summary>
public static class FinalEndpoints
{
    public static void MapFinals(this IEndpointRouteBuilder api)
    {
        api.MapGet("/reports/{id:guid}/finals", List);
        api.MapGet("/reports/{id:guid}/finals/compare", Compare);
        api.MapGet("/reports/{id:guid}/finals/{number:int}/export", Export).RequireAuthorization(p => p.RequireRole(Roles.CountyWideReaders));
        api.MapGet("/tasks/signoffs", ToSign);
    }

    private static async Task<IResult> List(Guid id, HttpContext http, WorkflowDbContext db, CancellationToken ct)
    {
        if (!await SectionAccess.VisibleReports(db, CurrentUser.From(http.User)).AnyAsync(r => r.Id == id, ct))
        {
            return Problems.NotFound($"Report {id}");
        }

        var finals = await db.Finals.AsNoTracking().Where(f => f.ReportId == id).OrderBy(f => f.Number).ToListAsync(ct);
        return TypedResults.Ok(finals.Select(f => new FinalDetail(FinalDto.From(f), JsonSerializer.Deserialize<List<SignedPart>>(f.Parts, JsonDefaults.Storage) ?? [])).ToList());
    }

    /// <summary>
    /// JSON runs by default; format=docx is a Word document whose differences are revisions (修订) credited to the later
    /// final's signer on its signing day. It holds the whole text, so like an export only county-wide readers get it.
    /// </summary>
    private static async Task<IResult> Compare(Guid id, int? from, int? to, string? format, HttpContext http, WorkflowDbContext db, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        if (!await SectionAccess.VisibleReports(db, user).AnyAsync(r => r.Id == id, ct))
        {
            return Problems.NotFound($"Report {id}");
        }

        var kind = (format ?? "json").Trim().ToLowerInvariant();
        if (kind is not ("json" or "docx"))
        {
            return Problems.Invalid("format", $"format is json or docx (got '{format}').");
        }

        if (kind == "docx" && !user.SeesWholeCounty)
        {
            return TypedResults.Problem(Refusal.Forbidden("Only the administrator, the committee and auditors export a report's text.").ToProblemDetails());
        }

        if (from is null || to is null)
        {
            return Problems.Invalid("from", "Name the two finals to compare: from=1&to=2.");
        }

        var pair = await db.Finals.AsNoTracking().Where(f => f.ReportId == id && (f.Number == from || f.Number == to)).ToListAsync(ct);
        var (a, b) = (pair.FirstOrDefault(f => f.Number == from), pair.FirstOrDefault(f => f.Number == to));
        if (a is null || b is null)
        {
            return Problems.NotFound($"定稿 {(a is null ? from : to)} of report {id}");
        }

        var runs = TrackedChanges.Compute([new AuthoredText(a.Text, a.SignerId), new AuthoredText(b.Text, b.SignerId)]);
        if (kind == "json")
        {
            return TypedResults.Ok(new FinalComparison(a.Number, b.Number, a.Hash, b.Hash, [.. runs.Select(r => new ComparedRun(r.Op, r.Text))]));
        }

        var title = FinalText.TitleOf(b.Text);
        if (title.Length == 0)
        {
            title = await db.Reports.AsNoTracking().Where(r => r.Id == id).Select(r => r.Title).FirstAsync(ct);
        }

        static ComparedFinal Side(ReportFinal f) => new($"定稿 {f.Number}", f.Hash, f.SignerName, CountyTime.Local(f.SignedAt));
        var docx = DocxComparison.Export(new ComparisonDocument(title, Side(a), Side(b), runs, b.SignerName));
        return TypedResults.File(docx, ExportEndpoints.DocxMediaType, ReportAssembler.FileName($"{title}（定稿{a.Number}-定稿{b.Number}对照）", "docx"));
    }

    private static async Task<IResult> Export(Guid id, int number, string? format, ReportAssembler assembler, CancellationToken ct)
    {
        var kind = (format ?? "docx").Trim().ToLowerInvariant();
        if (kind is not ("docx" or "md" or "txt"))
        {
            return Problems.Invalid("format", $"format is docx, md or txt (got '{format}').");
        }

        var doc = await assembler.FinalAsync(id, number, ct);
        if (doc is null)
        {
            return Problems.NotFound($"定稿 {number} of report {id}");
        }

        return ExportEndpoints.File(doc, kind, $"{doc.Title}（定稿{number}）");
    }

    /// <summary>签发 in a signer's 待办: the reports whose every part is approved and that wait for a 签发.</summary>
    private static async Task<IResult> ToSign(HttpContext http, WorkflowDbContext db, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        return TypedResults.Ok(await SignOffTasks.LoadAsync(db, user, ct));
    }
}

public static class SignOffTasks
{
    public static async Task<List<SignOffTask>> LoadAsync(WorkflowDbContext db, CurrentUser user, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.Signer))
        {
            return [];
        }

        var visible = SectionAccess.VisibleReports(db, user).Where(r => r.ArchivedAt == null && r.LockedAt == null);
        var progress = await ReportProgress.OfAsync(db, visible, ct);
        var ready = progress.Where(p => p.Value.State == ReportState.AwaitingSignOff || (p.Value.State == ReportState.Rereview && p.Value.Approved == p.Value.Parts)).Select(p => p.Key).ToList();
        var reports = await db.Reports.AsNoTracking().Where(r => ready.Contains(r.Id)).OrderBy(r => r.CreatedAt).Select(r => new { r.Id, r.Title, r.CreatedAt }).ToListAsync(ct);
        return [.. reports.Where(r => progress.ContainsKey(r.Id)).Select(r => new SignOffTask(r.Id, r.Title, progress[r.Id].Parts, r.CreatedAt, progress[r.Id].Finals))];
    }
}
