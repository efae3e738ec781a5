using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Workflow.Activities.Engine;
using Workflow.Activities.Routes;
using Workflow.Host.Features.Reports;
using Workflow.Host.Features.Review;
using Workflow.Host.Features.Tasks;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Pages;

/// <summary>
/// The review page: what changed since this reviewer (or failing that, this stage) last decided on the section, as
/// tracked changes; an opinion box with preset phrases; and exactly the operations the engine allows this reader now
/// (<see cref="SectionMachine.Allowed"/>): approve (同意) and return (退回, to a stage already passed, with rerun or
/// straight back), or for a proxy the same on behalf of the holder (代 X 审批), or for a delegate advice (提出意见);
/// reclaim (拿回); add a signer (加签), remove one added (减签), transfer (转办) and delegate (委派). Each posts the
/// command the API sends (DecideSection, OperateTask) and redirects; a refusal is shown in the reader's language.
/// A decision names the version the reviewer read, so a text changed meanwhile is refused and said so.
/// </summary>
public sealed class ReviewModel(WorkflowDbContext db, SectionViews views, RouteCatalog routes, CommandPipeline pipeline, SectionCommands sections, UserDirectory directory, IStringLocalizer<SharedResource> text) : SignedInPage(db)
{
    public SectionContext Section { get; private set; } = null!;

    /// <summary>What the engine lets this reader do on the section now.</summary>
    public AllowedActions Allowed { get; private set; } = null!;

    /// <summary>The holder a proxy decides for (user name and display name), when the reader is one.</summary>
    public UserRef? OnBehalfOf { get; private set; }

    /// <summary>Stages a return may go to, in route order: key, name, and whether a resubmission may skip stages in between.</summary>
    public IReadOnlyList<(string Key, string Name, bool Far)> ReturnTargets { get; private set; } = [];

    /// <summary>
    /// At a countersign whose branch returns count as refusals: a return naming no stage is this branch's vote against
    /// (the section stays while the quorum can still be met), so the page offers that first, then the stages.
    /// </summary>
    public bool BranchRefusal { get; private set; }

    /// <summary>Added signers this reader may remove (减签): the added task's id and its holder's name.</summary>
    public IReadOnlyList<(Guid TaskId, string Name, TaskKind Kind)> Removable { get; private set; } = [];

    /// <summary>Active people who may be named for 加签 / 转办 / 委派 (user name, display name with department).</summary>
    public IReadOnlyList<(string UserName, string Label)> People { get; private set; } = [];

    /// <summary>Anything here for this reader beyond reading: otherwise the page sends them to the section page.</summary>
    public bool MayAct => Allowed is { } a && (a.Decide || a.Advise || a.Reclaim || a.AddSigner || a.Transfer || a.Delegate || !a.RemovableSigners.IsEmpty);

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

        if (!MayAct)
        {
            return Redirect($"/sections/{id}");
        }

        // After saving the phrases (redirected, so Back does not post again): the opinion being written comes back.
        PhrasesSaved = phrases == "saved";
        Opinion = TempData[OpinionKey] as string;
        return Page();
    }

    private const string OpinionKey = "review.opinion";

    public Task<IActionResult> OnPostApproveAsync(Guid id, int version, string? opinion, string? onBehalfOf, CancellationToken ct) =>
        DecideAsync(id, version, opinion, SectionDecision.Approve, ct, onBehalfOf: onBehalfOf);

    public Task<IActionResult> OnPostReturnAsync(Guid id, int version, string? opinion, string? toStage, string? resubmitTo, string? onBehalfOf, CancellationToken ct) =>
        DecideAsync(id, version, opinion, SectionDecision.Return, ct, string.IsNullOrEmpty(toStage) ? null : toStage, string.IsNullOrEmpty(resubmitTo) ? null : resubmitTo, onBehalfOf);

    /// <summary>委派: the delegate's advice, which hands the task back to the one who asked.</summary>
    public Task<IActionResult> OnPostAdviseAsync(Guid id, int version, string? opinion, CancellationToken ct) =>
        DecideAsync(id, version, opinion, SectionDecision.Advise, ct);

    /// <summary>拿回: take back an approval while the next stage has not acted.</summary>
    public Task<IActionResult> OnPostReclaimAsync(Guid id, int version, string? opinion, CancellationToken ct) =>
        DecideAsync(id, version, opinion, SectionDecision.Reclaim, ct);

    /// <summary>加签: another person signs before, after or beside the reader.</summary>
    public Task<IActionResult> OnPostAddSignerAsync(Guid id, int version, string? signer, string? position, string? note, CancellationToken ct) =>
        OperateAsync(id, version, TaskOperation.AddSigner, signer, position, null, note, "signer-added", ct);

    /// <summary>转办: the reader's task goes to another person for good.</summary>
    public Task<IActionResult> OnPostTransferAsync(Guid id, int version, string? to, string? note, CancellationToken ct) =>
        OperateAsync(id, version, TaskOperation.Transfer, to, null, null, note, "transferred", ct);

    /// <summary>委派: another person advises; the decision comes back to the reader.</summary>
    public Task<IActionResult> OnPostDelegateAsync(Guid id, int version, string? to, string? note, CancellationToken ct) =>
        OperateAsync(id, version, TaskOperation.Delegate, to, null, null, note, "delegated", ct);

    /// <summary>减签: a signer the reader added (an administrator: anyone added) is withdrawn before deciding.</summary>
    public Task<IActionResult> OnPostRemoveSignerAsync(Guid id, int version, Guid signerTask, CancellationToken ct) =>
        OperateAsync(id, version, TaskOperation.RemoveSigner, null, null, signerTask, null, "signer-removed", ct);

    private async Task<IActionResult> OperateAsync(Guid id, int version, TaskOperation operation, string? to, string? position, Guid? signer, string? note, string done, CancellationToken ct)
    {
        var me = CurrentUser.From(User);
        // The task the operation is on: the reader's own pending task here, or for 减签 the task the signer was added to.
        Guid? taskId;
        if (operation == TaskOperation.RemoveSigner)
        {
            var added = await Db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == signer && t.SectionId == id, ct);
            taskId = added?.ParentOrdinal is { } parent
                ? await Db.Tasks.AsNoTracking().Where(t => t.SectionId == id && t.Ordinal == parent).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct)
                : null;
        }
        else
        {
            taskId = await Db.Tasks.AsNoTracking().Where(t => t.SectionId == id && t.AssigneeId == me.Id && t.Status == WorkTaskStatus.Pending)
                .OrderByDescending(t => t.Ordinal).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct);
        }

        var result = taskId is { } task
            ? await pipeline.SendAsync(new OperateTask(me, task, operation, string.IsNullOrWhiteSpace(to) ? null : to, position, signer, string.IsNullOrWhiteSpace(note) ? null : note), ct)
            : null;
        if (result is { Succeeded: true })
        {
            return Redirect($"/sections/{id}?done={done}");
        }

        Db.ChangeTracker.Clear();
        if (!await LoadAsync(id, version, ct))
        {
            return NotFound();
        }

        if (result is null)
        {
            Error = operation == TaskOperation.RemoveSigner ? text["Refused_no-such-task"] : text["NoLongerYours"];
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        Error = PageCommand.Explain(result.Refusal!, text);
        Response.StatusCode = result.Refusal!.Status;
        return Page();
    }

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

    private async Task<IActionResult> DecideAsync(Guid id, int version, string? opinion, SectionDecision decision, CancellationToken ct, string? toStage = null, string? resubmitTo = null, string? onBehalfOf = null)
    {
        var command = new DecideSection(CurrentUser.From(User), id, decision, version, opinion)
        {
            ToStage = toStage,
            ResubmitTo = resubmitTo,
            OnBehalfOf = string.IsNullOrWhiteSpace(onBehalfOf) ? null : onBehalfOf,
        };
        var stageBefore = await Db.Sections.AsNoTracking().Where(x => x.Id == id).Select(x => (int?)x.StageIndex).FirstOrDefaultAsync(ct);
        var result = await pipeline.SendAsync(command, ct);
        if (result.Succeeded)
        {
            // The last stage's approval finishes the section: there is no next stage to speak of. A countersign branch's
            // return that counts as a refusal leaves the section where it was.
            var stageAfter = await Db.Sections.AsNoTracking().Where(x => x.Id == id).Select(x => (int?)x.StageIndex).FirstOrDefaultAsync(ct);
            var stayed = result.Value.Status == SectionStatus.InReview && stageBefore == stageAfter;
            var done = decision switch
            {
                SectionDecision.Return => stayed ? "branch-returned" : result.Value.Status == SectionStatus.InReview ? "returned-stage" : "returned",
                SectionDecision.Advise => "advised",
                SectionDecision.Reclaim => "reclaimed",
                _ => result.Value.Status == SectionStatus.Approved ? "final" : "approved",
            };
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
        var loaded = await SectionContext.LoadAsync(Db, views, routes, me, id, ct, Now);
        if (loaded is null)
        {
            return false;
        }

        Section = loaded;
        Allowed = await sections.AllowedAsync(id, me, ct) ?? throw new InvalidOperationException("The section was readable a moment ago.");
        var route = loaded.Route;
        var at = loaded.Row.StageIndex;
        var stageNow = route.Stages[at];
        BranchRefusal = Allowed.Decide && stageNow.Kind == ActivityKind.Countersign && stageNow.OnBranchReturn == BranchReturn.CountAsRefusal;
        ReturnTargets = [.. Allowed.ReturnTargets.Select(k => (k, route.Stages[route.IndexOf(k)].Name, route.IndexOf(k) < at - 1))];
        var tasks = await Db.Tasks.AsNoTracking().Where(t => t.SectionId == id).OrderBy(t => t.Ordinal).ToListAsync(ct);
        var named = tasks.Select(t => t.AssigneeId).Append(Allowed.OnBehalfOf).Where(x => x is not null).Distinct().ToList();
        var names = await Db.Users.AsNoTracking().Where(u => named.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => new UserRef(u.Id, u.UserName!, u.DisplayName), ct);
        OnBehalfOf = Allowed.OnBehalfOf is { } principal ? names.GetValueOrDefault(principal) : null;
        Removable = [.. Allowed.RemovableSigners.Where(i => i < tasks.Count).Select(i => (tasks[i].Id, names.GetValueOrDefault(tasks[i].AssigneeId)?.DisplayName ?? tasks[i].AssigneeId, tasks[i].Kind))];
        if (Allowed.AddSigner || Allowed.Transfer || Allowed.Delegate)
        {
            People = await directory.PeopleAsync(me.Id, ct);
        }

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
