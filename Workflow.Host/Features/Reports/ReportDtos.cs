using Workflow.Activities.Documents;
using Workflow.Activities.Engine;
using Workflow.Host.Features.Auth;
using Workflow.Host.Workflow;

namespace Workflow.Host.Features.Reports;

public sealed record CreateReportRequest(string? Title, string? Lead, string? Closing, string? RouteId, int? RouteVersion);

public sealed record AddSectionRequest(string? Title, string? Number, string? Content, string? Department, string? Author, Guid? ParentId, bool? IsGroup, string? Note);

/// <summary>A report in a list: Sections and Approved count every reviewable part (title, lead and closing included).</summary>
public sealed record ReportSummary(Guid Id, string Title, DateTimeOffset CreatedAt, int Sections, int Approved, bool Completed, ReportState State, int? FinalNumber);

public sealed record RouteRef(string Id, int Version);

public sealed record PendingHolder(string Id, string UserName, string DisplayName, DateTimeOffset? DueAt);

public sealed record SectionNode(
    Guid Id,
    Guid? ParentId,
    int Ordinal,
    string Number,
    string Title,
    bool IsGroup,
    DepartmentDto? Department,
    UserRef? Author,
    string? Stage,
    string? StageName,
    SectionStatus? Status,
    int? Version,
    string? Hash,
    IReadOnlyList<PendingHolder> PendingWith,
    int MissingFigures,
    SectionKind Kind = SectionKind.Body);

/// <summary>The current final (定稿 N) of a locked report: what was signed, by whom, when.</summary>
public sealed record FinalRef(int Number, string Hash, DateTimeOffset SignedAt, string Signer, string? SignerTitle, string Opinion);

/// <summary>
/// A report with its parts in order (title, lead, sections, closing, each with its kind); Title, Lead and Closing are the
/// current texts of those parts as this reader may see them.
/// </summary>
public sealed record ReportDetail(Guid Id, string Title, string Lead, string Closing, RouteRef Route, DateTimeOffset CreatedAt, IReadOnlyList<SectionNode> Sections)
{
    public ReportState State { get; init; }

    public string? Issuer { get; init; }

    public string? Addressee { get; init; }

    public FinalRef? Final { get; init; }

    /// <summary>How many 签发 the report has had (定稿 1 … N), reopened ones included.</summary>
    public int Finals { get; init; }

    /// <summary>Placeholders left for figures in every part this reader sees (title, lead and closing included).</summary>
    public int MissingFigures => Sections.Sum(s => s.MissingFigures);
}
