using System.Text.Json;
using Workflow.Activities.Engine;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Workflow;

/// <summary>Adds domain events to the outbox in the caller's transaction; the dispatcher publishes them later.</summary>
public static class OutboxWriter
{
    public static void Add(WorkflowDbContext db, Guid reportId, Guid sectionId, IEnumerable<SectionEvent> events)
    {
        foreach (var e in events)
        {
            db.Outbox.Add(new OutboxMessage
            {
                Id = Guid.NewGuid(),
                MessageType = e.GetType().Name,
                Payload = JsonSerializer.Serialize(new { reportId, sectionId, @event = (object)e }, JsonDefaults.Storage),
                ReportId = reportId,
                SectionId = sectionId,
                CreatedAt = e.At,
            });
        }
    }
}
