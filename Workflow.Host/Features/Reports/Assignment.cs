using Microsoft.EntityFrameworkCore;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Reports;

/// <summary>Resolves a department code and an author's user name, checking the author works in that department.</summary>
public sealed record Assignment(Department? Department, AppUser? Author, Refusal? Refusal)
{
    public static async Task<Assignment> ResolveAsync(WorkflowDbContext db, string? departmentCode, string? authorName, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(departmentCode) || string.IsNullOrWhiteSpace(authorName))
        {
            return Fail(Refusal.Invalid("department", "Give the department code (e.g. \"zuzhi\") and the author's user name."));
        }

        var department = await db.Departments.AsNoTracking().FirstOrDefaultAsync(d => d.Code == departmentCode.Trim(), ct);
        if (department is null)
        {
            return Fail(Refusal.Invalid("department", $"No department with code '{departmentCode}'; see GET /api/departments."));
        }

        var normalized = authorName.Trim().ToUpperInvariant();
        var author = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedUserName == normalized && !u.Disabled, ct);
        if (author is null)
        {
            return Fail(Refusal.Invalid("author", $"No active user named '{authorName}'."));
        }

        return author.DepartmentId != department.Id
            ? Fail(Refusal.Invalid("author", $"User '{authorName}' does not belong to department '{department.Name}'."))
            : new Assignment(department, author, null);
    }

    private static Assignment Fail(Refusal refusal) => new(null, null, refusal);
}
