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

    public async Task OnGetAsync(string? state, CancellationToken ct)
    {
        var me = CurrentUser.From(User);
        Done = string.Equals(state, "done", StringComparison.OrdinalIgnoreCase);
        Tasks = await TaskEndpoints.LoadAsync(Db, routes, clock, me.Id, Done ? WorkTaskStatus.Completed : WorkTaskStatus.Pending, ct);
        PendingCount = Done ? await Db.Tasks.CountAsync(t => t.AssigneeId == me.Id && t.Status == WorkTaskStatus.Pending, ct) : Tasks.Count;
    }
}
