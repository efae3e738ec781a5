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
}

public sealed record Rejection(RejectionCode Code, string Message);
