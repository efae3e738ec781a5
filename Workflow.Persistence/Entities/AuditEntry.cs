namespace Workflow.Persistence.Entities;

/// <summary>
/// Append-only trail entry. Entries form a hash chain per report (Sequence 1, 2, …; each stores the
/// previous entry's hash), so an edited or deleted row is detectable. Entries not tied to a report
/// (route publishing, for instance) form their own chain under <see cref="Guid.Empty"/>.
/// </summary>
public sealed class AuditEntry
{
    public Guid Id { get; set; }

    public Guid ReportId { get; set; }

    public long Sequence { get; set; }

    public Guid? SectionId { get; set; }

    public required string ActorId { get; set; }

    public required string ActorName { get; set; }

    public required string Action { get; set; }

    /// <summary>JSON with the facts of the change (versions, hashes, opinion, stage).</summary>
    public required string Data { get; set; }

    public DateTimeOffset At { get; set; }

    public required string PreviousHash { get; set; }

    public required string Hash { get; set; }
}
