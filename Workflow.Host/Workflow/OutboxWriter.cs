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
        typeof(C.TaskReminded), typeof(C.TaskOverdue), typeof(C.SectionOperated), typeof(C.ReportSignedOff), typeof(C.ReportReopened),
    }.ToDictionary(t => t.Name);

    public static void Add(WorkflowDbContext db, Guid reportId, Guid sectionId, IEnumerable<SectionEvent> events, VersionRef version)
    {
        foreach (var e in events)
        {
            object? message = e switch
            {
                SectionSubmitted s => new C.SectionSubmitted(reportId, sectionId, "draft", s.ActorId, s.Version, s.Hash, s.At),
                SectionApproved a => new C.SectionApproved(reportId, sectionId, a.Stage, a.ActorId, a.Version, a.Hash, a.Opinion, a.At, a.OnBehalfOf, a.Branch),
                SectionReturned r => new C.SectionReturned(reportId, sectionId, r.Stage, r.ActorId, r.Version, r.Hash, r.Opinion, r.At, r.ToStage, r.OnBehalfOf),
                TaskAssigned t => new C.TaskAssigned(reportId, sectionId, t.Stage, t.ActorId, t.AssigneeId, version.Hash, t.DueAt, t.At, t.Kind.ToString()),
                SectionFinalized f => new C.SectionFinalized(reportId, sectionId, "final", f.ActorId, f.Version, f.Hash, f.At),
                SectionWithdrawn w => Operated("withdraw", w.FromStage, null, w.ToStage, null, w.Opinion),
                SectionReclaimed r => Operated("reclaim", r.FromStage, null, r.ToStage, null, r.Opinion),
                SectionCancelled c => Operated("cancel", c.Stage, null, "draft", null, c.Reason),
                SectionReopened r => Operated("reopen", "final", null, r.ToStage, null, r.Reason),
                TaskTransferred t => Operated("transfer", t.Stage, t.ToId, null, null, t.Opinion),
                TaskDelegated d => Operated("delegate", d.Stage, d.ToId, null, null, d.Note),
                SectionAdvised a => Operated("advise", a.Stage, a.ForId, null, null, a.Opinion),
                SignerAdded a => Operated("add-signer", a.Stage, a.SignerId, null, a.Position.ToString().ToLowerInvariant(), a.Note),
                SignerRemoved r => Operated("remove-signer", r.Stage, r.SignerId, null, null, null),
                BranchRefused b => Operated("refuse", b.Stage, b.Branch, null, null, b.Opinion),
                StageSkipped k => Operated("skip", k.Stage, null, null, null, string.Join(",", k.Branches)),
                _ => null,
            };

            C.SectionOperated Operated(string operation, string stage, string? target, string? toStage, string? position, string? text) =>
                new(reportId, sectionId, operation, stage, e.ActorId, target, toStage, position, text, e.At);

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
