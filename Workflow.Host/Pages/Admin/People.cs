using Microsoft.EntityFrameworkCore;
using Workflow.Host.Features.Auth;
using Workflow.Host.Infrastructure;
using Workflow.Persistence;

namespace Workflow.Host.Pages.Admin;

/// <summary>An active author account that may draft a section, under its department.</summary>
public sealed record Candidate(string UserName, string DisplayName, string DepartmentCode);

/// <summary>The choices of the department and author selects: departments, and active accounts grouped by department.</summary>
public sealed record People(IReadOnlyList<DepartmentDto> Departments, ILookup<string, Candidate> Authors)
{
    /// <summary>Two queries, however many sections the page lists.</summary>
    public static async Task<People> LoadAsync(WorkflowDbContext db, CancellationToken ct)
    {
        var departments = await db.Departments.AsNoTracking().OrderBy(d => d.Code).Select(d => new DepartmentDto(d.Id, d.Code, d.Name)).ToListAsync(ct);
        var codes = departments.ToDictionary(d => d.Id, d => d.Code);
        // Only accounts with the author role draft: heads, committee members, auditors and clerks are not offered.
        var users = await (from u in db.Users.AsNoTracking()
                           where !u.Disabled && u.DepartmentId != null
                           where db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Author))
                           orderby u.UserName
                           select new { u.UserName, u.DisplayName, u.DepartmentId })
            .ToListAsync(ct);
        var authors = users.Where(u => codes.ContainsKey(u.DepartmentId!.Value))
            .Select(u => new Candidate(u.UserName!, u.DisplayName, codes[u.DepartmentId!.Value]))
            .ToLookup(c => c.DepartmentCode);
        return new People(departments, authors);
    }
}
