using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Admin;

/// <summary>What an administrator fills in for an account; the department is its code, as in the API.</summary>
public sealed record UserInput(string? UserName, string? DisplayName, string? Email, string? Department, IReadOnlyList<string> Roles)
{
    public const int MaxDisplayName = 100;

    /// <summary>The checks that need nothing read: a display name and known roles.</summary>
    public Refusal? Check()
    {
        var name = DisplayName?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxDisplayName)
        {
            return Refusal.Create(StatusCodes.Status400BadRequest, "Invalid display name", $"A display name has 1 to {MaxDisplayName} characters.", "invalid-display-name");
        }

        return Roles.Any(r => !Infrastructure.Roles.All.Contains(r))
            ? Refusal.Create(StatusCodes.Status400BadRequest, "Unknown role", $"Roles are {string.Join(", ", Infrastructure.Roles.All)}.", "unknown-role")
            : null;
    }

    public List<string> NormalizedRoles() => Roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}

/// <summary>The account a change was made to.</summary>
public sealed record AccountResult(string Id);

/// <summary>A new account. The password never reaches the trail or the idempotency fingerprint.</summary>
public sealed record CreateUser(CurrentUser Actor, UserInput Input, [property: JsonIgnore] string? Password) : Command<AccountResult>(Actor)
{
    public override Refusal? Validate() => Input.Check();
}

/// <summary>Display name, department and roles. Roles are re-read on every request, so the change applies at once.</summary>
public sealed record UpdateUser(CurrentUser Actor, string UserId, UserInput Input) : Command<AccountResult>(Actor)
{
    public override Refusal? Validate() => Input.Check();
}

/// <summary>Disables or enables an account.</summary>
public sealed record SetUserDisabled(CurrentUser Actor, string UserId, bool Disabled) : Command<AccountResult>(Actor);

/// <summary>The administrator sets a new password (there is no mail round trip in an offline county office).</summary>
public sealed record ResetPassword(CurrentUser Actor, string UserId, [property: JsonIgnore] string? Password) : Command<AccountResult>(Actor);

/// <summary>
/// What account changes share: the department's code resolved, the facts an audit entry records, Identity's
/// objections as a refusal. Each change has its audit entry in the county-wide trail (report id Guid.Empty).
/// </summary>
public sealed class Accounts(WorkflowDbContext db, UserManager<AppUser> users)
{
    public UserManager<AppUser> Users => users;

    public async Task<(Guid? DepartmentId, Refusal? Refusal)> DepartmentAsync(UserInput input, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(input.Department))
        {
            return (null, null);
        }

        var code = input.Department.Trim();
        var id = await db.Departments.AsNoTracking().Where(d => d.Code == code).Select(d => (Guid?)d.Id).FirstOrDefaultAsync(ct);
        return id is null
            ? (null, Refusal.Create(StatusCodes.Status400BadRequest, "Unknown department", $"No department with code '{code}'.", "unknown-department"))
            : (id, null);
    }

    /// <summary>What an audit entry records about an account, before and after a change: everything but secrets.</summary>
    public async Task<object> FactsAsync(AppUser user, CancellationToken ct)
    {
        var department = user.DepartmentId is { } d ? await db.Departments.AsNoTracking().Where(x => x.Id == d).Select(x => x.Code).FirstOrDefaultAsync(ct) : null;
        var roles = (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal).ToList();
        return new { displayName = user.DisplayName, department, roles };
    }

    /// <summary>Identity's objections, each kept so a page can say it in its words.</summary>
    public static Refusal Refused(IEnumerable<IdentityError> errors) =>
        Refusal.Create(StatusCodes.Status422UnprocessableEntity, "Account refused", string.Join(" ", errors.Select(e => e.Description)), "identity")
            with { Reasons = [.. errors.Select(e => new RefusalReason(e.Code, e.Description))] };

    /// <summary>Changes after the checks must not fail; if the store refuses one anyway, the whole command is undone.</summary>
    public static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("The account store refused a change: " + string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}

public sealed class CreateUserHandler(Accounts accounts, AuditTrail audit) : ICommandHandler<CreateUser, AccountResult>
{
    public async Task<CommandResult<AccountResult>> HandleAsync(CreateUser command, CancellationToken ct)
    {
        var input = command.Input;
        var (departmentId, refused) = await accounts.DepartmentAsync(input, ct);
        if (refused is not null)
        {
            return refused;
        }

        var user = new AppUser
        {
            UserName = input.UserName?.Trim(),
            DisplayName = input.DisplayName!.Trim(),
            Email = string.IsNullOrWhiteSpace(input.Email) ? null : input.Email.Trim(),
            DepartmentId = departmentId,
        };
        var created = await accounts.Users.CreateAsync(user, command.Password ?? "");
        if (!created.Succeeded)
        {
            return Accounts.Refused(created.Errors);
        }

        var roles = input.NormalizedRoles();
        if (roles.Count > 0)
        {
            Accounts.Check(await accounts.Users.AddToRolesAsync(user, roles));
        }

        await audit.AppendAsync(Guid.Empty, null, command.Actor.Id, command.Actor.UserName, "user.create", new
        {
            user = user.UserName,
            userId = user.Id,
            after = new { displayName = user.DisplayName, email = user.Email, department = string.IsNullOrWhiteSpace(input.Department) ? null : input.Department.Trim(), roles },
        }, ct);
        return CommandResult<AccountResult>.Done(new AccountResult(user.Id), StatusCodes.Status201Created);
    }
}

public sealed class UpdateUserHandler(Accounts accounts, AuditTrail audit) : ICommandHandler<UpdateUser, AccountResult>
{
    public async Task<CommandResult<AccountResult>> HandleAsync(UpdateUser command, CancellationToken ct)
    {
        var users = accounts.Users;
        var user = await users.FindByIdAsync(command.UserId);
        if (user is null)
        {
            return Refusal.NotFound($"User {command.UserId}");
        }

        var (departmentId, refused) = await accounts.DepartmentAsync(command.Input, ct);
        if (refused is not null)
        {
            return refused;
        }

        var roles = command.Input.NormalizedRoles();
        // Without this an administrator could lock the county out of administration by accident.
        if (user.Id == command.Actor.Id && !roles.Contains(Roles.Admin))
        {
            return Refusal.Conflict("You cannot remove your own administrator role; ask another administrator.", "self-admin");
        }

        var before = await accounts.FactsAsync(user, ct);
        var current = await users.GetRolesAsync(user);
        user.DisplayName = command.Input.DisplayName!.Trim();
        user.DepartmentId = departmentId;
        Accounts.Check(await users.UpdateAsync(user));
        var removed = current.Except(roles).ToList();
        if (removed.Count > 0)
        {
            Accounts.Check(await users.RemoveFromRolesAsync(user, removed));
        }

        var added = roles.Except(current).ToList();
        if (added.Count > 0)
        {
            Accounts.Check(await users.AddToRolesAsync(user, added));
        }

        await audit.AppendAsync(Guid.Empty, null, command.Actor.Id, command.Actor.UserName, "user.update", new { user = user.UserName, userId = user.Id, before, after = await accounts.FactsAsync(user, ct) }, ct);
        return CommandResult<AccountResult>.Done(new AccountResult(user.Id));
    }
}

/// <summary>
/// Disabling renews the security stamp as well: the host refuses a disabled account on every request anyway, and the
/// new stamp keeps its old sessions dead should the account be enabled again.
/// </summary>
public sealed class SetUserDisabledHandler(Accounts accounts, AuditTrail audit) : ICommandHandler<SetUserDisabled, AccountResult>
{
    public async Task<CommandResult<AccountResult>> HandleAsync(SetUserDisabled command, CancellationToken ct)
    {
        if (command.Disabled && command.UserId == command.Actor.Id)
        {
            return Refusal.Conflict("You cannot disable your own account; ask another administrator.", "self-disable");
        }

        var user = await accounts.Users.FindByIdAsync(command.UserId);
        if (user is null)
        {
            return Refusal.NotFound($"User {command.UserId}");
        }

        var was = user.Disabled;
        user.Disabled = command.Disabled;
        Accounts.Check(command.Disabled ? await accounts.Users.UpdateSecurityStampAsync(user) : await accounts.Users.UpdateAsync(user));
        await audit.AppendAsync(Guid.Empty, null, command.Actor.Id, command.Actor.UserName, command.Disabled ? "user.disable" : "user.enable", new
        {
            user = user.UserName,
            userId = user.Id,
            before = new { disabled = was },
            after = new { disabled = command.Disabled },
        }, ct);
        return CommandResult<AccountResult>.Done(new AccountResult(user.Id));
    }
}

/// <summary>The new security stamp ends the account's sessions.</summary>
public sealed class ResetPasswordHandler(Accounts accounts, AuditTrail audit) : ICommandHandler<ResetPassword, AccountResult>
{
    public async Task<CommandResult<AccountResult>> HandleAsync(ResetPassword command, CancellationToken ct)
    {
        var users = accounts.Users;
        var user = await users.FindByIdAsync(command.UserId);
        if (user is null)
        {
            return Refusal.NotFound($"User {command.UserId}");
        }

        var errors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            errors.AddRange((await validator.ValidateAsync(users, user, command.Password ?? "")).Errors);
        }

        if (errors.Count > 0)
        {
            return Accounts.Refused(errors);
        }

        user.PasswordHash = users.PasswordHasher.HashPassword(user, command.Password!);
        Accounts.Check(await users.UpdateSecurityStampAsync(user));
        await audit.AppendAsync(Guid.Empty, null, command.Actor.Id, command.Actor.UserName, "user.password-reset", new { user = user.UserName, userId = user.Id }, ct);
        return CommandResult<AccountResult>.Done(new AccountResult(user.Id));
    }
}
