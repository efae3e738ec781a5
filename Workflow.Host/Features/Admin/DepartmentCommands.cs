using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Admin;

/// <summary>The department a change was made to.</summary>
public sealed record DepartmentResult(Guid Id);

/// <summary>
/// A new department. The code is the stable key the API, seeds and imports use, so it never changes; only the name
/// does. Each change has its audit entry in the county-wide trail.
/// </summary>
public sealed partial record CreateDepartment(CurrentUser Actor, string? Code, string? Name) : Command<DepartmentResult>(Actor)
{
    public const int MaxName = 100;

    public override Refusal? Validate() =>
        !CodePattern().IsMatch(Code?.Trim() ?? "")
            ? Refusal.Create(StatusCodes.Status400BadRequest, "Invalid code", "A department code is 2 to 32 lowercase ASCII letters, digits or hyphens, starting with a letter.", "invalid-code")
            : CheckName(Name);

    internal static Refusal? CheckName(string? name) =>
        (name?.Trim() ?? "").Length is 0 or > MaxName
            ? Refusal.Create(StatusCodes.Status400BadRequest, "Invalid name", $"A department name has 1 to {MaxName} characters.", "invalid-name")
            : null;

    [GeneratedRegex("^[a-z][a-z0-9-]{1,31}$")]
    private static partial Regex CodePattern();
}

public sealed record RenameDepartment(CurrentUser Actor, Guid DepartmentId, string? Name) : Command<DepartmentResult>(Actor)
{
    public override Refusal? Validate() => CreateDepartment.CheckName(Name);
}

public sealed class CreateDepartmentHandler(WorkflowDbContext db, AuditTrail audit) : ICommandHandler<CreateDepartment, DepartmentResult>
{
    public async Task<CommandResult<DepartmentResult>> HandleAsync(CreateDepartment command, CancellationToken ct)
    {
        var (code, name) = (command.Code!.Trim(), command.Name!.Trim());
        if (await db.Departments.AnyAsync(d => d.Code == code, ct))
        {
            return Refusal.Conflict($"A department with code '{code}' already exists.", "department-exists");
        }

        var department = new Department { Id = Guid.NewGuid(), Code = code, Name = name };
        db.Departments.Add(department);
        await audit.AppendAsync(Guid.Empty, null, command.Actor.Id, command.Actor.UserName, "department.create", new { department.Id, code, name }, ct);
        return CommandResult<DepartmentResult>.Done(new DepartmentResult(department.Id), StatusCodes.Status201Created);
    }
}

public sealed class RenameDepartmentHandler(WorkflowDbContext db, AuditTrail audit) : ICommandHandler<RenameDepartment, DepartmentResult>
{
    public async Task<CommandResult<DepartmentResult>> HandleAsync(RenameDepartment command, CancellationToken ct)
    {
        var department = await db.Departments.FirstOrDefaultAsync(d => d.Id == command.DepartmentId, ct);
        if (department is null)
        {
            return Refusal.NotFound($"Department {command.DepartmentId}");
        }

        var (before, name) = (department.Name, command.Name!.Trim());
        department.Name = name;
        await audit.AppendAsync(Guid.Empty, null, command.Actor.Id, command.Actor.UserName, "department.rename", new { department.Id, department.Code, before = new { name = before }, after = new { name } }, ct);
        return CommandResult<DepartmentResult>.Done(new DepartmentResult(department.Id));
    }
}
