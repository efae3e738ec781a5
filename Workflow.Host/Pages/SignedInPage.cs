using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Workflow.Host.Infrastructure;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Pages;

/// <summary>
/// A page for a signed-in person: looks up once, for every such page, the department name the top bar shows
/// (the principal carries only the department's id), and the person's to-do count for the badge beside 我的工作 (a
/// signer's reports waiting for 签发 included).
/// </summary>
public abstract class SignedInPage(WorkflowDbContext db) : PageModel
{
    protected WorkflowDbContext Db { get; } = db;

    /// <summary>For a signer: the reports waiting for their 签发 (counted in the badge, listed in the inbox).</summary>
    public IReadOnlyList<Features.Reports.SignOffTask> SignOffs { get; private set; } = [];

    /// <summary>The host's clock (tests move it): what proxy windows and deadlines are measured against.</summary>
    protected DateTimeOffset Now => HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var me = CurrentUser.From(User);
        // The to-do count beside 我的工作 on every page; the page's script keeps it current from the event stream.
        var ct = HttpContext.RequestAborted;
        var pending = await Db.Tasks.CountAsync(t => t.AssigneeId == me.Id && t.Status == Activities.Engine.WorkTaskStatus.Pending, ct);

        // A proxy's count includes the tasks of those they stand in for, as their 待办 lists them (same route rule).
        var windows = await Db.ProxyWindows.AsNoTracking().Where(ProxyWindow.InForceAt(Now)).Where(w => w.ProxyId == me.Id).Select(w => new { w.UserId, w.Routes }).ToListAsync(ct);
        if (windows.Count > 0)
        {
            var principals = windows.Select(w => w.UserId).ToList();
            var theirs = await (from t in Db.Tasks.AsNoTracking()
                                join s in Db.Sections on t.SectionId equals s.Id
                                where principals.Contains(t.AssigneeId) && t.Status == Activities.Engine.WorkTaskStatus.Pending
                                select new { t.AssigneeId, s.RouteDefinitionId }).ToListAsync(ct);
            pending += theirs.Count(t => windows.Any(w => w.UserId == t.AssigneeId && ProxyWindow.Covers(w.Routes, t.RouteDefinitionId)));
        }

        // A signer's 待办 also lists the reports waiting for their 签发.
        if (me.IsInRole(Roles.Signer))
        {
            SignOffs = await Features.Reports.SignOffTasks.LoadAsync(Db, me, ct);
            pending += SignOffs.Count;
        }

        ViewData["PendingCount"] = pending;
        if (me.DepartmentId is { } dept)
        {
            ViewData["Department"] = await Db.Departments.Where(d => d.Id == dept).Select(d => d.Name).FirstOrDefaultAsync(HttpContext.RequestAborted);
        }

        await next();
    }
}
