using System.Collections.Immutable;

namespace Workflow.Activities.Routes;

public enum ActivityKind
{
    /// <summary>The section's author writes and submits.</summary>
    Draft,
    /// <summary>One person or the holders of a role (e.g. the section's department head); each holder is a branch.</summary>
    Review,
    /// <summary>会签: parallel branches (departments' heads, named people or a role) decided under one quorum.</summary>
    Countersign,
    /// <summary>依次审批: named people one after another; each must approve before the next is asked.</summary>
    Sequential,
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
    /// <summary>The heads of named departments (by department code); in a countersign each department is one branch.</summary>
    DepartmentHeads,
}

public sealed record Assignee(AssigneeKind Kind, string? Role = null, ImmutableArray<string> Users = default)
{
    /// <summary>Department codes, for <see cref="AssigneeKind.DepartmentHeads"/>.</summary>
    public ImmutableArray<string> Departments { get; init; } = [];
}

public enum QuorumKind
{
    All,
    AtLeast,
    Percent,
}

/// <summary>How many of a stage's branches must approve. "any" (或签) is AtLeast(1).</summary>
public sealed record Quorum(QuorumKind Kind, int Value)
{
    public static readonly Quorum Any = new(QuorumKind.AtLeast, 1);
    public static readonly Quorum Everyone = new(QuorumKind.All, 0);

    public bool All => Kind == QuorumKind.All;

    /// <summary>For "atLeast N" the N; for the other kinds see <see cref="Required"/>.</summary>
    public int AtLeast => Kind == QuorumKind.AtLeast ? Value : 1;

    /// <summary>Approvals needed out of <paramref name="branches"/> branches (a percentage rounds up, never below one).</summary>
    public int Required(int branches) => Kind switch
    {
        QuorumKind.All => branches,
        QuorumKind.AtLeast => Value,
        _ => Math.Max(1, (int)Math.Ceiling(branches * Value / 100.0)),
    };

    public override string ToString() => Kind switch
    {
        QuorumKind.All => "all",
        QuorumKind.AtLeast => Value == 1 ? "any" : $"atLeast {Value}",
        _ => $"{Value}%",
    };
}

/// <summary>What one countersign branch's return does.</summary>
public enum BranchReturn
{
    /// <summary>The section goes back (to the author or the stage named), as any return.</summary>
    ReturnSection,
    /// <summary>The branch refuses; the section goes back only once the quorum can no longer be met.</summary>
    CountAsRefusal,
}

/// <summary>When a stage (or a branch) has nobody who may act.</summary>
public enum WhenNobody
{
    /// <summary>The command that would enter the stage is refused: someone must staff it first.</summary>
    Refuse,
    /// <summary>The report's clerk receives the task, with a notice saying why.</summary>
    Clerk,
}

/// <summary>When the only eligible approver is the one who wrote or submitted the text.</summary>
public enum WhenSubmitter
{
    /// <summary>They are not asked (separation of duties); the stage needs someone else.</summary>
    Exclude,
    /// <summary>Their branch is passed over, recorded as skipped.</summary>
    Skip,
    /// <summary>A named deputy is asked instead.</summary>
    Deputy,
}

/// <summary>Where a resubmission after a return goes.</summary>
public enum ResubmitTo
{
    /// <summary>Through every stage between the one returned to and the one that returned it, again.</summary>
    Rerun,
    /// <summary>Straight back to the stage that returned it.</summary>
    Returner,
}

public sealed record StageDefinition(
    string Key,
    string Name,
    ActivityKind Kind,
    Assignee Assignee,
    Quorum Quorum,
    TimeSpan? Deadline,
    bool BlockOnPlaceholders = false)
{
    /// <summary>Countersign: one assignee per branch group (a departmentHeads assignee gives a branch per department).</summary>
    public ImmutableArray<Assignee> Branches { get; init; } = [];

    public BranchReturn OnBranchReturn { get; init; } = BranchReturn.ReturnSection;

    public WhenNobody WhenNobody { get; init; } = WhenNobody.Refuse;

    public WhenSubmitter WhenSubmitter { get; init; } = WhenSubmitter.Exclude;

    /// <summary>The deputy's user name, for <see cref="WhenSubmitter.Deputy"/>.</summary>
    public string? Deputy { get; init; }

    /// <summary>Branches that stay branches even with nobody to hold them (a department, a named person), rather than holders of a role.</summary>
    public bool FixedBranches => Kind is ActivityKind.Sequential || (Kind == ActivityKind.Countersign && Branches.Any(b => b.Kind is AssigneeKind.DepartmentHeads or AssigneeKind.Users));
}

/// <summary>
/// A published route: immutable once published; sections are pinned to (DefinitionId, Version).
/// Stage 0 is always the draft stage; the others are review stages in order.
/// </summary>
public sealed record RouteDefinition(string DefinitionId, int Version, string Name, ImmutableArray<StageDefinition> Stages)
{
    public const int DefaultMaxSignerDepth = 2;

    public StageDefinition Draft => Stages[0];

    public int LastStage => Stages.Length - 1;

    /// <summary>Where a resubmission goes unless the return says otherwise.</summary>
    public ResubmitTo ResubmitTo { get; init; } = ResubmitTo.Rerun;

    /// <summary>How deep added signers (加签) may nest: someone added may add one more, and so on, this many times.</summary>
    public int MaxSignerDepth { get; init; } = DefaultMaxSignerDepth;

    public int IndexOf(string key)
    {
        for (var i = 0; i < Stages.Length; i++)
        {
            if (Stages[i].Key == key)
            {
                return i;
            }
        }

        return -1;
    }
}
