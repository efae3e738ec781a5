using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Admin;

/// <summary>What an administrator fills in for an account; the department is its code, as in the API.</summary>
public sealed record UserInput(string? UserName, string? DisplayName, string? Email, string? Department, IReadOnlyList<string> Roles);

/// <summary>How an account change ended: the command's answer, and Identity's own objections (password rules, names) if any.</summary>
public sealed record AccountChange(IResult Result, IReadOnlyList<IdentityError> IdentityErrors);

/// <summary>
/// Account administration. Each change runs as one command (write gate, one transaction, retried on a lost race) with
/// its audit entry in the county-wide trail (report id Guid.Empty); passwords never reach the trail or the
/// idempotency fingerprint.
/// </summary>
public sealed class UserAdministration(WorkflowDbContext db, UserManager<AppUser> users, AuditTrail audit, CommandExecutor executor)
{
    public const int MaxDisplayName = 100;

    public async Task<AccountChange> CreateAsync(HttpContext http, UserInput input, string? password)
    {
        var me = CurrentUser.From(http.User);
        IReadOnlyList<IdentityError> identity = [];
        var result = await executor.ExecuteAsync(http, new { create = input }, async ct =>
        {
            identity = [];
            var (departmentId, problem) = await CheckAsync(input, ct);
            if (problem is not null)
            {
                return CommandOutcome.Refused(problem);
            }

            var user = new AppUser
            {
                UserName = input.UserName?.Trim(),
                DisplayName = input.DisplayName!.Trim(),
                Email = string.IsNullOrWhiteSpace(input.Email) ? null : input.Email.Trim(),
                DepartmentId = departmentId,
            };
            var created = await users.CreateAsync(user, password ?? "");
            if (!created.Succeeded)
            {
                identity = [.. created.Errors];
                return CommandOutcome.Refused(IdentityProblem(created));
            }

            var roles = Normalized(input.Roles);
            if (roles.Count > 0)
            {
                Check(await users.AddToRolesAsync(user, roles));
            }

            await audit.AppendAsync(Guid.Empty, null, me.Id, me.UserName, "user.create", new
            {
                user = user.UserName,
                userId = user.Id,
                after = new { displayName = user.DisplayName, email = user.Email, department = string.IsNullOrWhiteSpace(input.Department) ? null : input.Department.Trim(), roles },
            }, ct);
            return CommandOutcome.Done(new { user.Id }, StatusCodes.Status201Created);
        });
        return new AccountChange(result, identity);
    }

    /// <summary>Display name, department and roles. Roles are re-read on every request, so the change applies at once.</summary>
    public async Task<AccountChange> UpdateAsync(HttpContext http, string id, UserInput input)
    {
        var me = CurrentUser.From(http.User);
        var result = await executor.ExecuteAsync(http, new { update = id, input }, async ct =>
        {
            var user = await users.FindByIdAsync(id);
            if (user is null)
            {
                return CommandOutcome.Refused(Problems.NotFound($"User {id}"));
            }

            var (departmentId, problem) = await CheckAsync(input with { UserName = user.UserName }, ct);
            if (problem is not null)
            {
                return CommandOutcome.Refused(problem);
            }

            var roles = Normalized(input.Roles);
            // Without this an administrator could lock the county out of administration by accident.
            if (user.Id == me.Id && !roles.Contains(Roles.Admin))
            {
                return CommandOutcome.Refused(Problems.Conflict("You cannot remove your own administrator role; ask another administrator.", "self-admin"));
            }

            var before = await FactsAsync(user, ct);
            var current = await users.GetRolesAsync(user);
            user.DisplayName = input.DisplayName!.Trim();
            user.DepartmentId = departmentId;
            Check(await users.UpdateAsync(user));
            var removed = current.Except(roles).ToList();
            if (removed.Count > 0)
            {
                Check(await users.RemoveFromRolesAsync(user, removed));
            }

            var added = roles.Except(current).ToList();
            if (added.Count > 0)
            {
                Check(await users.AddToRolesAsync(user, added));
            }

            await audit.AppendAsync(Guid.Empty, null, me.Id, me.UserName, "user.update", new { user = user.UserName, userId = user.Id, before, after = await FactsAsync(user, ct) }, ct);
            return CommandOutcome.Done(new { user.Id });
        });
        return new AccountChange(result, []);
    }

    /// <summary>
    /// Disabling renews the security stamp as well: the host refuses a disabled account on every request anyway, and the
    /// new stamp keeps its old sessions dead should the account be enabled again.
    /// </summary>
    public async Task<AccountChange> SetDisabledAsync(HttpContext http, string id, bool disabled)
    {
        var me = CurrentUser.From(http.User);
        var result = await executor.ExecuteAsync(http, new { id, disabled }, async ct =>
        {
            if (disabled && id == me.Id)
            {
                return CommandOutcome.Refused(Problems.Conflict("You cannot disable your own account; ask another administrator.", "self-disable"));
            }

            var user = await users.FindByIdAsync(id);
            if (user is null)
            {
                return CommandOutcome.Refused(Problems.NotFound($"User {id}"));
            }

            var was = user.Disabled;
            user.Disabled = disabled;
            Check(disabled ? await users.UpdateSecurityStampAsync(user) : await users.UpdateAsync(user));
            await audit.AppendAsync(Guid.Empty, null, me.Id, me.UserName, disabled ? "user.disable" : "user.enable", new
            {
                user = user.UserName,
                userId = user.Id,
                before = new { disabled = was },
                after = new { disabled },
            }, ct);
            return CommandOutcome.Done(new { user.Id });
        });
        return new AccountChange(result, []);
    }

    /// <summary>
    /// The administrator sets a new password (there is no mail round trip in an offline county office). The new
    /// security stamp ends the account's sessions, and a lock-out from failed attempts is lifted.
    /// </summary>
    public async Task<AccountChange> ResetPasswordAsync(HttpContext http, string id, string? password)
    {
        var me = CurrentUser.From(http.User);
        IReadOnlyList<IdentityError> identity = [];
        var result = await executor.ExecuteAsync(http, new { passwordReset = id }, async ct =>
        {
            identity = [];
            var user = await users.FindByIdAsync(id);
            if (user is null)
            {
                return CommandOutcome.Refused(Problems.NotFound($"User {id}"));
            }

            var errors = new List<IdentityError>();
            foreach (var validator in users.PasswordValidators)
            {
                errors.AddRange((await validator.ValidateAsync(users, user, password ?? "")).Errors);
            }

            if (errors.Count > 0)
            {
                identity = errors;
                return CommandOutcome.Refused(IdentityProblem(IdentityResult.Failed([.. errors])));
            }

            user.PasswordHash = users.PasswordHasher.HashPassword(user, password!);
            Check(await users.UpdateSecurityStampAsync(user));
            await audit.AppendAsync(Guid.Empty, null, me.Id, me.UserName, "user.password-reset", new { user = user.UserName, userId = user.Id }, ct);
            return CommandOutcome.Done(new { user.Id });
        });
        return new AccountChange(result, identity);
    }

    private async Task<(Guid? DepartmentId, IResult? Problem)> CheckAsync(UserInput input, CancellationToken ct)
    {
        var name = input.DisplayName?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxDisplayName)
        {
            return (null, Problems.Create(StatusCodes.Status400BadRequest, "Invalid display name", $"A display name has 1 to {MaxDisplayName} characters.", "invalid-display-name"));
        }

        if (input.Roles.Any(r => !Roles.All.Contains(r)))
        {
            return (null, Problems.Create(StatusCodes.Status400BadRequest, "Unknown role", $"Roles are {string.Join(", ", Roles.All)}.", "unknown-role"));
        }

        if (string.IsNullOrWhiteSpace(input.Department))
        {
            return (null, null);
        }

        var code = input.Department.Trim();
        var id = await db.Departments.AsNoTracking().Where(d => d.Code == code).Select(d => (Guid?)d.Id).FirstOrDefaultAsync(ct);
        return id is null
            ? (null, Problems.Create(StatusCodes.Status400BadRequest, "Unknown department", $"No department with code '{code}'.", "unknown-department"))
            : (id, null);
    }

    /// <summary>What an audit entry records about an account, before and after a change: everything but secrets.</summary>
    private async Task<object> FactsAsync(AppUser user, CancellationToken ct)
    {
        var department = user.DepartmentId is { } d ? await db.Departments.AsNoTracking().Where(x => x.Id == d).Select(x => x.Code).FirstOrDefaultAsync(ct) : null;
        var roles = (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal).ToList();
        return new { displayName = user.DisplayName, department, roles };
    }

    private static List<string> Normalized(IEnumerable<string> roles) => roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    private static IResult IdentityProblem(IdentityResult result) =>
        Problems.Create(StatusCodes.Status422UnprocessableEntity, "Account refused", string.Join(" ", result.Errors.Select(e => e.Description)), "identity");

    /// <summary>Changes after the checks must not fail; if the store refuses one anyway, the whole command is undone.</summary>
    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("The account store refused a change: " + string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
