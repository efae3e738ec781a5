using Workflow.Activities.Documents;
using Workflow.Activities.Engine;
using Workflow.Host.Features.Import;
using Workflow.Host.Features.Reports;
using Workflow.Host.Workflow;

namespace Workflow.Host.Features.Sections;

public sealed record EditContentRequest(string? Content, int? BaseVersion, string? Note);

public sealed record EditContentResponse(int Version, string Hash);

public sealed record AssignmentRequest(string? Department, string? Author);

public sealed record SectionDetail(Guid ReportId, SectionNode Section, string Content, int Cycle, IReadOnlyList<PlaceholderDto> MissingFigures);

public sealed record VersionSummary(int Number, string Hash, UserRef? Author, DateTimeOffset CreatedAt, string? Note, int Length);

public sealed record VersionDetail(int Number, string Hash, UserRef? Author, DateTimeOffset CreatedAt, string? Note, string Content);

public sealed record DiffResponse(int From, int To, IReadOnlyList<DiffRun> Runs, int Inserted, int Deleted, int Unchanged);

/// <summary>A decision on the sheet; the actor's display name, roles and department are as they were when they decided.</summary>
/// <summary>
/// One decision on the sheet. Branch is the countersign branch (a department code or a person), Kind the kind of task
/// decided (Regular, AddedBefore/AddedAfter/AddedParallel for 加签, Delegated for advice, Fallback), Visit the stage visit.
/// </summary>
public sealed record SignOffDto(string Stage, string StageName, int Cycle, Decision Decision, string? Opinion, int Version, string Hash, UserRef? Actor, string? ActorRoles, string? ActorDepartment, UserRef? OnBehalfOf, DateTimeOffset At, bool Dismissed, string Branch = "", TaskKind Kind = TaskKind.Regular, int Visit = 0);
