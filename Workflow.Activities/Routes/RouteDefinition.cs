using System.Collections.Immutable;

namespace Workflow.Activities.Routes;

public enum ActivityKind
{
    Draft,
    Review,
}

public enum AssigneeKind
{
    /// <summary>The section's author (the only sensible holder of a draft stage).</summary>
    SectionAuthor,
    /// <summary>Every department head of the section's department.</summary>
    DepartmentHead,
    /// <summary>Every user holding a role, county-wide (e.g. committee-member).</summary>
    Role,
    /// <summary>A fixed list of user names.</summary>
    Users,
}

public sealed record Assignee(AssigneeKind Kind, string? Role = null, ImmutableArray<string> Users = default);

/// <summary>How many of the stage's task holders must approve. "any" is AtLeast(1).</summary>
public sealed record Quorum(bool All, int AtLeast)
{
    public static readonly Quorum Any = new(false, 1);
    public static readonly Quorum Everyone = new(true, 0);

    public override string ToString() => All ? "all" : AtLeast == 1 ? "any" : $"atLeast {AtLeast}";
}

public sealed record StageDefinition(
    string Key,
    string Name,
    ActivityKind Kind,
    Assignee Assignee,
    Quorum Quorum,
    TimeSpan? Deadline,
    bool BlockOnPlaceholders = false);

/// <summary>
/// A published route: immutable once published; sections are pinned to (DefinitionId, Version).
/// Stage 0 is always the draft stage; the others are review stages in order.
/// </summary>
public sealed record RouteDefinition(string DefinitionId, int Version, string Name, ImmutableArray<StageDefinition> Stages)
{
    public StageDefinition Draft => Stages[0];

    public int LastStage => Stages.Length - 1;
}
