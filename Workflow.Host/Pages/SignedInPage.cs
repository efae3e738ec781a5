using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Workflow.Host.Infrastructure;
using Workflow.Persistence;

namespace Workflow.Host.Pages;

/// <summary>
/// A page for a signed-in person: looks up once, for every such page, the department name the top bar shows
/// (the principal carries only the department's id), and the person's to-do count for the badge beside 我的工作.
/// </summary>
public abstract class SignedInPage(WorkflowDbContext db) : PageModel
{
    protected WorkflowDbContext Db { get; } = db;

    /// <summary>The host's clock (tests move it): what proxy windows and deadlines are measured against.</summary>
    protected DateTimeOffset Now => HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var me = CurrentUser.From(User);
        // The to-do count beside 我的工作 on every page; the page's script keeps it current from the event stream.
        // A proxy's count includes the tasks of those they stand in for, as their 待办 lists them.
        var now = Now;
        var standsInFor = Db.ProxyWindows.Where(w => w.ProxyId == me.Id && w.RevokedAt == null && w.From <= now && w.To > now);
        ViewData["PendingCount"] = await Db.Tasks.CountAsync(
            t => t.Status == Activities.Engine.WorkTaskStatus.Pending
                && (t.AssigneeId == me.Id || standsInFor.Any(w => w.UserId == t.AssigneeId
                    && (w.Routes == "" || Db.Sections.Any(s => s.Id == t.SectionId && (w.Routes == s.RouteDefinitionId || w.Routes.StartsWith(s.RouteDefinitionId + "\n") || w.Routes.EndsWith("\n" + s.RouteDefinitionId) || w.Routes.Contains("\n" + s.RouteDefinitionId + "\n")))))),
            HttpContext.RequestAborted);
        if (me.DepartmentId is { } dept)
        {
            ViewData["Department"] = await Db.Departments.Where(d => d.Id == dept).Select(d => d.Name).FirstOrDefaultAsync(HttpContext.RequestAborted);
        }

        await next();
    }
}
