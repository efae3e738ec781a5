using System.Collections.Immutable;

namespace Workflow.Activities.Engine;

/// <summary>
/// One branch of a stage: a department (any of its heads decides for it) or one person. Key identifies it across
/// visits; Name is what people read (a department's name, a person's).
/// </summary>
public sealed record Branch(string Key, string Name, ImmutableArray<string> Candidates)
{
    public static Branch Person(string id) => new(id, id, [id]);
}

/// <summary>
/// Who may hold each stage of the section's route, resolved by the host from the directory before a command is
/// decided. Index 0 is the draft stage (the author). Branches are only read when a stage (or, in a sequential stage,
/// a branch) is entered, so later changes in the directory do not rewrite tasks already handed out.
/// </summary>
public sealed record Participants(ImmutableArray<ImmutableArray<Branch>> Stages)
{
    /// <summary>The report's clerk, who receives a stage nobody can hold when the route says so.</summary>
    public string? ClerkId { get; init; }

    /// <summary>Per stage, the deputy named by its whenSubmitter rule, when that person exists and is active.</summary>
    public ImmutableDictionary<int, string> Deputies { get; init; } = ImmutableDictionary<int, string>.Empty;

    /// <summary>Proxies (委托) in force now for this section's route: whose tasks each proxy may decide.</summary>
    public ImmutableDictionary<string, ImmutableArray<string>> ProxiesOf { get; init; } = ImmutableDictionary<string, ImmutableArray<string>>.Empty;

    public string AuthorId => Stages[0][0].Candidates[0];

    /// <summary>Everyone who may hold a stage, whatever their branch.</summary>
    public ImmutableArray<string> CandidatesAt(int stage) =>
        stage < Stages.Length ? [.. Stages[stage].SelectMany(b => b.Candidates).Distinct(StringComparer.Ordinal)] : [];

    public bool IsProxyFor(string proxy, string principal) =>
        ProxiesOf.TryGetValue(principal, out var proxies) && proxies.Contains(proxy, StringComparer.Ordinal);

    /// <summary>Every stage after the draft has one branch per person listed (the shape of review stages).</summary>
    public static Participants For(string authorId, params IEnumerable<string>[] reviewStages) =>
        new([[Branch.Person(authorId)], .. reviewStages.Select(s => s.Distinct().Select(Branch.Person).ToImmutableArray())]);
}
