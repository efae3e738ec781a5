using Workflow.Activities.Documents;
using Workflow.Activities.Engine;
using Workflow.Host.Features.Auth;
using Workflow.Host.Workflow;

namespace Workflow.Host.Features.Reports;

public sealed record CreateReportRequest(string? Title, string? Lead, string? Closing, string? RouteId, int? RouteVersion);

public sealed record AddSectionRequest(string? Title, string? Number, string? Content, string? Department, string? Author, Guid? ParentId, bool? IsGroup, string? Note);

public sealed record ReportSummary(Guid Id, string Title, DateTimeOffset CreatedAt, int Sections, int Approved, bool Completed);

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
    int MissingFigures);

public sealed record ReportDetail(Guid Id, string Title, string Lead, string Closing, RouteRef Route, DateTimeOffset CreatedAt, IReadOnlyList<SectionNode> Sections)
{
    /// <summary>Placeholders left for figures in the lead, the closing and the sections this reader sees.</summary>
    public int MissingFigures => Sections.Sum(s => s.MissingFigures) + PlaceholderScanner.Find(Lead).Count + PlaceholderScanner.Find(Closing).Count;
}
