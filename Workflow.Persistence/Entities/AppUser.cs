using Microsoft.AspNetCore.Identity;

namespace Workflow.Persistence.Entities;

public sealed class AppUser : IdentityUser
{
    public required string DisplayName { get; set; }

    public Guid? DepartmentId { get; set; }

    public bool Disabled { get; set; }
}
