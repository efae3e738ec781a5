using Microsoft.AspNetCore.Identity;

namespace Workflow.Persistence.Entities;

public sealed class AppUser : IdentityUser
{
    public required string DisplayName { get; set; }

    public Guid? DepartmentId { get; set; }

    public bool Disabled { get; set; }

    /// <summary>
    /// The person's own preset phrases for opinions (常用语), one per line; null means the built-in ones. Kept with the
    /// account so they follow the person to any computer.
    /// </summary>
    public string? OpinionPhrases { get; set; }
}
