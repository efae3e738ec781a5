using Workflow.Activities.Engine;

namespace Workflow.Tests.Unit;

public sealed class DeadlinePolicyTests
{
    private static readonly DateTimeOffset Created = new(2026, 6, 1, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_three_day_task_is_reminded_a_day_before_and_escalated_at_the_due_time()
    {
        var due = Created.AddDays(3);

        Assert.Equal(DeadlineAction.None, DeadlinePolicy.Due(Created, due, null, null, Created.AddDays(2).AddMinutes(-1)));
        Assert.Equal(DeadlineAction.Remind, DeadlinePolicy.Due(Created, due, null, null, Created.AddDays(2)));
        Assert.Equal(DeadlineAction.Escalate, DeadlinePolicy.Due(Created, due, null, null, due));
    }

    [Fact]
    public void A_short_deadline_is_reminded_half_way()
    {
        var due = Created.AddHours(4);

        Assert.Equal(due.AddHours(-2), DeadlinePolicy.ReminderAt(Created, due));
        Assert.Equal(DeadlineAction.None, DeadlinePolicy.Due(Created, due, null, null, Created.AddHours(1.9)));
        Assert.Equal(DeadlineAction.Remind, DeadlinePolicy.Due(Created, due, null, null, Created.AddHours(2)));
    }

    [Fact]
    public void Each_notice_is_due_once()
    {
        var due = Created.AddDays(3);
        var reminded = Created.AddDays(2);

        Assert.Equal(DeadlineAction.None, DeadlinePolicy.Due(Created, due, reminded, null, Created.AddDays(2.5)));
        Assert.Equal(DeadlineAction.Escalate, DeadlinePolicy.Due(Created, due, reminded, null, Created.AddDays(3.5)));
        Assert.Equal(DeadlineAction.None, DeadlinePolicy.Due(Created, due, reminded, Created.AddDays(3.5), Created.AddDays(30)));
    }

    [Fact]
    public void A_task_found_overdue_is_escalated_without_a_late_due_soon_reminder()
    {
        // The host was down through the reminder window: the first scan after the due time escalates at once.
        Assert.Equal(DeadlineAction.Escalate, DeadlinePolicy.Due(Created, Created.AddDays(3), null, null, Created.AddDays(4)));
    }

    [Fact]
    public void A_task_without_a_due_time_never_calls_for_anything()
    {
        Assert.Equal(DeadlineAction.None, DeadlinePolicy.Due(Created, null, null, null, Created.AddYears(1)));
    }
}
