using System.Text.Json;
using Workflow.Activities.Engine;
using Workflow.Persistence;
using Workflow.Persistence.Entities;
using C = Workflow.Activities.Contracts;

namespace Workflow.Host.Workflow;

/// <summary>
/// Turns the domain events of an accepted command into bus messages and adds them to the outbox in the
/// caller's transaction; the dispatcher publishes them after the commit. Events nobody outside needs
/// (a task closed, an approval dismissed) stay in the audit trail only.
/// </summary>
public static class OutboxWriter
{
    public static readonly IReadOnlyDictionary<string, Type> Contracts = new[]
    {
        typeof(C.SectionSubmitted), typeof(C.SectionApproved), typeof(C.SectionReturned), typeof(C.TaskAssigned), typeof(C.SectionFinalized), typeof(C.ReportCompleted),
        typeof(C.TaskReminded), typeof(C.TaskOverdue),
    }.ToDictionary(t => t.Name);

    public static void Add(WorkflowDbContext db, Guid reportId, Guid sectionId, IEnumerable<SectionEvent> events, VersionRef version)
    {
        foreach (var e in events)
        {
            object? message = e switch
            {
                SectionSubmitted s => new C.SectionSubmitted(reportId, sectionId, "draft", s.ActorId, s.Version, s.Hash, s.At),
                SectionApproved a => new C.SectionApproved(reportId, sectionId, a.Stage, a.ActorId, a.Version, a.Hash, a.Opinion, a.At),
                SectionReturned r => new C.SectionReturned(reportId, sectionId, r.Stage, r.ActorId, r.Version, r.Hash, r.Opinion, r.At),
                TaskAssigned t => new C.TaskAssigned(reportId, sectionId, t.Stage, t.ActorId, t.AssigneeId, version.Hash, t.DueAt, t.At),
                SectionFinalized f => new C.SectionFinalized(reportId, sectionId, "final", f.ActorId, f.Version, f.Hash, f.At),
                _ => null,
            };
            if (message is not null)
            {
                Add(db, message, reportId, sectionId, e.At);
            }
        }
    }

    public static void Add(WorkflowDbContext db, object message, Guid? reportId, Guid? sectionId, DateTimeOffset at) =>
        db.Outbox.Add(new OutboxMessage
        {
            Id = Guid.NewGuid(),
            MessageType = message.GetType().Name,
            Payload = JsonSerializer.Serialize(message, message.GetType(), JsonDefaults.Storage),
            ReportId = reportId,
            SectionId = sectionId,
            CreatedAt = at,
        });
}
