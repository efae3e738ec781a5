using System.Security.Claims;

namespace Workflow.Host.Infrastructure;

/// <summary>The signed-in user as the claims in their token or cookie describe them.</summary>
public sealed record CurrentUser(string Id, string UserName, string DisplayName, Guid? DepartmentId, IReadOnlySet<string> Roles)
{
    public const string DepartmentClaim = "department";
    public const string DisplayNameClaim = "display_name";

    /// <summary>Who acts when the host acts by itself (the deadline scanner's reminders and escalations), as the trail names it.</summary>
    public static readonly CurrentUser System = new("system", "system", "系统", null, new HashSet<string>());

    public bool IsInRole(string role) => Roles.Contains(role);

    public bool SeesWholeCounty => Infrastructure.Roles.CountyWideReaders.Any(Roles.Contains);

    public bool CanSeeDepartment(Guid? departmentId) => SeesWholeCounty || (departmentId is not null && departmentId == DepartmentId);

    public static CurrentUser From(ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The request is not authenticated.");
        var department = principal.FindFirstValue(DepartmentClaim);
        return new CurrentUser(
            id,
            principal.FindFirstValue(ClaimTypes.Name) ?? id,
            principal.FindFirstValue(DisplayNameClaim) ?? id,
            Guid.TryParse(department, out var d) ? d : null,
            principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));
    }
}
