using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Engine;
using Workflow.Host.Features.Tasks;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Pages;

/// <summary>待办 / 已办: the signed-in user's pending tasks (overdue in red) or those they completed.</summary>
public sealed class InboxModel(WorkflowDbContext db, RouteCatalog routes, TimeProvider clock) : SignedInPage(db)
{
    public bool Done { get; private set; }

    public int PendingCount { get; private set; }

    public List<TaskDto> Tasks { get; private set; } = [];

    /// <summary>For 已办: what I decided on each task (同意 / 退回 with my opinion, or 送审 for a draft I sent on).</summary>
    public Dictionary<Guid, (string Kind, string? Opinion)> Decisions { get; private set; } = [];

    public async Task OnGetAsync(string? state, CancellationToken ct)
    {
        var me = CurrentUser.From(User);
        Done = string.Equals(state, "done", StringComparison.OrdinalIgnoreCase);
        Tasks = await TaskList.LoadAsync(Db, routes, clock, me.Id, Done ? WorkTaskStatus.Completed : WorkTaskStatus.Pending, ct);
        // Counted once for every signed-in page (the top bar's badge), see SignedInPage.
        PendingCount = (int)ViewData["PendingCount"]!;
        ViewData["LiveInbox"] = true;
        if (Done && Tasks.Count > 0)
        {
            var sections = Tasks.Select(t => t.SectionId).Distinct().ToList();
            var mine = await Db.SignOffs.AsNoTracking()
                .Where(o => o.ActorId == me.Id && sections.Contains(o.SectionId))
                .OrderBy(o => o.Ordinal)
                .Select(o => new { o.SectionId, o.StageIndex, o.Cycle, o.Decision, o.Opinion, o.At })
                .ToListAsync(ct);
            foreach (var t in Tasks)
            {
                // The decision that closed this task: made with it, at its stage and round, not after it closed.
                var decision = mine.LastOrDefault(o => o.SectionId == t.SectionId && o.StageIndex == t.StageIndex && o.Cycle == t.Cycle && o.At <= t.ClosedAt);
                Decisions[t.Id] = t.StageIndex == 0 ? ("submitted", null)
                    : decision is null ? ("edited", null)
                    : (decision.Decision switch { Decision.Approved => "approved", Decision.Advised => "advised", _ => "returned" }, decision.Opinion);
            }
        }
    }
}
