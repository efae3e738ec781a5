using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Workflow.Host.Infrastructure;
using Workflow.Persistence;

namespace Workflow.Host.Pages;

/// <summary>
/// A page for a signed-in person: looks up once, for every such page, the department name the top bar shows
/// (the principal carries only the department's id).
/// </summary>
public abstract class SignedInPage(WorkflowDbContext db) : PageModel
{
    protected WorkflowDbContext Db { get; } = db;

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (CurrentUser.From(User).DepartmentId is { } dept)
        {
            ViewData["Department"] = await Db.Departments.Where(d => d.Id == dept).Select(d => d.Name).FirstOrDefaultAsync(HttpContext.RequestAborted);
        }

        await next();
    }
}
