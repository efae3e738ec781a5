using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Workflow.Activities.Documents;
using Workflow.Host.Features.Import;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Pages.Admin;

/// <summary>
/// Import a report file: upload, look at the preview (the API's dry run) with each unit's text, change the cut (split,
/// merge, move paragraphs to or from the lead and closing, change levels) and assign each unit, then confirm. The
/// preview travels in a hidden field and comes back as an edited preview, so every change and the confirmation take
/// the API's edited-preview path (it must still add up to its source) and the confirmation commits through the same
/// code as the API.
/// </summary>
[Authorize(Roles = Roles.Admin)]
[RequestSizeLimit(ReportImporter.MaxImportBytes + 64 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = ReportImporter.MaxImportBytes + 64 * 1024, ValueLengthLimit = 8 * 1024 * 1024)]
// The upload is read by UploadLimits: a file over the limit is read to its end and dropped, and the page says so.
[UploadLimit(ReportImporter.MaxImportBytes)]
public sealed class ImportModel(
    WorkflowDbContext db, IStringLocalizer<SharedResource> text, CommandPipeline pipeline, ImportGate gate,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : AdminPage(db, text)
{
    public const string NewReport = "new";

    /// <summary>A text longer than this many characters is shown folded, with its first words.</summary>
    public const int FoldAbove = 300;

    public sealed record Choice(Guid Id, string Title);

    /// <summary>Reports that have no sections yet: the only ones an import may fill.</summary>
    public List<Choice> EmptyReports { get; private set; } = [];

    /// <summary>"new" or the id of an empty report.</summary>
    public string Target { get; private set; } = NewReport;

    public string? Title { get; private set; }

    public ImportResult? Plan { get; private set; }

    public string PlanJson { get; private set; } = "";

    /// <summary>The title the report will have: the document's title line, or else the report's own.</summary>
    public string DisplayTitle { get; private set; } = "";

    public People People { get; private set; } = new([], Array.Empty<Candidate>().ToLookup(c => c.DepartmentCode));

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <summary>
    /// Reads the file first, so a refusal about the target or title keeps the preview (a browser cannot fill a file
    /// input again); the title is asked for again in the preview.
    /// </summary>
    public async Task<IActionResult> OnPostPreviewAsync(string? target, string? title, IFormFile? file, CancellationToken ct)
    {
        (Target, Title) = (target ?? NewReport, title?.Trim());
        if (UploadLimits.IsOversized(HttpContext))
        {
            var refused = await Refuse(StatusCodes.Status413PayloadTooLarge, "too-large", null, ct);
            Error = Text["Admin_Refused_import-file-too-large", ReportImporter.MaxImportBytes / 1024 / 1024];
            return refused;
        }

        var fallback = await TargetTitleAsync(ct);
        if (fallback is null && Target != NewReport)
        {
            // The chosen report was filled meanwhile: a new report it is, its title in the preview.
            (Target, Title) = (NewReport, null);
            Error = Explain("import-target", null);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            fallback = "";
        }

        if (file is null || file.Length == 0)
        {
            return await Refuse(StatusCodes.Status400BadRequest, "empty", null, ct);
        }

        using var slot = await gate.EnterAsync(ct);
        if (slot is null)
        {
            Response.Headers.RetryAfter = ImportGate.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return await Refuse(ImportGate.Busy.Status, "busy", null, ct);
        }

        try
        {
            using var memory = new MemoryStream();
            await file.CopyToAsync(memory, ct);
            var markdown = file.ContentType?.StartsWith("text/markdown", StringComparison.OrdinalIgnoreCase) == true;
            // No fallback title: the plan's title must come from the text, or the confirmation would not add up to its
            // source; a document without a title line keeps the report's own title.
            Plan = ReportImporter.PlanFromFile(memory.ToArray(), file.FileName, markdown, null, false, "");
            // A new report is named by the clerk's title if they typed one, else by the document's own title line.
            DisplayTitle = Target == NewReport && !string.IsNullOrEmpty(Title) ? Title : Plan.Title.Length > 0 ? Plan.Title : fallback ?? "";
            Title = Target == NewReport ? DisplayTitle : Title;
        }
        catch (DocumentRejectedException ex)
        {
            return await Rejected(ex, ct);
        }

        PlanJson = Serialize(Plan);
        if (Error is null && Target == NewReport && (DisplayTitle.Length is 0 or > WorkflowDbContext.MaxTitleLength))
        {
            Error = Explain("import-target", null);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        SameTitle = Target == NewReport && await Db.Reports.AnyAsync(r => r.Title == DisplayTitle, ct);
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>Creates the report if asked and imports into it, in one command: a refusal leaves nothing behind.</summary>
    public async Task<IActionResult> OnPostConfirmAsync(string? target, string? title, string? plan, string[]? unit, string[]? department, string[]? author, CancellationToken ct)
    {
        (Target, Title) = (target ?? NewReport, title?.Trim());
        Chosen = Choices(unit ?? [], department ?? [], author ?? []);
        ImportResult checkedPlan;
        try
        {
            var edited = JsonSerializer.Deserialize<EditedImport>(plan ?? "", json.Value.SerializerOptions)
                ?? throw new DocumentRejectedException("incomplete-outline", "The preview is missing; upload the file again.");
            checkedPlan = ReportImporter.FromEdited(edited with
            {
                Units = edited.Units?.Select(u => Chosen.TryGetValue(u.Id ?? "", out var a) && a.Department.Length > 0 && a.Author.Length > 0
                    ? u with { Department = a.Department, Author = a.Author }
                    : u with { Department = null, Author = null }).ToList(),
            });
        }
        catch (JsonException)
        {
            return await Refuse(StatusCodes.Status400BadRequest, "incomplete-outline", null, ct);
        }
        catch (DocumentRejectedException ex)
        {
            return await Rejected(ex, ct);
        }

        // The target was checked with the preview; failing now, it was filled by someone else meanwhile (or the form
        // was altered), and the choice of target is on the upload form.
        var fallback = await TargetTitleAsync(ct);
        if (fallback is null || (Target == NewReport && fallback.Length == 0))
        {
            return await Refuse(StatusCodes.Status400BadRequest, "target", null, ct, (checkedPlan, plan!, fallback ?? ""));
        }

        // Two reports of one name are told apart by nobody: the clerk picks another title in the preview.
        if (Target == NewReport && await Db.Reports.AnyAsync(r => r.Title == Title, ct))
        {
            return await Refuse(StatusCodes.Status409Conflict, "same-title", null, ct, (checkedPlan, plan!, fallback));
        }

        // From here on a refusal shows the preview again with the clerk's choices, so a half-filled row or a person
        // disabled meanwhile is put right without uploading the file again.
        if (Chosen.Values.Any(c => (c.Department.Length == 0) != (c.Author.Length == 0)))
        {
            // A department without its author (or the reverse) would be dropped silently; say so instead.
            return await Refuse(StatusCodes.Status400BadRequest, "incomplete-assignment", null, ct, (checkedPlan, plan!, fallback));
        }

        var report = Target == NewReport ? Guid.NewGuid() : Guid.Parse(Target);
        var result = await pipeline.SendAsync(new ImportReport(CurrentUser.From(User), report, Target == NewReport ? Title : null, checkedPlan), ct);
        if (Succeeded(result))
        {
            return Redirect($"/admin/reports/{report}/assignment?done=imported");
        }

        Show(checkedPlan, plan!, fallback);
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>
    /// One change to the cut, named by the button pressed (<c>split|k|id</c>, <c>merge-previous|id</c>,
    /// <c>merge-next|id</c>, <c>to-lead|id</c>, <c>from-lead</c>, <c>to-closing|id</c>, <c>from-closing</c>,
    /// <c>level|id</c>, with the new unit's title and the level in the fields beside it). The changed preview must
    /// add up to its source like an edited preview sent to the API; a change that cannot be made is said in the page
    /// and the preview stays as it was, with the title and the assignments chosen so far.
    /// </summary>
    public async Task<IActionResult> OnPostEditAsync(string? target, string? title, string? plan, string[]? unit, string[]? department, string[]? author, string? edit, CancellationToken ct)
    {
        (Target, Title) = (target ?? NewReport, title?.Trim());
        Chosen = Choices(unit ?? [], department ?? [], author ?? []);
        EditedImport edited;
        ImportResult before;
        try
        {
            edited = JsonSerializer.Deserialize<EditedImport>(plan ?? "", json.Value.SerializerOptions)
                ?? throw new DocumentRejectedException("incomplete-outline", "The preview is missing; upload the file again.");
            before = ReportImporter.FromEdited(edited);
        }
        catch (JsonException)
        {
            return await Refuse(StatusCodes.Status400BadRequest, "incomplete-outline", null, ct);
        }
        catch (DocumentRejectedException ex)
        {
            return await Rejected(ex, ct);
        }

        var fallback = await TargetTitleAsync(ct) ?? "";
        try
        {
            var after = ReportImporter.FromEdited(Change(edited, edit ?? ""));
            Show(after, Serialize(after), fallback);
        }
        catch (DocumentRejectedException ex)
        {
            Response.StatusCode = ImportRefusal.From(ex).Status;
            Error = ExplainEdit(ex);
            Show(before, plan!, fallback);
        }

        SameTitle = Target == NewReport && await Db.Reports.AnyAsync(r => r.Title == DisplayTitle, ct);
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>A refused change in words that say the preview stayed as it was; the import's own words where there are none.</summary>
    private string ExplainEdit(DocumentRejectedException ex)
    {
        var said = Text["Admin_Refused_import-" + (ex.Code.StartsWith("edit-", StringComparison.Ordinal) ? ex.Code : "edit-" + ex.Code)];
        return said.ResourceNotFound ? Explain("import-" + ex.Code, ex.Message) : said.Value;
    }

    private EditedImport Change(EditedImport plan, string edit)
    {
        var parts = edit.Split('|', 3);
        var id = parts.Length > 1 ? parts[^1] : "";
        return (parts[0], parts.Length) switch
        {
            ("split", 3) when int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var paragraph) =>
                ImportPlanEdits.Split(plan, id, paragraph, Request.Form["split-title-" + id].FirstOrDefault()),
            ("merge-previous", 2) => ImportPlanEdits.Merge(plan, id, withNext: false),
            ("merge-next", 2) => ImportPlanEdits.Merge(plan, id, withNext: true),
            ("to-lead", 2) => ImportPlanEdits.MoveToLead(plan, id),
            ("from-lead", 1) => ImportPlanEdits.MoveFromLead(plan),
            ("to-closing", 2) => ImportPlanEdits.MoveToClosing(plan, id),
            ("from-closing", 1) => ImportPlanEdits.MoveFromClosing(plan),
            ("level", 2) when int.TryParse(Request.Form["level-" + id].FirstOrDefault(), System.Globalization.CultureInfo.InvariantCulture, out var level) =>
                ImportPlanEdits.ChangeLevel(plan, id, level),
            _ => throw new DocumentRejectedException("edit-not-possible", $"'{edit}' is not a change the preview offers."),
        };
    }

    /// <summary>The plan as the hidden field carries it: Chinese as characters, not \uXXXX escapes (six times the size in the form post); the page encodes the attribute.</summary>
    private string Serialize(ImportResult plan) => JsonSerializer.Serialize(
        new EditedImport(plan.Title, plan.Lead, plan.Closing, plan.Source, plan.Level, plan.Units),
        new JsonSerializerOptions(json.Value.SerializerOptions) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>What the clerk chose per unit, as sent (either may be empty), to check and to show again.</summary>
    public IReadOnlyDictionary<string, (string Department, string Author)> Chosen { get; private set; } = new Dictionary<string, (string, string)>();

    /// <summary>
    /// The preview shown again after a change or a refused confirmation: its levels from its units, its warnings from
    /// its text, less those the cut has settled (an enumeration starting again that now starts a unit of its own).
    /// </summary>
    private void Show(ImportResult plan, string planJson, string fallbackTitle)
    {
        var edited = new EditedImport(plan.Title, plan.Lead, plan.Closing, plan.Source, plan.Level, plan.Units);
        Plan = plan with
        {
            Levels = plan.Units.Select(u => u.Level).Distinct().Order().ToList(),
            Warnings = ImportPlanEdits.StillTrue(OutlineParser.Parse(plan.Source).Warnings, edited),
        };
        PlanJson = planJson;
        DisplayTitle = Target == NewReport ? Title ?? "" : plan.Title.Length > 0 ? plan.Title : fallbackTitle;
    }

    /// <summary>A report of the title the new one would get exists already (said in the preview, refused on confirming).</summary>
    public bool SameTitle { get; private set; }

    private static Dictionary<string, (string Department, string Author)> Choices(string[] units, string[] departments, string[] authors)
    {
        var chosen = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        for (var i = 0; i < units.Length; i++)
        {
            chosen[units[i]] = ((i < departments.Length ? departments[i] : null)?.Trim() ?? "", (i < authors.Length ? authors[i] : null)?.Trim() ?? "");
        }

        return chosen;
    }

    /// <summary>The title a document without its own title line gets, or null when the target is not a valid choice.</summary>
    private async Task<string?> TargetTitleAsync(CancellationToken ct)
    {
        if (Target == NewReport)
        {
            // Empty means "the document's own title", decided once the file is read.
            return (Title?.Length ?? 0) > WorkflowDbContext.MaxTitleLength ? null : Title ?? "";
        }

        return Guid.TryParse(Target, out var id)
            ? await Db.Reports.AsNoTracking().Where(r => r.Id == id && !Db.Sections.Any(s => s.ReportId == r.Id)).Select(r => r.Title).FirstOrDefaultAsync(ct)
            : null;
    }

    private Task<IActionResult> Rejected(DocumentRejectedException ex, CancellationToken ct) =>
        Refuse(ImportRefusal.From(ex).Status, ex.Code, ex.Message, ct);

    private async Task<IActionResult> Refuse(int status, string code, string? message, CancellationToken ct, (ImportResult Plan, string Json, string Title)? keep = null)
    {
        Response.StatusCode = status;
        Error = Explain("import-" + code, message);
        Plan = null;
        if (keep is { } k)
        {
            Show(k.Plan, k.Json, k.Title);
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        EmptyReports = await Db.Reports.AsNoTracking()
            .Where(r => !Db.Sections.Any(s => s.ReportId == r.Id))
            .OrderByDescending(r => r.CreatedAt)
            .Select(r => new Choice(r.Id, r.Title))
            .Take(200)
            .ToListAsync(ct);
        People = await People.LoadAsync(Db, ct);
    }
}
