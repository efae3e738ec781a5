namespace Workflow.Activities.Engine;

public enum RejectionCode
{
    /// <summary>The actor holds no pending task here and never did.</summary>
    NotYourTask,
    /// <summary>The actor had a task here but the section moved on (someone decided first).</summary>
    TaskNoLongerPending,
    StaleVersion,
    OpinionRequired,
    SelfApprovalForbidden,
    WrongStage,
    SectionClosed,
    NoEligibleReviewers,
    NothingToWithdraw,
    /// <summary>The stage refuses approval while placeholders for figures (X, XX) remain in the text.</summary>
    MissingFigures,
    /// <summary>A return names a stage that is not one the section already passed.</summary>
    InvalidReturnTarget,
    /// <summary>The person a task would go to (added, transferred, delegated) may not hold it.</summary>
    NotEligible,
    /// <summary>Added signers may nest only as deep as the route allows.</summary>
    SignerDepthExceeded,
    /// <summary>A delegate advises; the decision stays with the one who delegated.</summary>
    DelegateAdvisesOnly,
    /// <summary>No such task on this section, or not one that can be removed.</summary>
    NoSuchTask,
    /// <summary>The actor's task waits for someone added before them or for a delegate's advice.</summary>
    TaskWaiting,
}

public sealed record Rejection(RejectionCode Code, string Message);
