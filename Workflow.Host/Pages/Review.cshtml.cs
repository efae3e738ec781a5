using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Workflow.Activities.Engine;
using Workflow.Host.Features.Reports;
using Workflow.Host.Features.Review;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Pages;

/// <summary>
/// The review page: what changed since this reviewer (or failing that, this stage) last decided on the section, as
/// tracked changes; an opinion box with preset phrases; Approve (同意) and Return (退回, which needs an opinion).
/// A decision names the version the reviewer read, so a text changed meanwhile is refused and said so.
/// </summary>
public sealed class ReviewModel(WorkflowDbContext db, SectionViews views, RouteCatalog routes, CommandPipeline pipeline, IStringLocalizer<SharedResource> text) : SignedInPage(db)
{
    public SectionContext Section { get; private set; } = null!;

    public TrackedView? Changes { get; private set; }

    /// <summary>The version the comparison starts from and whose look it was (me or my stage); null on a first reading.</summary>
    public int? SeenVersion { get; private set; }

    public bool SeenByMe { get; private set; }

    /// <summary>The version on the page when it was sent: what the decision is about.</summary>
    public int Version { get; private set; }

    public string? Opinion { get; private set; }

    public string? Error { get; private set; }

    public bool Conflict { get; private set; }

    public bool OpinionMissing { get; private set; }

    /// <summary>The reviewer's preset phrases (their own list, or the built-in 同意。/ 请修改后再报。).</summary>
    public IReadOnlyList<string> Phrases { get; private set; } = [];

    /// <summary>True when the list shown is the person's own (so the editor shows it, not the defaults).</summary>
    public bool OwnPhrases { get; private set; }

    public bool PhrasesSaved { get; private set; }

    /// <summary>Only the holder of a review task reviews; other readers read the section on its own page.</summary>
    public async Task<IActionResult> OnGetAsync(Guid id, string? phrases, CancellationToken ct)
    {
        if (!await LoadAsync(id, null, ct))
        {
            return NotFound();
        }

        if (!Section.IsReviewHolder)
        {
            return Redirect($"/sections/{id}");
        }

        // After saving the phrases (redirected, so Back does not post again): the opinion being written comes back.
        PhrasesSaved = phrases == "saved";
        Opinion = TempData[OpinionKey] as string;
        return Page();
    }

    private const string OpinionKey = "review.opinion";

    public Task<IActionResult> OnPostApproveAsync(Guid id, int version, string? opinion, CancellationToken ct) =>
        DecideAsync(id, version, opinion, SectionDecision.Approve, ct);

    public Task<IActionResult> OnPostReturnAsync(Guid id, int version, string? opinion, CancellationToken ct) =>
        DecideAsync(id, version, opinion, SectionDecision.Return, ct);

    /// <summary>
    /// Saves the person's own preset phrases (one per line; an empty list means the built-in ones) and shows the page
    /// again with the opinion they were writing, so editing the list never costs their work.
    /// </summary>
    public async Task<IActionResult> OnPostPhrasesAsync(Guid id, int version, string? opinion, string? phrases, CancellationToken ct)
    {
        var saved = await pipeline.SendAsync(new SavePhrases(CurrentUser.From(User), (phrases ?? "").Split('\n')), ct);
        if (saved.Succeeded)
        {
            TempData[OpinionKey] = opinion;
            return Redirect($"/sections/{id}/review?phrases=saved");
        }

        Db.ChangeTracker.Clear();
        if (!await LoadAsync(id, version, ct))
        {
            return NotFound();
        }

        Opinion = opinion;
        Error = PageCommand.Explain(saved.Refusal, text);
        Response.StatusCode = saved.Refusal.Status;
        return Page();
    }

    private async Task<IActionResult> DecideAsync(Guid id, int version, string? opinion, SectionDecision decision, CancellationToken ct)
    {
        var result = await pipeline.SendAsync(new DecideSection(CurrentUser.From(User), id, decision, version, opinion), ct);
        if (result.Succeeded)
        {
            // The last stage's approval finishes the section: there is no next stage to speak of.
            var done = decision == SectionDecision.Return ? "returned" : result.Value.Status == SectionStatus.Approved ? "final" : "approved";
            return Redirect($"/sections/{id}?done={done}");
        }

        Db.ChangeTracker.Clear();
        if (!await LoadAsync(id, version, ct))
        {
            return NotFound();
        }

        var refusal = result.Refusal;
        Opinion = opinion;
        Conflict = refusal.Code == "stale-version";
        OpinionMissing = refusal.Code == "opinion-required";
        Error = Conflict ? text["StaleReview", version, Section.Row.CurrentVersion]
            : OpinionMissing ? text["ReturnNeedsOpinion"]
            : refusal.Code is "task-no-longer-pending" ? text["NoLongerYours"]
            : PageCommand.Explain(refusal, text);
        Response.StatusCode = refusal.Status;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, int? postedVersion, CancellationToken ct)
    {
        var me = CurrentUser.From(User);
        var loaded = await SectionContext.LoadAsync(Db, views, routes, me, id, ct);
        if (loaded is null)
        {
            return false;
        }

        Section = loaded;
        var own = await Db.Users.AsNoTracking().Where(u => u.Id == me.Id).Select(u => u.OpinionPhrases).FirstOrDefaultAsync(ct);
        OwnPhrases = !string.IsNullOrEmpty(own);
        Phrases = OwnPhrases ? own!.Split('\n') : [text["PresetApprove"], text["PresetRevise"]];
        // After a refused decision the page keeps the version the reviewer read, so a second click is refused the
        // same way until they reload and read the new text.
        Version = postedVersion ?? loaded.Row.CurrentVersion;
        var stage = loaded.MyTask?.StageIndex ?? loaded.Row.StageIndex;
        var mine = loaded.Sheet.LastOrDefault(e => e.ActorId == me.Id && e.Kind is "approved" or "returned");
        var stages = loaded.Sheet.LastOrDefault(e => e.StageIndex == stage && e.Kind is "approved" or "returned");
        var seen = mine ?? stages;
        SeenByMe = mine is not null;
        if (seen is not null && seen.Version < loaded.Row.CurrentVersion)
        {
            SeenVersion = seen.Version;
            Changes = await loaded.TrackedAsync(Db, seen.Version, loaded.Row.CurrentVersion, ct);
        }
        else if (seen is not null)
        {
            SeenVersion = seen.Version;
        }

        return true;
    }
}
