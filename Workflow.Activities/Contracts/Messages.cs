namespace Workflow.Activities.Contracts;

// Messages published on the bus. Their names are part of the wire format (MassTransit names them
// urn:message:Workflow.Activities.Contracts:<Name>), so they are not renamed once published.

public sealed record SectionSubmitted(Guid ReportId, Guid SectionId, string Stage, string ActorId, int Version, string VersionHash, DateTimeOffset At);

public sealed record SectionApproved(Guid ReportId, Guid SectionId, string Stage, string ActorId, int Version, string VersionHash, string? Opinion, DateTimeOffset At);

public sealed record SectionReturned(Guid ReportId, Guid SectionId, string Stage, string ActorId, int Version, string VersionHash, string Opinion, DateTimeOffset At);

public sealed record TaskAssigned(Guid ReportId, Guid SectionId, string Stage, string ActorId, string AssigneeId, string VersionHash, DateTimeOffset? DueAt, DateTimeOffset At);

public sealed record SectionFinalized(Guid ReportId, Guid SectionId, string Stage, string ActorId, int Version, string VersionHash, DateTimeOffset At);

public sealed record ReportCompleted(Guid ReportId, string ActorId, DateTimeOffset At);
