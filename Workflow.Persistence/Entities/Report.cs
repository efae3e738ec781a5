namespace Workflow.Persistence.Entities;

public sealed class Report
{
    public Guid Id { get; set; }

    public required string Title { get; set; }

    /// <summary>导语: the text before the first numbered part.</summary>
    public string Lead { get; set; } = "";

    /// <summary>Unnumbered text after the last section.</summary>
    public string Closing { get; set; } = "";

    public required string RouteDefinitionId { get; set; }

    public int RouteVersion { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedById { get; set; }

    /// <summary>Sequence of the newest audit entry of this report; lets verification notice a cut-off tail.</summary>
    public long AuditSequence { get; set; }

    /// <summary>Hash of the newest audit entry (null while the trail is empty).</summary>
    public string? AuditHead { get; set; }

    /// <summary>When an administrator archived the report: hidden from lists, kept read-only with its trail.</summary>
    public DateTimeOffset? ArchivedAt { get; set; }
}
