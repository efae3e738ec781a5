namespace Workflow.Persistence.Entities;

/// <summary>
/// One 签发 of a report: the final text (定稿 N) as assembled when it was signed, bound to its hash, with the signer as
/// they were on the day. A 复审 reopens it; the row stays, so every final is kept and can be compared with the next.
/// </summary>
public sealed class ReportFinal
{
    public Guid Id { get; set; }

    public Guid ReportId { get; set; }

    /// <summary>定稿 1, 2 …: one more per 签发 of the report.</summary>
    public int Number { get; set; }

    public required string SignerId { get; set; }

    public required string SignerName { get; set; }

    /// <summary>The signer's title (roles) and department name on the day.</summary>
    public string? SignerTitle { get; set; }

    public string? SignerDepartment { get; set; }

    public required string Opinion { get; set; }

    public DateTimeOffset SignedAt { get; set; }

    /// <summary>SHA-256 of <see cref="Text"/>: what the signature is bound to.</summary>
    public required string Hash { get; set; }

    /// <summary>The assembled final text (title, addressee, lead, every part, closing, issuer), as signed.</summary>
    public required string Text { get; set; }

    /// <summary>JSON: each part as signed (section, kind, number, title, version, hash), for the sheet and for 复审.</summary>
    public required string Parts { get; set; }

    public string? Issuer { get; set; }

    public string? Addressee { get; set; }

    public DateTimeOffset? ReopenedAt { get; set; }

    public string? ReopenedById { get; set; }

    public string? ReopenedByName { get; set; }

    public string? ReopenReason { get; set; }
}
