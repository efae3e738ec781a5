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
        ViewData["PendingCount"] = await Db.Tasks.CountAsync(t => t.AssigneeId == me.Id && t.Status == Activities.Engine.WorkTaskStatus.Pending, HttpContext.RequestAborted);
        if (me.DepartmentId is { } dept)
        {
            ViewData["Department"] = await Db.Departments.Where(d => d.Id == dept).Select(d => d.Name).FirstOrDefaultAsync(HttpContext.RequestAborted);
        }

        await next();
    }
}
