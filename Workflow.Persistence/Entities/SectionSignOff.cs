using Workflow.Activities.Engine;

namespace Workflow.Persistence.Entities;

/// <summary>One row per engine <see cref="SignOff"/>, at the same position (Ordinal) in the section's list.</summary>
public sealed class SectionSignOff
{
    public Guid Id { get; set; }

    public Guid SectionId { get; set; }

    public Guid ReportId { get; set; }

    public int Ordinal { get; set; }

    public int StageIndex { get; set; }

    public required string StageKey { get; set; }

    public int Cycle { get; set; }

    public required string ActorId { get; set; }

    /// <summary>
    /// The signer as they were when they signed: display name, roles (their title in the review) and department
    /// name. A later rename shows on later decisions only; null on rows signed before these were kept.
    /// </summary>
    public string? ActorName { get; set; }

    public string? ActorRoles { get; set; }

    public string? ActorDepartment { get; set; }

    /// <summary>The task holder a proxy (委托) decided for; ActorId is then the proxy.</summary>
    public string? OnBehalfOfId { get; set; }

    /// <summary>That holder's display name as it was on the day.</summary>
    public string? OnBehalfOfName { get; set; }

    public int Visit { get; set; }

    public string Branch { get; set; } = "";

    /// <summary>The kind of task decided: an added signer's, a delegate's advice, a clerk's.</summary>
    public TaskKind Kind { get; set; }

    public Decision Decision { get; set; }

    public string? Opinion { get; set; }

    public int VersionNumber { get; set; }

    public required string VersionHash { get; set; }

    public DateTimeOffset At { get; set; }

    public bool Dismissed { get; set; }
}
