namespace Workflow.Activities.Engine;

/// <summary>What a pending task's deadline calls for now.</summary>
public enum DeadlineAction
{
    None,

    /// <summary>The due time is near: remind the holder (催办).</summary>
    Remind,

    /// <summary>The due time has passed: tell the holder and escalate to the next level up.</summary>
    Escalate,
}

/// <summary>
/// When reminders and escalations fall due. Pure: the deadline monitor supplies the task's times and what
/// was already sent, and the clock's now; each notice is due at most once per task.
/// </summary>
public static class DeadlinePolicy
{
    /// <summary>Reminders go out a day before the due time, or half-way for deadlines shorter than two days.</summary>
    public static readonly TimeSpan MaxReminderLead = TimeSpan.FromDays(1);

    public static TimeSpan ReminderLead(DateTimeOffset createdAt, DateTimeOffset dueAt)
    {
        var half = (dueAt - createdAt) / 2;
        return half < TimeSpan.Zero ? TimeSpan.Zero : half < MaxReminderLead ? half : MaxReminderLead;
    }

    public static DateTimeOffset ReminderAt(DateTimeOffset createdAt, DateTimeOffset dueAt) => dueAt - ReminderLead(createdAt, dueAt);

    /// <summary>
    /// The action due now. An overdue task is escalated even if its reminder never went out (the host was
    /// down through the reminder window): a "due soon" notice after the due time would only confuse.
    /// </summary>
    public static DeadlineAction Due(DateTimeOffset createdAt, DateTimeOffset? dueAt, DateTimeOffset? remindedAt, DateTimeOffset? escalatedAt, DateTimeOffset now)
    {
        if (dueAt is not { } due || escalatedAt is not null)
        {
            return DeadlineAction.None;
        }

        if (now >= due)
        {
            return DeadlineAction.Escalate;
        }

        return remindedAt is null && now >= ReminderAt(createdAt, due) ? DeadlineAction.Remind : DeadlineAction.None;
    }
}
