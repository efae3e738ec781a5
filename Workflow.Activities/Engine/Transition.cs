using System.Collections.Immutable;

namespace Workflow.Activities.Engine;

/// <summary>The outcome of deciding one command: either a new state with its events, or a typed rejection.</summary>
public sealed record Transition(SectionState? State, ImmutableArray<SectionEvent> Events, Rejection? Rejection)
{
    public bool Accepted => Rejection is null;

    public static Transition Reject(RejectionCode code, string message) => new(null, [], new Rejection(code, message));
}
