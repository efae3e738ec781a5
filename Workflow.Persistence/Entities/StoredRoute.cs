namespace Workflow.Persistence.Entities;

/// <summary>A published route definition version; never updated once written.</summary>
public sealed class StoredRoute
{
    public required string DefinitionId { get; set; }

    public int Version { get; set; }

    public required string Name { get; set; }

    public required string Json { get; set; }

    public DateTimeOffset PublishedAt { get; set; }

    public string? PublishedById { get; set; }
}
