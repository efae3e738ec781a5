using Workflow.Activities.Engine;
using Workflow.Activities.Routes;

namespace Workflow.Tests.Unit;

/// <summary>People of one county office, as the engine sees them: plain user ids.</summary>
internal static class People
{
    public const string Author = "author";
    public const string Head1 = "head-1";
    public const string Head2 = "head-2";
    public const string Member1 = "member-1";
    public const string Member2 = "member-2";
    public const string Member3 = "member-3";
    public const string Stranger = "stranger";

    public static readonly string[] Heads = [Head1, Head2];
    public static readonly string[] Members = [Member1, Member2, Member3];
    public static readonly string[] Everyone = [Author, Head1, Head2, Member1, Member2, Member3, Stranger];

    public static Participants Office(string author = Author) => Participants.For(author, Heads, Members);
}

internal static class TestRoutes
{
    /// <summary>
    /// The county-report shape (draft, department, committee) with both review quorums chosen by the test.
    /// Quorums are JSON fragments as an administrator writes them: "\"any\"", "\"all\"", "{ \"atLeast\": 2 }".
    /// </summary>
    public static RouteDefinition ThreeStage(string departmentQuorum = "\"any\"", string committeeQuorum = "\"any\"") =>
        Parse($$"""
            {
              "definitionId": "test-route",
              "version": 1,
              "stages": [
                { "key": "draft", "kind": "draft" },
                { "key": "department", "kind": "review", "assignee": { "type": "departmentHead" },
                  "quorum": {{departmentQuorum}}, "deadline": "P3D" },
                { "key": "committee", "kind": "review", "assignee": { "type": "role", "role": "committee-member" },
                  "quorum": {{committeeQuorum}}, "deadline": "P5D" }
              ]
            }
            """);

    public static RouteDefinition Parse(string json)
    {
        var result = RouteDefinitionParser.Parse(json);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Route!;
    }
}

/// <summary>
/// Drives one section through the engine the way the host does: it keeps the current state, feeds commands
/// with a controlled clock, and keeps only accepted outcomes.
/// </summary>
internal sealed class SectionScenario
{
    public static readonly DateTimeOffset T0 = new(2020, 7, 1, 9, 0, 0, TimeSpan.FromHours(8));
    public const string FirstHash = "hash-v1";

    private SectionScenario(RouteDefinition route, Participants participants, SectionState state)
    {
        Route = route;
        Participants = participants;
        State = state;
    }

    public RouteDefinition Route { get; }

    public Participants Participants { get; set; }

    public SectionState State { get; private set; }

    public DateTimeOffset Now { get; private set; } = T0;

    public List<SectionEvent> Events { get; } = [];

    public int Version => State.Version.Number;

    public string Hash => State.Version.Hash;

    public IEnumerable<string> PendingAssignees => State.PendingTasks.Select(t => t.AssigneeId).Order();

    public static SectionScenario Start(RouteDefinition? route = null, Participants? participants = null)
    {
        route ??= DefaultRoutes.CountyReport();
        participants ??= People.Office();
        var start = SectionMachine.Start(route, participants, participants.AuthorId, FirstHash, T0);
        Assert.True(start.Accepted);
        var scenario = new SectionScenario(route, participants, start.State!);
        scenario.Events.AddRange(start.Events);
        return scenario;
    }

    public SectionScenario Advance(TimeSpan by)
    {
        Now += by;
        return this;
    }

    public Transition Try(SectionCommand command) => SectionMachine.Decide(Route, State, Participants, command, Now);

    public IReadOnlyList<SectionEvent> Do(SectionCommand command)
    {
        var t = Try(command);
        Assert.True(t.Accepted, $"{command.ActorId} {command.Name} was rejected: {t.Rejection?.Code} {t.Rejection?.Message}");
        State = t.State!;
        Events.AddRange(t.Events);
        return t.Events;
    }

    public RejectionCode Reject(SectionCommand command)
    {
        var t = Try(command);
        Assert.False(t.Accepted, $"{command.ActorId} {command.Name} was unexpectedly accepted.");
        Assert.Null(t.State);
        Assert.Empty(t.Events);
        return t.Rejection!.Code;
    }

    public IReadOnlyList<SectionEvent> Edit(string actor, string newHash) => Do(new EditCommand(actor, Version, newHash, null));

    public IReadOnlyList<SectionEvent> Submit(string actor = People.Author) => Do(new SubmitCommand(actor, Version, null));

    public IReadOnlyList<SectionEvent> Approve(string actor, string? opinion = null) => Do(new ApproveCommand(actor, Version, opinion));

    public IReadOnlyList<SectionEvent> Return(string actor, string opinion) => Do(new ReturnCommand(actor, Version, opinion));

    public IReadOnlyList<SectionEvent> Withdraw(string actor) => Do(new WithdrawCommand(actor, Version, null));

    /// <summary>The author submits and one head approves: the section waits on the committee.</summary>
    public SectionScenario AtCommittee()
    {
        Submit(Participants.AuthorId);
        Approve(People.Head1);
        Assert.Equal("committee", Route.Stages[State.StageIndex].Key);
        return this;
    }
}
