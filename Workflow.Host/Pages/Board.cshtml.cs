using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Documents;
using Workflow.Activities.Engine;
using Workflow.Host.Features.Auth;
using Workflow.Host.Features.Export;
using Workflow.Host.Features.Reports;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Pages;

/// <summary>
/// The report board: the report's state (起草中 … 已定稿, 复审中) and progress over all its parts; the title, lead,
/// sections and closing in order, each reviewed part with its state chip, who holds it now and its missing figures;
/// filters by department and state. The report's end is here too: 签发 for a signer once every part is approved, the
/// issuing organ and addressee for an administrator before it, 复审 for an administrator after it, and every final
/// (定稿 1, 2 …) with its export and comparison. Each form sends the command the API sends.
/// </summary>
public sealed class BoardModel(
    WorkflowDbContext db, SectionViews views, RouteCatalog routes, CommandPipeline pipeline, ReportAssembler assembler,
    Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> text) : SignedInPage(db)
{
    /// <summary>One part an administrator may send back at 复审, with the places it may go (stage key, label).</summary>
    public sealed record ReopenChoice(SectionNode Part, IReadOnlyList<(string Key, string Label)> Targets);

    /// <summary>催办: the report's clerk (who created it) or an administrator may remind holders of pending tasks.</summary>
    public bool CanRemind { get; private set; }

    /// <summary>For a clerk: the pending tasks of each section, to remind (task id and holder's name).</summary>
    public Dictionary<Guid, List<(Guid TaskId, string Name)>> Remindable { get; private set; } = [];

    /// <summary>What was just done (reminded, signed, issuer, reopened), said once after the redirect.</summary>
    public string? Done { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The form the error is about (signoff, issuer, reopen), so it is said where the reader is; null: at the top.</summary>
    public string? ErrorForm { get; private set; }

    public Guid Id { get; private set; }

    public string Title { get; private set; } = "";

    /// <summary>The assembled report is county-wide reading: the same readers GET /api/reports/{id}/export lets in.</summary>
    public bool CanExport { get; private set; }

    public IReadOnlyList<SectionNode> Sections { get; private set; } = [];

    /// <summary>The report's state and progress over all its parts, whoever reads the board.</summary>
    public ReportProgress Progress { get; private set; } = null!;

    public int MissingFigures { get; private set; }

    public string? Department { get; private set; }

    public string? State { get; private set; }

    public IReadOnlyList<DepartmentDto> Departments { get; private set; } = [];

    /// <summary>Every 签发 of the report, in order (定稿 1, 2 …); the last is in force while the report is locked.</summary>
    public IReadOnlyList<ReportFinal> Finals { get; private set; } = [];

    /// <summary>The final in force: set only while the report is locked.</summary>
    public ReportFinal? Final { get; private set; }

    /// <summary>签发 is offered: the reader is a signer and every part of the unlocked report is approved.</summary>
    public bool CanSignOff { get; private set; }

    /// <summary>The hash of the text a 签发 now binds; sent back with the form, so a text changed meanwhile is refused.</summary>
    public string SignOffHash { get; private set; } = "";

    /// <summary>Placeholders left in the text a 签发 now binds (the engine refuses 签发 while any remain).</summary>
    public int SignOffMissing { get; private set; }

    public string? Opinion { get; private set; }

    /// <summary>An administrator sets the issuing organ and addressee while the report is not locked.</summary>
    public bool CanSetIssuer { get; private set; }

    public string? Issuer { get; private set; }

    public string? Addressee { get; private set; }

    /// <summary>An administrator reopens a locked report (复审).</summary>
    public bool CanReopen { get; private set; }

    public IReadOnlyList<ReopenChoice> ReopenChoices { get; private set; } = [];

    public string? ReopenReason { get; private set; }

    /// <summary>The parts ticked and their targets, kept when a 复审 is refused.</summary>
    public Dictionary<Guid, string> ReopenPicked { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, string? department, string? state, string? done, CancellationToken ct)
    {
        Done = done is "reminded" or "signed" or "issuer" or "reopened" ? done : null;
        return await ShowAsync(id, department, state, ct);
    }

    /// <summary>Sends RemindTask for one pending task and comes back to the board (or shows the refusal on it).</summary>
    public async Task<IActionResult> OnPostRemindAsync(Guid id, Guid taskId, string? note, CancellationToken ct)
    {
        var result = await pipeline.SendAsync(new Features.Tasks.RemindTask(CurrentUser.From(User), taskId, string.IsNullOrWhiteSpace(note) ? null : note), ct);
        return result.Succeeded ? Redirect($"/reports/{id}?done=reminded") : await RefusedAsync(id, result.Refusal, null, ct);
    }

    /// <summary>签发: the signer's opinion and password, and the hash of the text they were shown.</summary>
    public async Task<IActionResult> OnPostSignOffAsync(Guid id, string? opinion, string? password, string? hash, CancellationToken ct)
    {
        var result = await pipeline.SendAsync(new SignOffReport(CurrentUser.From(User), id, opinion, password, hash), ct);
        if (result.Succeeded)
        {
            return Redirect($"/reports/{id}?done=signed");
        }

        // What the signer wrote comes back; the password never does.
        Opinion = opinion;
        var refusal = result.Refusal;
        var said = refusal.Code switch
        {
            "opinion-required" => text["SignOffOpinionRequired"].Value,
            "signin-throttled" when refusal.RetryAfterSeconds is { } wait => text["SignOffThrottled", wait].Value,
            _ => null,
        };
        return await RefusedAsync(id, refusal, "signoff", ct, said);
    }

    /// <summary>落款 and 主送机关, before 签发 binds them.</summary>
    public async Task<IActionResult> OnPostIssuerAsync(Guid id, string? issuer, string? addressee, CancellationToken ct)
    {
        var result = await pipeline.SendAsync(new SetIssuer(CurrentUser.From(User), id, issuer, addressee), ct);
        if (result.Succeeded)
        {
            return Redirect($"/reports/{id}?done=issuer");
        }

        var shown = await RefusedAsync(id, result.Refusal, "issuer", ct);
        (Issuer, Addressee) = (issuer, addressee);
        return shown;
    }

    /// <summary>复审: the reason, the parts ticked and, per part, where it goes (its select is named to-{part}).</summary>
    public async Task<IActionResult> OnPostReopenAsync(Guid id, string? reason, Guid[]? sections, CancellationToken ct)
    {
        var parts = (sections ?? []).Distinct().Select(s => new ReopenPart(s, Target(s))).ToList();
        var result = await pipeline.SendAsync(new ReopenReport(CurrentUser.From(User), id, reason, parts), ct);
        if (result.Succeeded)
        {
            return Redirect($"/reports/{id}?done=reopened");
        }

        ReopenReason = reason;
        ReopenPicked = parts.ToDictionary(p => p.Id, p => p.ToStage ?? "");
        return await RefusedAsync(id, result.Refusal, "reopen", ct);

        string? Target(Guid part) => Request.Form[$"to-{part}"].ToString() is { Length: > 0 } key ? key : null;
    }

    /// <summary>The board again with a refusal said in the reader's language, where the form was, and its status.</summary>
    private async Task<IActionResult> RefusedAsync(Guid id, Refusal refusal, string? form, CancellationToken ct, string? said = null)
    {
        Db.ChangeTracker.Clear();
        var shown = await ShowAsync(id, null, null, ct);
        if (shown is PageResult)
        {
            Error = said ?? PageCommand.Explain(refusal, text);
            ErrorForm = form;
            Response.StatusCode = refusal.Status;
        }

        return shown;
    }

    private async Task<IActionResult> ShowAsync(Guid id, string? department, string? state, CancellationToken ct)
    {
        var me = CurrentUser.From(User);
        var report = await SectionAccess.VisibleReports(Db, me).AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (report is null)
        {
            return NotFound();
        }

        var all = await views.OutlineAsync(id, me, null, ct);
        Id = report.Id;
        Title = report.Title;
        CanExport = me.SeesWholeCounty;
        MissingFigures = all.Sum(s => s.MissingFigures);
        // A report removed between the two reads is counted from the outline just read.
        Progress = (await ReportProgress.OfAsync(Db, Db.Reports.Where(r => r.Id == id), ct)).GetValueOrDefault(id) ?? FromOutline(all, report.LockedAt is not null);
        Departments = all.Where(s => s.Department is not null).Select(s => s.Department!).DistinctBy(d => d.Id).OrderBy(d => d.Code, StringComparer.Ordinal).ToList();
        Department = Departments.Any(d => d.Code == department) ? department : null;
        // Each section's route (sections are pinned to the version they started on): chips and filters name its stages.
        var pins = await Db.Sections.AsNoTracking().Where(s => s.ReportId == id && !s.IsGroup).Select(s => new { s.Id, s.RouteDefinitionId, s.RouteVersion }).ToListAsync(ct);
        var found = new Dictionary<(string, int), Activities.Routes.RouteDefinition?>();
        foreach (var pin in pins.Select(p => (p.RouteDefinitionId, p.RouteVersion)).Append((report.RouteDefinitionId, report.RouteVersion)).Distinct())
        {
            found[pin] = await routes.FindAsync(Db, pin.Item1, pin.Item2, ct);
        }

        Routes = pins.ToDictionary(p => p.Id, p => found[(p.RouteDefinitionId, p.RouteVersion)]);
        var stageChips = found.Values.Where(r => r is not null).SelectMany(r => Enumerable.Range(1, r!.Stages.Length - 1).Select(i => Chip.OfStage(r, i, text)));
        Filters = [Chip.Of(Status(SectionStatus.Draft), null, text), .. stageChips.DistinctBy(c => c.Key), Chip.Of(Status(SectionStatus.Returned), null, text), Chip.Of(Status(SectionStatus.Approved), null, text)];
        State = Filters.Any(f => f.Key == state) ? state : null;
        CanRemind = me.IsInRole(Roles.Admin) || report.CreatedById == me.Id;
        if (CanRemind)
        {
            var pending = await (from t in Db.Tasks.AsNoTracking()
                                 where t.ReportId == id && t.Status == WorkTaskStatus.Pending
                                 join u in Db.Users on t.AssigneeId equals u.Id
                                 orderby t.Ordinal
                                 select new { t.Id, t.SectionId, u.DisplayName }).ToListAsync(ct);
            Remindable = pending.GroupBy(p => p.SectionId).ToDictionary(g => g.Key, g => g.Select(p => (p.Id, p.DisplayName)).ToList());
        }

        Sections = all.Where(s => s.IsGroup || ((Department is null || s.Department?.Code == Department) && (State is null || Chip.KeyOf(s) == State))).ToList();
        await ShowEndAsync(report, me, all, ct);
        return Page();
    }

    /// <summary>The report's end: its finals, and the forms this reader may use now (签发, 落款, 复审).</summary>
    private async Task ShowEndAsync(Report report, CurrentUser me, IReadOnlyList<SectionNode> all, CancellationToken ct)
    {
        Finals = await Db.Finals.AsNoTracking().Where(f => f.ReportId == report.Id).OrderBy(f => f.Number).ToListAsync(ct);
        var open = report.LockedAt is null && report.ArchivedAt is null;
        Final = report.LockedAt is null ? null : Finals.LastOrDefault();
        CanSignOff = open && me.IsInRole(Roles.Signer) && Progress.Parts > 0 && Progress.Approved == Progress.Parts;
        if (CanSignOff)
        {
            var doc = await assembler.AssembleAsync(report, ct);
            var signed = FinalText.Of(doc);
            SignOffHash = ContentHash.Of(signed);
            SignOffMissing = PlaceholderScanner.Find(signed).Count;
        }

        var admin = me.IsInRole(Roles.Admin);
        CanSetIssuer = admin && open;
        (Issuer, Addressee) = (report.Issuer, report.Addressee);
        CanReopen = admin && Final is not null && report.ArchivedAt is null;
        if (CanReopen)
        {
            ReopenChoices = [.. all.Where(s => !s.IsGroup && Routes.GetValueOrDefault(s.Id) is not null).Select(s =>
            {
                var route = Routes[s.Id]!;
                return new ReopenChoice(s, [.. route.Stages.Select((stage, i) => (stage.Key, i == 0 ? text["ReopenToAuthor", s.Author?.DisplayName ?? ""].Value : stage.Name))]);
            })];
        }
    }

    /// <summary>The route of each section, by section id (null when it is missing).</summary>
    public Dictionary<Guid, Activities.Routes.RouteDefinition?> Routes { get; private set; } = [];

    /// <summary>The states the board filters by: draft, each review stage of the routes in use (by the route's names), returned, approved.</summary>
    public IReadOnlyList<Chip> Filters { get; private set; } = [];

    /// <summary>The chip of a section on this board, named from its route.</summary>
    public Chip ChipOf(SectionNode s) => Chip.Of(s, Routes.GetValueOrDefault(s.Id), text);

    private static ReportProgress FromOutline(IReadOnlyList<SectionNode> all, bool locked)
    {
        var parts = all.Where(s => !s.IsGroup).ToList();
        var approved = parts.Count(s => s.Status == SectionStatus.Approved);
        return new ReportProgress(ReportProgress.StateOf(locked, 0, parts.Count, approved, parts.Count(s => s.Status == SectionStatus.Draft)), parts.Count, approved, 0, null, null);
    }

    private static SectionNode Status(SectionStatus status) => new(Guid.Empty, null, 0, "", "", false, null, null, null, null, status, null, null, [], 0);
}
