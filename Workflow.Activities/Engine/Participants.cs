using System.Collections.Immutable;

namespace Workflow.Activities.Engine;

/// <summary>
/// Who may hold each stage of the section's route, resolved by the host from the directory before a
/// command is decided. Index 0 is the draft stage (the author). Candidates are only read when a stage is
/// entered, so later changes in the directory do not rewrite tasks already handed out.
/// </summary>
public sealed record Participants(ImmutableArray<ImmutableArray<string>> StageCandidates)
{
    public string AuthorId => StageCandidates[0][0];

    public static Participants For(string authorId, params IEnumerable<string>[] reviewStages) =>
        new([[authorId], .. reviewStages.Select(s => s.Distinct().ToImmutableArray())]);
}
