using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Admin;

/// <summary>
/// Departments: create and rename, each as one command with its audit entry in the county-wide trail. The code is the
/// stable key the API, seeds and imports use, so it never changes; only the name does.
/// </summary>
public sealed partial class DepartmentAdministration(WorkflowDbContext db, AuditTrail audit, CommandExecutor executor)
{
    public const int MaxName = 100;

    public async Task<IResult> CreateAsync(HttpContext http, string? code, string? name)
    {
        var me = CurrentUser.From(http.User);
        code = code?.Trim() ?? "";
        name = name?.Trim() ?? "";
        if (!CodePattern().IsMatch(code))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Invalid code", "A department code is 2 to 32 lowercase ASCII letters, digits or hyphens, starting with a letter.", "invalid-code");
        }

        if (name.Length is 0 or > MaxName)
        {
            return InvalidName();
        }

        return await executor.ExecuteAsync(http, new { code, name }, async ct =>
        {
            if (await db.Departments.AnyAsync(d => d.Code == code, ct))
            {
                return CommandOutcome.Refused(Problems.Conflict($"A department with code '{code}' already exists.", "department-exists"));
            }

            var department = new Department { Id = Guid.NewGuid(), Code = code, Name = name };
            db.Departments.Add(department);
            await audit.AppendAsync(Guid.Empty, null, me.Id, me.UserName, "department.create", new { department.Id, code, name }, ct);
            return CommandOutcome.Done(new { department.Id }, StatusCodes.Status201Created);
        });
    }

    public async Task<IResult> RenameAsync(HttpContext http, Guid id, string? name)
    {
        var me = CurrentUser.From(http.User);
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > MaxName)
        {
            return InvalidName();
        }

        return await executor.ExecuteAsync(http, new { id, name }, async ct =>
        {
            var department = await db.Departments.FirstOrDefaultAsync(d => d.Id == id, ct);
            if (department is null)
            {
                return CommandOutcome.Refused(Problems.NotFound($"Department {id}"));
            }

            var before = department.Name;
            department.Name = name;
            await audit.AppendAsync(Guid.Empty, null, me.Id, me.UserName, "department.rename", new { department.Id, department.Code, before = new { name = before }, after = new { name } }, ct);
            return CommandOutcome.Done(new { department.Id });
        });
    }

    private static IResult InvalidName() =>
        Problems.Create(StatusCodes.Status400BadRequest, "Invalid name", $"A department name has 1 to {MaxName} characters.", "invalid-name");

    [GeneratedRegex("^[a-z][a-z0-9-]{1,31}$")]
    private static partial Regex CodePattern();
}
