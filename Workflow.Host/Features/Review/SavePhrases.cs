using Microsoft.EntityFrameworkCore;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Features.Review;

/// <summary>A reviewer's own preset opinion phrases, one per line; an empty list brings back the built-in ones.</summary>
public sealed record SavePhrases(CurrentUser Actor, IReadOnlyList<string> Lines) : Command<PhrasesSaved>(Actor)
{
    public const int MaxPhrases = 20;
    public const int MaxPhraseLength = 100;

    /// <summary>The phrases as kept: trimmed, without blank lines or repeats.</summary>
    public IReadOnlyList<string> Phrases => [.. Lines.Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal)];

    public override Refusal? Validate()
    {
        var phrases = Phrases;
        if (phrases.Count > MaxPhrases || phrases.Any(p => p.Length > MaxPhraseLength))
        {
            return Refusal.Invalid("phrases", $"At most {MaxPhrases} phrases of at most {MaxPhraseLength} characters each.", "too-many-phrases") with { Arguments = [MaxPhrases, MaxPhraseLength] };
        }

        return phrases.Select(p => Refusal.UnstorableText("phrases", "A phrase", p)).FirstOrDefault(r => r is not null);
    }
}

public sealed record PhrasesSaved(int Phrases);

public sealed class SavePhrasesHandler(WorkflowDbContext db) : ICommandHandler<SavePhrases, PhrasesSaved>
{
    public async Task<CommandResult<PhrasesSaved>> HandleAsync(SavePhrases command, CancellationToken ct)
    {
        var user = await db.Users.FirstAsync(u => u.Id == command.Actor.Id, ct);
        var phrases = command.Phrases;
        user.OpinionPhrases = phrases.Count == 0 ? null : string.Join('\n', phrases);
        return CommandResult<PhrasesSaved>.Done(new PhrasesSaved(phrases.Count));
    }
}
