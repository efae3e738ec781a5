namespace Workflow.Persistence.Entities;

public sealed class Report
{
    public Guid Id { get; set; }

    public required string Title { get; set; }

    /// <summary>
    /// The lead (导语) as stored before the lead became a reviewed part (a section of kind Lead); read once at start-up
    /// to create that part, then emptied.
    /// </summary>
    public string Lead { get; set; } = "";

    /// <summary>The closing as stored before it became a reviewed part; read once to create it, then emptied.</summary>
    public string Closing { get; set; } = "";

    /// <summary>落款: the issuing organ printed under the final text (e.g. 中共XX县委).</summary>
    public string? Issuer { get; set; }

    /// <summary>主送机关: the addressee printed under the title of the final text, if any.</summary>
    public string? Addressee { get; set; }

    /// <summary>When the report was signed off (签发) and locked (定稿); null while it may change (also after 复审).</summary>
    public DateTimeOffset? LockedAt { get; set; }

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
