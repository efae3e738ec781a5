using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Workflow.Host.Features.Admin;
using Workflow.Host.Features.Auth;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Pages.Admin;

/// <summary>Every account with its department, roles and state, and the form to create one.</summary>
[Authorize(Roles = Roles.Admin)]
public sealed class UsersModel(WorkflowDbContext db, IStringLocalizer<SharedResource> text, CommandPipeline pipeline) : AdminPage(db, text)
{
    public sealed record Row(string Id, string UserName, string DisplayName, string? Department, IReadOnlyList<string> Roles, bool Disabled);

    public List<Row> Rows { get; private set; } = [];

    public List<DepartmentDto> Departments { get; private set; } = [];

    /// <summary>What was typed into the create form, shown again when it is refused (never the password).</summary>
    public UserInput Input { get; private set; } = new(null, null, null, null, []);

    public string? Done { get; private set; }

    public async Task OnGetAsync(string? done, CancellationToken ct)
    {
        Done = done;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostCreateAsync(string? userName, string? displayName, string? email, string? department, string[]? roles, string? password, CancellationToken ct)
    {
        Input = new UserInput(userName, displayName, email, department, roles ?? []);
        if (Succeeded(await pipeline.SendAsync(new CreateUser(CurrentUser.From(User), Input, password), ct)))
        {
            return Redirect("/admin/users?done=created");
        }

        await LoadAsync(ct);
        return Page();
    }

    /// <summary>Three queries whatever the number of accounts: users, their roles, departments.</summary>
    private async Task LoadAsync(CancellationToken ct)
    {
        Departments = await Db.Departments.AsNoTracking().OrderBy(d => d.Code).Select(d => new DepartmentDto(d.Id, d.Code, d.Name)).ToListAsync(ct);
        var names = Departments.ToDictionary(d => d.Id, d => d.Name);
        var roles = (await (from ur in Db.UserRoles join r in Db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync(ct))
            .ToLookup(x => x.UserId, x => x.Name!);
        var users = await Db.Users.AsNoTracking().OrderBy(u => u.UserName)
            .Select(u => new { u.Id, u.UserName, u.DisplayName, u.DepartmentId, u.Disabled })
            .ToListAsync(ct);
        Rows = users.Select(u => new Row(
            u.Id,
            u.UserName!,
            u.DisplayName,
            u.DepartmentId is { } d ? names.GetValueOrDefault(d) : null,
            roles[u.Id].Order(StringComparer.Ordinal).ToList(),
            u.Disabled)).ToList();
    }
}
