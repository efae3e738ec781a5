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

/// <summary>One account: edit display name, department and roles; disable or enable it; set a new password.</summary>
[Authorize(Roles = Roles.Admin)]
public sealed class UserModel(WorkflowDbContext db, IStringLocalizer<SharedResource> text, CommandPipeline pipeline) : AdminPage(db, text)
{
    public string Id { get; private set; } = "";

    public string UserName { get; private set; } = "";

    public string? Email { get; private set; }

    public bool Disabled { get; private set; }

    public bool IsMe { get; private set; }

    public UserFields Fields { get; private set; } = new("edit-", null, null, [], []);

    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, string? done, CancellationToken ct)
    {
        Done = done;
        return await LoadAsync(id, null, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostUpdateAsync(string id, string? displayName, string? department, string[]? roles, CancellationToken ct)
    {
        var input = new UserInput(null, displayName, null, department, roles ?? []);
        return await After(id, await pipeline.SendAsync(new UpdateUser(CurrentUser.From(User), id, input), ct), "updated", input, ct);
    }

    public async Task<IActionResult> OnPostDisableAsync(string id, CancellationToken ct) =>
        await After(id, await pipeline.SendAsync(new SetUserDisabled(CurrentUser.From(User), id, Disabled: true), ct), "disabled", null, ct);

    public async Task<IActionResult> OnPostEnableAsync(string id, CancellationToken ct) =>
        await After(id, await pipeline.SendAsync(new SetUserDisabled(CurrentUser.From(User), id, Disabled: false), ct), "enabled", null, ct);

    public async Task<IActionResult> OnPostPasswordAsync(string id, string? password, CancellationToken ct) =>
        await After(id, await pipeline.SendAsync(new ResetPassword(CurrentUser.From(User), id, password), ct), "password", null, ct);

    /// <summary>Done: back to the account (a refresh does not post again). Refused: the page with the reason and what was typed.</summary>
    private async Task<IActionResult> After(string id, CommandResult<AccountResult> change, string done, UserInput? typed, CancellationToken ct)
    {
        if (Succeeded(change))
        {
            return Redirect($"/admin/users/{Uri.EscapeDataString(id)}?done={done}");
        }

        return await LoadAsync(id, typed, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(string id, UserInput? typed, CancellationToken ct)
    {
        var user = await Db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return false;
        }

        var departments = await Db.Departments.AsNoTracking().OrderBy(d => d.Code).Select(d => new DepartmentDto(d.Id, d.Code, d.Name)).ToListAsync(ct);
        var roles = await (from ur in Db.UserRoles join r in Db.Roles on ur.RoleId equals r.Id where ur.UserId == id select r.Name!).ToListAsync(ct);
        Id = user.Id;
        UserName = user.UserName!;
        Email = user.Email;
        Disabled = user.Disabled;
        IsMe = user.Id == CurrentUser.From(User).Id;
        Fields = typed is null
            ? new UserFields("edit-", user.DisplayName, departments.FirstOrDefault(d => d.Id == user.DepartmentId)?.Code, roles, departments)
            : new UserFields("edit-", typed.DisplayName, typed.Department, [.. typed.Roles], departments);
        return true;
    }
}
