namespace Workflow.Persistence.Entities;

/// <summary>An immutable text of a section. Hash is SHA-256 of the normalised content.</summary>
public sealed class SectionVersion
{
    public Guid Id { get; set; }

    public Guid SectionId { get; set; }

    public int Number { get; set; }

    public required string Content { get; set; }

    public required string Hash { get; set; }

    public required string AuthorId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string? Note { get; set; }
}
