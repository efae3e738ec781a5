using Microsoft.AspNetCore.Mvc;
using Workflow.Activities.Engine;
using Workflow.Host.Features.Reports;
using Workflow.Host.Features.Review;
using Workflow.Host.Features.Sections;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Pages;

/// <summary>
/// A section: its current text with missing figures marked; for its author, while the draft is with them, an editor
/// that saves a new version with a note and submits (warning first about missing figures); withdrawal while the next
/// stage has not acted; the version history with a tracked-changes comparison of any two versions.
/// </summary>
public sealed class SectionModel(WorkflowDbContext db, SectionViews views, RouteCatalog routes, CommandPipeline pipeline, SectionCommands sections, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> text) : SignedInPage(db)
{
    public SectionContext Section { get; private set; } = null!;

    public TrackedView? Comparison { get; private set; }

    /// <summary>A refusal to show in place (the API's message), or a confirmation key after a redirect.</summary>
    public string? Error { get; private set; }

    public string? Done { get; private set; }

    /// <summary>Text the author typed and did not get saved (kept in the editor after a refusal).</summary>
    public string? Draft { get; private set; }

    public string? Note { get; private set; }

    /// <summary>Set when a submission was held back because the text still has missing figures.</summary>
    public bool ConfirmMissing { get; private set; }

    public bool CanWithdraw { get; private set; }

    /// <summary>The route drawn for this section: stages, countersign branches, decisions, who is pending, returns.</summary>
    public RouteDiagram Diagram { get; private set; } = null!;

    /// <summary>催办: the report's clerk (who created it) or an administrator may remind the holders of pending tasks.</summary>
    public bool CanRemind { get; private set; }

    /// <summary>What the engine lets the reader do here now; the review page offers the decisions and task operations.</summary>
    public AllowedActions? Allowed { get; private set; }

    /// <summary>Anything for the reader on the review page (decide, advise, reclaim, 加签, 减签, 转办, 委派).</summary>
    public bool CanReview => Allowed is { } a && (a.Decide || a.Advise || a.Reclaim || a.AddSigner || a.Transfer || a.Delegate || !a.RemovableSigners.IsEmpty);

    /// <summary>
    /// The version the editor's text is based on. After a stale refusal it stays the version the author started from,
    /// not the current one, so saving again is refused again until the author has merged what changed meanwhile.
    /// </summary>
    public int BaseVersion { get; private set; }

    /// <summary>After a stale refusal: what others changed between the author's base and the current version.</summary>
    public TrackedView? Meanwhile { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, int? from, int? to, string? done, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        Done = done is "saved" or "submitted" or "withdrawn" or "approved" or "final" or "returned" or "unchanged"
            or "returned-stage" or "branch-returned" or "advised" or "reclaimed" or "signer-added" or "signer-removed" or "transferred" or "delegated" or "cancelled" or "reminded" ? done : null;
        var last = Section.Row.CurrentVersion;
        if (last > 1 || from is not null)
        {
            var a = Math.Clamp(from ?? last - 1, 1, last);
            var b = Math.Clamp(to ?? last, 1, last);
            Comparison = await Section.TrackedAsync(Db, a, b, ct);
        }

        return Page();
    }

    /// <summary>
    /// Saves against the version the author's text is based on; <paramref name="merged"/> is the version whose changes
    /// the author confirmed merging after a stale refusal (the box under the comparison), and only then the new base.
    /// </summary>
    public async Task<IActionResult> OnPostSaveAsync(Guid id, string? content, string? note, int baseVersion, int? merged, CancellationToken ct)
    {
        baseVersion = Math.Max(baseVersion, merged ?? 0);
        if (content is null)
        {
            return Redirect($"/sections/{id}?done=unchanged");
        }

        var result = await pipeline.SendAsync(new EditSection(CurrentUser.From(User), id, Normalize(content), baseVersion, NoteOrNull(note)), ct);
        if (!result.Succeeded)
        {
            return await ShowAsync(id, result.Refusal, content, note, baseVersion, ct);
        }

        return Redirect($"/sections/{id}?done={(result.Value.Version == baseVersion ? "unchanged" : "saved")}");
    }

    /// <summary>
    /// Saves the editor's text if it changed and submits the resulting version, in one transaction: a refused
    /// submission leaves no new version behind, and the author keeps what they typed to try again.
    /// </summary>
    public async Task<IActionResult> OnPostSubmitAsync(Guid id, string? content, string? note, int baseVersion, int? merged, bool confirmMissing, CancellationToken ct)
    {
        baseVersion = Math.Max(baseVersion, merged ?? 0);
        var text = Normalize(content);
        if (text is not null && !confirmMissing && Activities.Documents.PlaceholderScanner.Find(text).Count > 0)
        {
            // The warning comes before anything is sent: the author sees what is missing and confirms or fills it in.
            if (!await LoadAsync(id, ct))
            {
                return NotFound();
            }

            Draft = content;
            Note = note;
            BaseVersion = baseVersion;
            ConfirmMissing = true;
            return Page();
        }

        var result = await pipeline.SendAsync(new SubmitText(CurrentUser.From(User), id, text, baseVersion, NoteOrNull(note)), ct);
        return result.Succeeded ? Redirect($"/sections/{id}?done=submitted") : await ShowAsync(id, result.Refusal, content, note, baseVersion, ct);
    }

    public async Task<IActionResult> OnPostWithdrawAsync(Guid id, int version, CancellationToken ct)
    {
        var result = await pipeline.SendAsync(new DecideSection(CurrentUser.From(User), id, SectionDecision.Withdraw, version, null), ct);
        return result.Succeeded ? Redirect($"/sections/{id}?done=withdrawn") : await ShowAsync(id, result.Refusal, null, null, null, ct);
    }

    /// <summary>撤销: an administrator ends the review run with a reason; the section goes back to its author.</summary>
    public async Task<IActionResult> OnPostCancelAsync(Guid id, string? reason, CancellationToken ct)
    {
        var result = await pipeline.SendAsync(new CancelSection(CurrentUser.From(User), id, reason), ct);
        return result.Succeeded ? Redirect($"/sections/{id}?done=cancelled") : await ShowAsync(id, result.Refusal, null, null, null, ct);
    }

    /// <summary>催办: the clerk or an administrator reminds the holder of a pending task, with an optional note.</summary>
    public async Task<IActionResult> OnPostRemindAsync(Guid id, Guid taskId, string? note, CancellationToken ct)
    {
        var result = await pipeline.SendAsync(new global::Workflow.Host.Features.Tasks.RemindTask(CurrentUser.From(User), taskId, NoteOrNull(note)), ct);
        return result.Succeeded ? Redirect($"/sections/{id}?done=reminded") : await ShowAsync(id, result.Refusal, null, null, null, ct);
    }

    private static string? NoteOrNull(string? note) => string.IsNullOrWhiteSpace(note) ? null : note;

    /// <summary>Browsers send CRLF from a textarea; stored texts use LF like the imported ones.</summary>
    private static string? Normalize(string? content) => content?.Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>The page again with the refusal's message and the author's unsaved text, with the refusal's status.</summary>
    private async Task<IActionResult> ShowAsync(Guid id, Refusal result, string? content, string? note, int? baseVersion, CancellationToken ct)
    {
        Db.ChangeTracker.Clear();
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        var stale = result.Code == "stale-version" && baseVersion is { } b && b >= 1 && b < Section.Row.CurrentVersion;
        Error = result.Code == "stale-version" ? text["StaleEdit"] : PageCommand.Explain(result, text);
        if (stale)
        {
            // The author's text keeps its old base: a save without merging is refused again instead of overwriting.
            BaseVersion = baseVersion!.Value;
            Meanwhile = await Section.TrackedAsync(Db, BaseVersion, Section.Row.CurrentVersion, ct);
        }
        else if (baseVersion is not null)
        {
            BaseVersion = baseVersion.Value;
        }

        Draft = content;
        Note = note;
        Response.StatusCode = result.Status;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var me = CurrentUser.From(User);
        var loaded = await SectionContext.LoadAsync(Db, views, routes, me, id, ct, Now);
        if (loaded is null)
        {
            return false;
        }

        Section = loaded;
        BaseVersion = loaded.Row.CurrentVersion;
        // The engine says who may pull it back (who sent it on, while the stage it went to has not acted); only a
        // section in review has anything to pull back.
        Allowed = await sections.AllowedAsync(id, me, ct);
        Diagram = RouteDiagram.Of(loaded);
        CanRemind = me.IsInRole(Roles.Admin) || loaded.ReportCreatedById == me.Id;
        CanWithdraw = loaded.Row.Status == SectionStatus.InReview && Allowed?.Withdraw == true;
        return true;
    }
}
