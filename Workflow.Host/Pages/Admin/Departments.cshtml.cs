using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Workflow.Host.Features.Admin;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Pages.Admin;

/// <summary>Departments with how many accounts each has; create one, rename one.</summary>
[Authorize(Roles = Roles.Admin)]
public sealed class DepartmentsModel(WorkflowDbContext db, IStringLocalizer<SharedResource> text, CommandPipeline pipeline) : AdminPage(db, text)
{
    public sealed record Row(Guid Id, string Code, string Name, int Users);

    public List<Row> Rows { get; private set; } = [];

    public string? Done { get; private set; }

    public string? Code { get; private set; }

    public string? Name { get; private set; }

    public async Task OnGetAsync(string? done, CancellationToken ct)
    {
        Done = done;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostCreateAsync(string? code, string? name, CancellationToken ct)
    {
        if (Succeeded(await pipeline.SendAsync(new CreateDepartment(CurrentUser.From(User), code, name), ct)))
        {
            return Redirect("/admin/departments?done=department-created");
        }

        (Code, Name) = (code, name);
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRenameAsync(Guid id, string? name, CancellationToken ct)
    {
        if (Succeeded(await pipeline.SendAsync(new RenameDepartment(CurrentUser.From(User), id, name), ct)))
        {
            return Redirect("/admin/departments?done=department-renamed");
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Rows = await Db.Departments.AsNoTracking().OrderBy(d => d.Code)
            .Select(d => new Row(d.Id, d.Code, d.Name, Db.Users.Count(u => u.DepartmentId == d.Id)))
            .ToListAsync(ct);
}
