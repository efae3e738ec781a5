using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Workflow.Activities.Engine;
using Workflow.Activities.Routes;

namespace Workflow.Tests.Unit;

/// <summary>
/// Random walks over routes of random shape: one to six review stages of every kind (review, countersign, sequential)
/// with random quorums (any, all, at least N, a percentage) and stage options (whenNobody, whenSubmitter, onBranchReturn,
/// blockOnPlaceholders, deadline), route options (resubmitTo, maxSignerDepth), and random staffing (people on several
/// branches and stages, branches with nobody, a clerk, deputies, proxies), driven by random commands of every kind by
/// plausible and random actors. After every step the engine's invariants are checked against the state, independently
/// of the engine's own bookkeeping where possible.
/// </summary>
public sealed class StageGraphPropertyTests(ITestOutputHelper output)
{
    private const int Walks = 500;
    private const int MaxSteps = 40;

    // ---- people ----

    private const string Author = "author";
    private const string Clerk = "clerk";
    private const string Admin = "admin";
    private const string Stranger = "stranger";
    private const string ProxyOnly = "proxy";

    /// <summary>People who may hold branches; the author too, so separation of duties has work to do.</summary>
    private static readonly string[] Pool = [Author, "p1", "p2", "p3", "p4", "p5", "p6"];

    /// <summary>Named users with no account: their branch has nobody to hold it.</summary>
    private static readonly string[] Ghosts = ["ghost1", "ghost2"];

    private static readonly string[] Named = [.. Pool, .. Ghosts];

    private static readonly string[] Everyone = [.. Pool, Clerk, "deputy", ProxyOnly, Admin, Stranger, "ghost1"];

    private static readonly string[] Hashes = ["h0", "h1", "h2", "h3"];
    private static readonly string?[] Opinions = [null, " \u3000 ", "请核实数据。", "同意。"];
    private static readonly int[] Percents = [1, 25, 34, 50, 60, 67, 75, 100];

    // ---- the shape of a route and its staffing ----

    private enum GroupKind
    {
        /// <summary>A role or the section's department heads: a branch per holder.</summary>
        Holders,
        /// <summary>Named users: a branch per name, empty for a ghost.</summary>
        Users,
        /// <summary>Named departments: a branch per department, held by any of its heads.</summary>
        Departments,
    }

    private sealed record GroupSpec(GroupKind Kind, bool AsDepartmentHead, ImmutableArray<(string Key, ImmutableArray<string> People)> Branches);

    private sealed record StageSpec(
        ActivityKind Kind,
        ImmutableArray<GroupSpec> Groups,
        Quorum? Quorum,
        WhenNobody? WhenNobody,
        int WhenSubmitter,
        string Deputy,
        bool DeputyExists,
        bool Block,
        bool Deadline,
        BranchReturn? OnBranchReturn);

    private sealed record RouteSpec(
        ImmutableArray<StageSpec> Stages,
        ResubmitTo? ResubmitTo,
        int? MaxSignerDepth,
        string? ClerkId,
        ImmutableArray<(string Principal, string Proxy)> Proxies,
        bool StartsWithPlaceholders);

    private enum Verb
    {
        Edit,
        Submit,
        Approve,
        Return,
        Withdraw,
        Reclaim,
        Cancel,
        AddSigner,
        RemoveSigner,
        Transfer,
        Delegate,
        Advise,
        Reassign,
        Refresh,
        /// <summary>Not a command: the directory changes (someone joins or leaves a branch, a proxy comes or goes).</summary>
        Directory,
    }

    private sealed record Op(bool Plausible, Verb Verb, int A, int B, int VersionOffset, int Opinion, int Hash, bool Placeholders, int Position, int ToStage, int ResubmitTo, bool Proxy, bool Privileged);

    private sealed record Walk(RouteSpec Route, ImmutableArray<Op> Ops)
    {
        public override string ToString() => $"{Render(Route)}\n  {Staffing(Route)}\n  {Ops.Length} ops";
    }

    // ---- generators ----

    private static Gen<ImmutableArray<string>> Some(string[] people, int min, int max) =>
        from n in Gen.Choose(min, max)
        from shuffled in Gen.Shuffle(people)
        select shuffled.Take(n).ToImmutableArray();

    private static Gen<GroupSpec> HoldersGen =>
        from dept in Gen.Elements(true, false)
        from people in Some(Pool, 0, 4)
        select new GroupSpec(GroupKind.Holders, dept, [.. people.Select(p => (p, ImmutableArray.Create(p)))]);

    private static Gen<GroupSpec> UsersGen(int min, int max) =>
        from names in Some(Named, min, max)
        select new GroupSpec(GroupKind.Users, false, [.. names.Select(n => (n, Ghosts.Contains(n) ? ImmutableArray<string>.Empty : [n]))]);

    private static Gen<GroupSpec> DepartmentsGen(int stage, int group) =>
        from n in Gen.Choose(1, 3)
        from heads in Some(Pool, 0, 3).ArrayOf(n)
        select new GroupSpec(GroupKind.Departments, false, [.. heads.Select((h, i) => ($"d{stage}{group}{i}", h))]);

    private static Gen<Quorum?> QuorumGen =>
        Gen.Frequency(
            (1, Gen.Constant<Quorum?>(null)),
            (3, Gen.Constant<Quorum?>(Quorum.Any)),
            (3, Gen.Constant<Quorum?>(Quorum.Everyone)),
            (2, Gen.Choose(1, 3).Select(n => (Quorum?)new Quorum(QuorumKind.AtLeast, n))),
            (3, Gen.Elements(Percents).Select(p => (Quorum?)new Quorum(QuorumKind.Percent, p))));

    private static Gen<StageSpec> StageGen(int index) =>
        from kind in Gen.Frequency((3, Gen.Constant(ActivityKind.Review)), (4, Gen.Constant(ActivityKind.Countersign)), (2, Gen.Constant(ActivityKind.Sequential)))
        from groupCount in Gen.Choose(1, 3)
        from groups in kind switch
        {
            ActivityKind.Review => Gen.Frequency((3, HoldersGen), (1, UsersGen(1, 3))).ArrayOf(1),
            ActivityKind.Sequential => UsersGen(1, 4).ArrayOf(1),
            _ => Gen.CollectToArray(Enumerable.Range(0, groupCount).Select(g => Gen.Frequency((3, DepartmentsGen(index, g)), (2, UsersGen(1, 3)), (1, HoldersGen)))),
        }
        from quorum in kind == ActivityKind.Sequential ? Gen.Elements<Quorum?>(null, Quorum.Everyone) : QuorumGen
        from clerk in Gen.Elements<WhenNobody?>(null, WhenNobody.Refuse, WhenNobody.Clerk, WhenNobody.Clerk)
        from whenSubmitter in Gen.Choose(0, 3)
        from deputy in Gen.Elements("deputy", "p1", "p2", "p3", "p4", "p5", "p6")
        from deputyExists in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from block in Gen.Frequency((1, Gen.Constant(true)), (3, Gen.Constant(false)))
        from deadline in Gen.Elements(true, false)
        from onReturn in Gen.Elements<BranchReturn?>(null, BranchReturn.ReturnSection, BranchReturn.CountAsRefusal, BranchReturn.CountAsRefusal)
        select new StageSpec(kind, [.. groups], Reachable(kind, [.. groups], quorum), clerk, whenSubmitter, deputy, deputyExists, block, deadline,
            kind == ActivityKind.Countersign ? onReturn : null);

    /// <summary>The parser refuses "at least N" beyond the named branches a route has; such a stage asks for all of them instead.</summary>
    private static Quorum? Reachable(ActivityKind kind, ImmutableArray<GroupSpec> groups, Quorum? quorum)
    {
        if (quorum is not { Kind: QuorumKind.AtLeast } q)
        {
            return quorum;
        }

        var named = kind == ActivityKind.Countersign && groups.All(g => g.Kind != GroupKind.Holders)
            || kind == ActivityKind.Review && groups[0].Kind == GroupKind.Users;
        return named ? new Quorum(QuorumKind.AtLeast, Math.Min(q.Value, groups.Sum(g => g.Branches.Length))) : q;
    }

    private static readonly Gen<RouteSpec> RouteGen =
        from n in Gen.Choose(1, 6)
        from stages in Gen.CollectToArray(Enumerable.Range(1, n).Select(StageGen))
        from resubmit in Gen.Elements<ResubmitTo?>(null, ResubmitTo.Rerun, ResubmitTo.Returner, ResubmitTo.Returner)
        from depth in Gen.Elements<int?>(null, 0, 1, 2, 3)
        from clerk in Gen.Elements<string?>(null, Clerk, Clerk, "p1", "p5")
        from proxyCount in Gen.Choose(0, 3)
        from principals in Gen.Elements([.. Pool, Clerk, "deputy"]).ArrayOf(proxyCount)
        from proxies in Gen.Elements([.. Pool, ProxyOnly, ProxyOnly]).ArrayOf(proxyCount)
        from placeholders in Gen.Frequency((1, Gen.Constant(true)), (4, Gen.Constant(false)))
        select new RouteSpec([.. stages], resubmit, depth, clerk, [.. principals.Zip(proxies).Where(x => x.First != x.Second)], placeholders);

    private static readonly Gen<Op> OpGen =
        from plausible in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
        from verb in Gen.Frequency(
            (3, Gen.Constant(Verb.Edit)),
            (4, Gen.Constant(Verb.Submit)),
            (9, Gen.Constant(Verb.Approve)),
            (3, Gen.Constant(Verb.Return)),
            (2, Gen.Constant(Verb.Withdraw)),
            (2, Gen.Constant(Verb.Reclaim)),
            (1, Gen.Constant(Verb.Cancel)),
            (3, Gen.Constant(Verb.AddSigner)),
            (2, Gen.Constant(Verb.RemoveSigner)),
            (2, Gen.Constant(Verb.Transfer)),
            (2, Gen.Constant(Verb.Delegate)),
            (3, Gen.Constant(Verb.Advise)),
            (1, Gen.Constant(Verb.Reassign)),
            (1, Gen.Constant(Verb.Refresh)),
            (2, Gen.Constant(Verb.Directory)))
        from a in Gen.Choose(0, 1000)
        from b in Gen.Choose(0, 1000)
        from versionOffset in Gen.Frequency((12, Gen.Constant(0)), (1, Gen.Constant(-1)), (1, Gen.Constant(1)))
        from opinion in Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Constant(1)), (4, Gen.Choose(2, 3)))
        from hash in Gen.Choose(0, Hashes.Length - 1)
        from placeholders in Gen.Frequency((1, Gen.Constant(true)), (3, Gen.Constant(false)))
        from position in Gen.Choose(0, 2)
        from toStage in Gen.Frequency((3, Gen.Constant(-1)), (2, Gen.Choose(0, 6)))
        from resubmit in Gen.Choose(0, 2)
        from proxy in Gen.Frequency((1, Gen.Constant(true)), (3, Gen.Constant(false)))
        from privileged in Gen.Elements(true, false)
        select new Op(plausible, verb, a, b, versionOffset, opinion, hash, placeholders, position, toStage, resubmit, proxy, privileged);

    private static readonly Gen<Walk> WalkGen =
        from route in RouteGen
        from steps in Gen.Frequency((1, Gen.Choose(1, 15)), (4, Gen.Choose(25, MaxSteps)))
        from ops in OpGen.ArrayOf(steps)
        select new Walk(route, [.. ops]);

    private static IEnumerable<Walk> Shrink(Walk walk)
    {
        if (walk.Ops.Length > 1)
        {
            yield return walk with { Ops = walk.Ops[..(walk.Ops.Length / 2)] };
        }

        for (var i = walk.Ops.Length - 1; i >= 0; i--)
        {
            yield return walk with { Ops = walk.Ops.RemoveAt(i) };
        }
    }

    // ---- the test ----

    /// <summary>
    /// The figures of the run (routes, commands decided, accepted and refused by kind, refusal codes, stages passed) go
    /// to the test output: run with -showLiveOutput (or -diagnostics) to see them.
    /// </summary>
    [Fact]
    public void Random_routes_staffing_and_commands_keep_the_engine_invariants()
    {
        var stats = new Stats();
        var property = Prop.ForAll(Arb.From(WalkGen, Shrink), walk => Play(walk, stats));

        Check.One(Configured(), property);

        var report = stats.Report();
        output.WriteLine(report);
        TestContext.Current.SendDiagnosticMessage(report);
    }

    /// <summary>
    /// Random seeds, unless STAGE_GRAPH_REPLAY replays a failure as it printed it: "seed,gamma" replays the whole run,
    /// "seed,gamma,size" (the failing step) only the walk that failed.
    /// </summary>
    private static Config Configured()
    {
        var config = Config.QuickThrowOnFailure.WithMaxTest(Walks);
        var replay = Environment.GetEnvironmentVariable("STAGE_GRAPH_REPLAY");
        if (string.IsNullOrWhiteSpace(replay))
        {
            return config;
        }

        var parts = replay.Trim().Trim('(', ')').Split(',', StringSplitOptions.TrimEntries);
        var rnd = new Rnd(ulong.Parse(parts[0], CultureInfo.InvariantCulture), ulong.Parse(parts[1], CultureInfo.InvariantCulture));
        return parts.Length > 2
            ? config.WithMaxTest(1).WithReplay(new Replay(rnd, FSharpOption<int>.Some(int.Parse(parts[2], CultureInfo.InvariantCulture))))
            : config.WithReplay(new Replay(rnd, FSharpOption<int>.None));
    }

    private static RouteDefinition BuildRoute(RouteSpec spec)
    {
        var result = RouteDefinitionParser.Parse(Render(spec));
        Assert.True(result.IsValid, string.Join("\n", result.Errors) + "\n" + Render(spec));
        return result.Route!;
    }

    /// <summary>The route as an administrator writes it, so every shape also passes the parser's checks.</summary>
    private static string Render(RouteSpec spec)
    {
        static string Names(IEnumerable<string> names) => "[" + string.Join(", ", names.Select(n => $"\"{n}\"")) + "]";
        static string Group(GroupSpec g, int stage, int index) => g.Kind switch
        {
            GroupKind.Holders => g.AsDepartmentHead ? "{ \"type\": \"departmentHead\" }" : $"{{ \"type\": \"role\", \"role\": \"role-{stage}-{index}\" }}",
            GroupKind.Users => $"{{ \"type\": \"users\", \"users\": {Names(g.Branches.Select(b => b.Key))} }}",
            _ => $"{{ \"type\": \"departmentHeads\", \"departments\": {Names(g.Branches.Select(b => b.Key))} }}",
        };
        static string QuorumJson(Quorum q) => q.Kind switch
        {
            QuorumKind.All => "\"all\"",
            QuorumKind.AtLeast when q.Value == 1 => "\"any\"",
            QuorumKind.AtLeast => $"{{ \"atLeast\": {q.Value} }}",
            _ => $"{{ \"percent\": {q.Value} }}",
        };

        var sb = new StringBuilder();
        sb.Append("{ \"definitionId\": \"random-route\", \"version\": 1, \"stages\": [ { \"key\": \"draft\", \"kind\": \"draft\" }");
        for (var i = 0; i < spec.Stages.Length; i++)
        {
            var s = spec.Stages[i];
            var n = i + 1;
            var fields = new List<string> { $"\"key\": \"s{n}\"" };
            switch (s.Kind)
            {
                case ActivityKind.Review:
                    fields.Add("\"kind\": \"review\"");
                    fields.Add($"\"assignee\": {Group(s.Groups[0], n, 0)}");
                    break;
                case ActivityKind.Sequential:
                    fields.Add("\"kind\": \"sequential\"");
                    fields.Add($"\"users\": {Names(s.Groups[0].Branches.Select(b => b.Key))}");
                    break;
                default:
                    fields.Add("\"kind\": \"countersign\"");
                    fields.Add($"\"branches\": [{string.Join(", ", s.Groups.Select((g, k) => Group(g, n, k)))}]");
                    break;
            }

            if (s.Quorum is { } q)
            {
                fields.Add($"\"quorum\": {QuorumJson(q)}");
            }

            if (s.WhenNobody is { } w)
            {
                fields.Add($"\"whenNobody\": \"{(w == WhenNobody.Clerk ? "clerk" : "refuse")}\"");
            }

            switch (s.WhenSubmitter)
            {
                case 1: fields.Add("\"whenSubmitter\": \"exclude\""); break;
                case 2: fields.Add("\"whenSubmitter\": \"skip\""); break;
                case 3: fields.Add($"\"whenSubmitter\": {{ \"deputy\": \"{s.Deputy}\" }}"); break;
            }

            if (s.Block)
            {
                fields.Add("\"blockOnPlaceholders\": true");
            }

            if (s.Deadline)
            {
                fields.Add("\"deadline\": \"P1D\"");
            }

            if (s.OnBranchReturn is { } r)
            {
                fields.Add($"\"onBranchReturn\": \"{(r == BranchReturn.CountAsRefusal ? "countAsRefusal" : "returnSection")}\"");
            }

            sb.Append(", { ").Append(string.Join(", ", fields)).Append(" }");
        }

        sb.Append(" ]");
        if (spec.ResubmitTo is { } to)
        {
            sb.Append($", \"resubmitTo\": \"{(to == ResubmitTo.Returner ? "returner" : "rerun")}\"");
        }

        if (spec.MaxSignerDepth is { } depth)
        {
            sb.Append(CultureInfo.InvariantCulture, $", \"maxSignerDepth\": {depth}");
        }

        sb.Append(" }");
        return sb.ToString();
    }

    private static string Staffing(RouteSpec spec) =>
        $"clerk {spec.ClerkId ?? "none"}; deputies {string.Join(", ", spec.Stages.Select((s, i) => (s, i)).Where(x => x.s.WhenSubmitter == 3).Select(x => $"s{x.i + 1}: {x.s.Deputy}{(x.s.DeputyExists ? "" : " (missing)")}"))}; "
        + $"proxies {string.Join(", ", spec.Proxies.Select(p => $"{p.Proxy} for {p.Principal}"))}; "
        + $"branches {string.Join("; ", spec.Stages.Select((s, i) => $"s{i + 1}: " + string.Join(" ", s.Groups.SelectMany(g => g.Branches).Select(b => $"{b.Key}=[{string.Join(",", b.People)}]"))))}";

    /// <summary>
    /// The directory as the host would read it: a branch per holder of a role, per named user (empty for one with no
    /// account or disabled), per named department (its heads). It changes during a walk.
    /// </summary>
    private sealed class Directory
    {
        private readonly RouteSpec spec;
        private readonly List<List<(GroupKind Kind, Branch Branch)>> stages = [];
        private readonly Dictionary<string, List<string>> proxies = [];
        private Participants? cached;

        public Directory(RouteSpec spec)
        {
            this.spec = spec;
            stages.Add([(GroupKind.Users, Branch.Person(Author))]);
            foreach (var s in spec.Stages)
            {
                stages.Add([.. s.Groups.SelectMany(g => g.Branches.Select(b => (g.Kind, new Branch(b.Key, b.Key, b.People))))]);
            }

            foreach (var (principal, proxy) in spec.Proxies)
            {
                Proxy(principal, proxy, true);
            }
        }

        public Participants Participants => cached ??= new Participants([.. stages.Select(s => s.Select(b => b.Branch).ToImmutableArray())])
        {
            ClerkId = spec.ClerkId,
            Deputies = spec.Stages.Select((s, i) => (s, i)).Where(x => x.s.WhenSubmitter == 3 && x.s.DeputyExists).ToImmutableDictionary(x => x.i + 1, x => x.s.Deputy),
            ProxiesOf = proxies.ToImmutableDictionary(p => p.Key, p => p.Value.ToImmutableArray()),
        };

        public IEnumerable<string> ProxiesOf(string principal) => proxies.TryGetValue(principal, out var p) ? p : [];

        public void Reassign(string author)
        {
            stages[0] = [(GroupKind.Users, Branch.Person(author))];
            cached = null;
        }

        /// <summary>Someone joins or leaves a branch, a named user's account comes or goes, or a proxy is granted or ends.</summary>
        public string Change(int a, int b)
        {
            cached = null;
            var person = Pool[b % Pool.Length];
            if (a % 5 == 0)
            {
                var principal = Pool[a / 5 % Pool.Length];
                var on = !ProxiesOf(principal).Contains(person);
                if (principal != person)
                {
                    Proxy(principal, person, on);
                }

                return $"proxy {person} for {principal} {(on ? "granted" : "ended")}";
            }

            var index = 1 + a % (stages.Count - 1);
            var branches = stages[index];
            if (branches.Count == 0 || a % 4 == 1)
            {
                if (branches.All(x => x.Branch.Key != person))
                {
                    branches.Add((GroupKind.Holders, Branch.Person(person)));
                }

                return $"{person} joins stage {index}";
            }

            var at = b % branches.Count;
            var (kind, branch) = branches[at];
            switch (kind)
            {
                case GroupKind.Holders:
                    branches.RemoveAt(at);
                    return $"{branch.Key} leaves stage {index}";
                case GroupKind.Users:
                    var enabled = branch.Candidates.IsEmpty && !Ghosts.Contains(branch.Key);
                    branches[at] = (kind, branch with { Candidates = enabled ? [branch.Key] : [] });
                    return $"{branch.Key} {(enabled ? "enabled" : "disabled")} at stage {index}";
                default:
                    var heads = branch.Candidates.Contains(person) ? branch.Candidates.Remove(person) : branch.Candidates.Add(person);
                    branches[at] = (kind, branch with { Candidates = heads });
                    return $"{branch.Key} now headed by [{string.Join(" ", heads)}]";
            }
        }

        private void Proxy(string principal, string proxy, bool on)
        {
            if (!proxies.TryGetValue(principal, out var list))
            {
                proxies[principal] = list = [];
            }

            if (on && !list.Contains(proxy))
            {
                list.Add(proxy);
            }
            else if (!on)
            {
                list.Remove(proxy);
            }
        }
    }

    private static void Play(Walk walk, Stats stats)
    {
        var route = BuildRoute(walk.Route);
        var directory = new Directory(walk.Route);
        var now = SectionScenario.T0;
        var figures = walk.Route.StartsWithPlaceholders ? ImmutableArray.Create("发展党员X名") : default;
        var start = SectionMachine.Start(route, directory.Participants, Author, Hashes[0], now, figures);
        var trail = new Trail(walk);
        trail.Require(start.Accepted && start.State is not null, "a section can always be started");
        var state = start.State!;
        var check = new Checker(route, trail);
        check.Started(state, directory.Participants, start.Events, now);
        stats.Route(route);

        foreach (var op in walk.Ops)
        {
            now += TimeSpan.FromHours(1);
            if (op.Verb == Verb.Directory)
            {
                trail.Note(directory.Change(op.A, op.B));
                stats.DirectoryChanges++;
                continue;
            }

            var participants = directory.Participants;
            var command = Resolve(op, state, route, directory);
            var snapshot = Canon(state);
            var t = SectionMachine.Decide(route, state, participants, command, now);
            var again = SectionMachine.Decide(route, state, participants, command, now);
            trail.Add(command, t);
            stats.Step(command, t);

            trail.Require(Canon(t) == Canon(again), "deciding the same command on the same state twice gives the same outcome");
            trail.Require(Canon(state) == snapshot, "deciding leaves the state it was given as it was");
            if (!t.Accepted)
            {
                trail.Require(t.State is null && t.Events.IsEmpty && t.Rejection is not null, "a rejection carries neither a state nor events");
                continue;
            }

            trail.Require(t.State is not null, "an accepted command carries a state");
            var before = state;
            state = t.State!;
            if (command is ReassignCommand reassign && state.Tasks.Count > before.Tasks.Count)
            {
                directory.Reassign(reassign.NewAuthorId);
            }

            check.Stepped(before, state, command, participants, t.Events, now, stats);
            check.State(state, directory.Participants, stats);
        }

        stats.Walk(state);
    }

    // ---- choosing the command an op stands for ----

    private static T Pick<T>(IReadOnlyList<T> list, int at) => list[at % list.Count];

    private static SectionCommand Resolve(Op op, SectionState s, RouteDefinition route, Directory directory)
    {
        var pending = s.Tasks.Select((t, i) => (t, i)).Where(x => x.t.Status == WorkTaskStatus.Pending && s.IsCurrent(x.t)).ToList();
        var deciders = pending.Where(x => x.t.Kind != TaskKind.Delegated).Select(x => x.t.AssigneeId).Distinct().ToList();
        var delegates = pending.Where(x => x.t.Kind == TaskKind.Delegated).Select(x => x.t.AssigneeId).ToList();
        var holder = deciders.Count > 0 ? Pick(deciders, op.A) : pending.Count > 0 ? Pick(pending, op.A).t.AssigneeId : Stranger;
        var withAuthor = s.Status is SectionStatus.Draft or SectionStatus.Returned;
        var version = s.Version.Number + op.VersionOffset;
        var opinion = Opinions[op.Opinion];
        var random = Everyone[op.A % Everyone.Length];
        var open = s.Tasks.Where(t => t.Open && s.IsCurrent(t)).Select(t => t.AssigneeId).ToHashSet();
        var free = Everyone.Where(p => !open.Contains(p) && p != s.Version.AuthorId && p != Admin).ToList();
        var target = op.Plausible && free.Count > 0 ? Pick(free, op.B) : Everyone[op.B % Everyone.Length];

        var verb = op.Verb;
        if (op.Plausible && withAuthor && verb is not (Verb.Edit or Verb.Reassign or Verb.Cancel or Verb.Refresh))
        {
            verb = Verb.Submit;
        }
        else if (op.Plausible && !withAuthor && verb is Verb.Submit)
        {
            verb = Verb.Approve;
        }

        string Actor(Func<string?> plausible) => op.Plausible ? plausible() ?? holder : random;

        switch (verb)
        {
            case Verb.Edit:
                return new EditCommand(Actor(() => holder), version, Hashes[op.Hash], opinion, op.Placeholders ? ["发展党员X名", "增长XX%"] : default);
            case Verb.Submit:
                return new SubmitCommand(Actor(() => holder), version, opinion);
            case Verb.Approve or Verb.Return:
                var (actor, onBehalfOf) = (Actor(() => holder), (string?)null);
                if (op.Proxy && op.Plausible)
                {
                    var proxied = deciders.SelectMany(d => directory.ProxiesOf(d).Select(p => (Proxy: p, For: d))).ToList();
                    if (proxied.Count > 0)
                    {
                        var (p, f) = Pick(proxied, op.B);
                        (actor, onBehalfOf) = (p, op.Privileged ? f : null);
                    }
                }

                if (verb == Verb.Approve)
                {
                    return new ApproveCommand(actor, version, opinion) { OnBehalfOf = onBehalfOf };
                }

                return new ReturnCommand(actor, version, opinion)
                {
                    OnBehalfOf = onBehalfOf,
                    ToStage = op.ToStage < 0 ? null : op.ToStage < route.Stages.Length ? route.Stages[op.ToStage].Key : "nowhere",
                    ResubmitTo = op.ResubmitTo switch { 1 => ResubmitTo.Rerun, 2 => ResubmitTo.Returner, _ => null },
                };
            case Verb.Withdraw:
                return new WithdrawCommand(Actor(() => s.CurrentMove?.ActorId), version, opinion);
            case Verb.Reclaim:
                var recent = s.Moves.TakeLast(4).Select(m => m.Visit).ToHashSet();
                var approvers = s.SignOffs.Where(o => o.Cycle == s.Cycle && !o.Dismissed && o.Decision == Decision.Approved && recent.Contains(o.Visit)).Select(o => o.ActorId).ToList();
                return new ReclaimCommand(Actor(() => approvers.Count > 0 ? Pick(approvers, op.B) : null), version, opinion);
            case Verb.Cancel:
                return new CancelCommand(op.Plausible ? Admin : random, opinion);
            case Verb.AddSigner:
                return new AddSignerCommand(Actor(() => holder), version, target, (SignerPosition)op.Position, opinion);
            case Verb.RemoveSigner:
                var added = s.Tasks.Select((t, i) => (t, i)).Where(x => x.t.Open && s.IsCurrent(x.t) && x.t.Kind is TaskKind.AddedBefore or TaskKind.AddedAfter or TaskKind.AddedParallel).ToList();
                if (op.Plausible && added.Count > 0)
                {
                    var (t, i) = Pick(added, op.B);
                    return new RemoveSignerCommand(op.Privileged ? Admin : t.By ?? Admin, i, op.Privileged);
                }

                return new RemoveSignerCommand(random, op.B % (s.Tasks.Count + 2) - 1, op.Privileged && !op.Plausible);
            case Verb.Transfer:
                return new TransferCommand(Actor(() => holder), target, opinion);
            case Verb.Delegate:
                return new DelegateCommand(Actor(() => holder), target, opinion);
            case Verb.Advise:
                return new AdviseCommand(Actor(() => delegates.Count > 0 ? Pick(delegates, op.B) : null), version, opinion);
            case Verb.Reassign:
                return new ReassignCommand(op.Plausible ? Admin : random, Pool[op.B % Pool.Length]);
            default:
                return new RefreshReviewersCommand(op.Plausible ? Admin : random);
        }
    }

    // ---- the invariants ----

    private sealed class Checker(RouteDefinition route, Trail trail)
    {
        private readonly Dictionary<int, VersionRef> versions = [];

        /// <summary>Added signers' tasks closed by their removal (减签) or handed on (转办): they no longer have to agree.</summary>
        private readonly HashSet<int> released = [];

        private readonly HashSet<string> completed = new(StringComparer.Ordinal);

        private static bool IsAdded(WorkTask t) => t.Kind is TaskKind.AddedBefore or TaskKind.AddedAfter or TaskKind.AddedParallel;

        private static string KeyOf(WorkTask t) => t.Branch.Length > 0 ? t.Branch : t.AssigneeId;

        private static string KeyOf(SignOff o) => o.Branch.Length > 0 ? o.Branch : o.OnBehalfOf ?? o.ActorId;

        private static string Holder(SignOff o) => o.OnBehalfOf ?? o.ActorId;

        private static HashSet<string> Submitters(SectionState s, int cycle) =>
            s.Tasks.Where(t => t.StageIndex == 0 && t.Cycle == cycle && t.Status == WorkTaskStatus.Completed).Select(t => t.AssigneeId).ToHashSet(StringComparer.Ordinal);

        public void Started(SectionState state, Participants participants, ImmutableArray<SectionEvent> events, DateTimeOffset now)
        {
            versions[state.Version.Number] = state.Version;
            trail.Require(events.OfType<SectionCreated>().Count() == 1 && events.OfType<TaskAssigned>().Count() == 1, "a start creates the section and asks its author");
            State(state, participants, null);
        }

        public void Stepped(SectionState before, SectionState after, SectionCommand command, Participants participants, ImmutableArray<SectionEvent> events, DateTimeOffset now, Stats stats)
        {
            // Versions: only an edit makes one, numbered after the last, written by the editor.
            var edited = events.OfType<SectionEdited>().ToList();
            if (after.Version != before.Version)
            {
                trail.Require(command is EditCommand && after.Version.Number == before.Version.Number + 1 && after.Version.AuthorId == command.ActorId,
                    "only an edit makes a new version, numbered after the last and written by the editor");
                trail.Require(edited.Count == 1 && edited[0].Hash == after.Version.Hash && edited[0].Version == after.Version.Number, "a new version is announced once");
                versions.Add(after.Version.Number, after.Version);
            }
            else
            {
                trail.Require(edited.Count == 0, "no edit event without a new version");
            }

            // Added signers taken off (减签) or handed on (转办) no longer have to agree, nor do those added to a task that
            // went with them (or with a holder's task another holder of the branch decided for).
            var cancelled = Enumerable.Range(0, after.Tasks.Count)
                .Where(i => after.Tasks[i].Status == WorkTaskStatus.Cancelled && (i >= before.Tasks.Count || before.Tasks[i].Open)).ToHashSet();
            if (command is RemoveSignerCommand remove && cancelled.Contains(remove.TaskIndex))
            {
                released.Add(remove.TaskIndex);
            }
            else if (command is TransferCommand)
            {
                released.UnionWith(cancelled.Where(i => i < before.Tasks.Count && before.Tasks[i].Status == WorkTaskStatus.Pending && before.Tasks[i].AssigneeId == command.ActorId && before.IsCurrent(before.Tasks[i])));
            }

            released.UnionWith(cancelled.Where(i => after.Tasks[i].Parent is { } p && cancelled.Contains(p)));

            CheckTasks(before, after, now);
            var added = CheckSignOffs(before, after, command, participants);
            CheckMoves(before, after, participants);
            CheckEvents(before, after, command, events, added, now, stats);
        }

        private void CheckTasks(SectionState before, SectionState after, DateTimeOffset now)
        {
            trail.Require(after.Tasks.Count >= before.Tasks.Count, "tasks are never removed");
            for (var i = 0; i < before.Tasks.Count; i++)
            {
                var was = before.Tasks[i];
                var is_ = after.Tasks[i];
                if (!was.Open)
                {
                    trail.Require(is_ == was, $"task {i} ({was.AssigneeId}, {was.Status}) was closed: a closed task never reopens or changes");
                    continue;
                }

                trail.Require(is_ with { Status = was.Status, ClosedAt = was.ClosedAt, DueAt = was.DueAt, Parent = was.Parent } == was,
                    $"task {i} may change only its status, due date and the task it waits on");
                trail.Require(is_.Open ? is_.ClosedAt is null : is_.ClosedAt == now, $"task {i} is closed now, or not at all");
            }

            foreach (var t in after.Tasks.Skip(before.Tasks.Count))
            {
                trail.Require(t.CreatedAt == now && (t.Open ? t.ClosedAt is null : t.ClosedAt == now), "a new task is created now");
            }
        }

        private List<SignOff> CheckSignOffs(SectionState before, SectionState after, SectionCommand command, Participants participants)
        {
            trail.Require(after.SignOffs.Count >= before.SignOffs.Count, "sign-offs are never removed");
            for (var i = 0; i < before.SignOffs.Count; i++)
            {
                var was = before.SignOffs[i];
                var is_ = after.SignOffs[i];
                trail.Require(is_ == was || (!was.Dismissed && is_ == was with { Dismissed = true }), $"sign-off {i} may only be dismissed, never rewritten");
            }

            var added = after.SignOffs.Skip(before.SignOffs.Count).ToList();
            var expected = command switch
            {
                ApproveCommand => Decision.Approved,
                ReturnCommand => Decision.Returned,
                AdviseCommand => Decision.Advised,
                _ => (Decision?)null,
            };
            trail.Require(added.Count == (expected is null ? 0 : 1) && added.All(o => o.Decision == expected), $"{command.Name} records {(expected is null ? "no decision" : $"one {expected} decision")}");

            var submitters = Submitters(before, before.Cycle);
            foreach (var o in added)
            {
                trail.Require(o.ActorId == command.ActorId && o.StageIndex == before.StageIndex && o.Cycle == before.Cycle && o.Visit == before.Visit,
                    "a decision is the actor's, at the stage visit the section was at");
                trail.Require(o.VersionNumber == before.Version.Number && o.VersionHash == before.Version.Hash, "a decision is bound to the version that was current");
                trail.Require(o.At == after.Tasks.Where(t => t.ClosedAt is not null).Select(t => t.ClosedAt!.Value).DefaultIfEmpty(o.At).Max(), "a decision is made now");

                // Every decision decides exactly one task that was pending for its holder at that visit (at most one decision per task).
                var decided = Enumerable.Range(0, before.Tasks.Count).Where(i =>
                {
                    var t = before.Tasks[i];
                    return t.Status == WorkTaskStatus.Pending && before.IsCurrent(t) && after.Tasks[i].Status == WorkTaskStatus.Completed
                        && t.AssigneeId == Holder(o) && KeyOf(t) == KeyOf(o) && t.Kind == o.Kind;
                }).ToList();
                trail.Require(decided.Count == 1, $"{o.ActorId}'s {o.Decision} decides exactly one pending task of {Holder(o)} (found {decided.Count})");

                if (o.OnBehalfOf is { } principal)
                {
                    trail.Require(principal != o.ActorId && participants.IsProxyFor(o.ActorId, principal), $"{o.ActorId} decides for {principal} only as their proxy");
                }

                if (o.Decision == Decision.Approved)
                {
                    foreach (var who in new[] { o.ActorId, Holder(o) }.Distinct())
                    {
                        trail.Require(who != before.Version.AuthorId, $"self-approval: {who} approved version {o.VersionNumber}, which they wrote");
                        trail.Require(!submitters.Contains(who), $"self-approval: {who} approved at stage {o.StageIndex} a text they submitted in cycle {o.Cycle}");
                    }
                }
            }

            return added;
        }

        private void CheckMoves(SectionState before, SectionState after, Participants participants)
        {
            trail.Require(after.Moves.Count >= before.Moves.Count && before.Moves.Count > 0, "moves are never removed");
            for (var i = 0; i < before.Moves.Count; i++)
            {
                var was = before.Moves[i];
                var is_ = after.Moves[i];
                var last = i == before.Moves.Count - 1;
                var fixedBranches = route.Stages[was.StageIndex].FixedBranches;

                // A sequential stage passes over a turn when it comes if its holder has since written the text: the visit
                // under way gains skipped branches (after those it had), under the same rule as on entering the stage.
                var passed = PassedOver(was, is_, last);
                var kept = passed.IsEmpty ? is_ : is_ with { Skipped = was.Skipped };
                trail.Require(
                    Canon(kept with { Branches = was.Branches }) == Canon(was) && (Canon(kept) == Canon(was) || (last && !fixedBranches && was.StageIndex > 0)),
                    $"move {i} is history: only the branches of the visit under way change, and only where branches are a role's holders");
                RequireSkippable(is_, passed, after, participants);
                // At the visit it was passed over in: when that was the last turn the section moved on, and the stage after
                // may have a branch of the same key (a named user) with somebody asked in it.
                foreach (var key in passed)
                {
                    trail.Require(!after.Tasks.Any(t => t.Open && t.StageIndex == is_.StageIndex && t.Cycle == is_.Cycle && t.Visit == is_.Visit && KeyOf(t) == key),
                        $"turn {key} is passed over with nobody asked in it");
                }
            }

            foreach (var m in after.Moves.Skip(before.Moves.Count))
            {
                if (m.Reason is MoveReason.Withdraw or MoveReason.Reclaim)
                {
                    trail.Require(before.Moves.Any(p => p.Visit == m.Visit && p.StageIndex == m.StageIndex && p.Cycle == m.Cycle),
                        "a withdrawal or reclaim goes back to a visit of this cycle");
                    continue;
                }

                trail.Require(after.Moves.Take(before.Moves.Count).All(p => p.Visit < m.Visit), "a new stage visit has a new number");
                if (m.StageIndex == 0)
                {
                    continue;
                }

                var stage = route.Stages[m.StageIndex];
                var defined = participants.Stages[m.StageIndex];
                if (stage.FixedBranches)
                {
                    trail.Require(m.Branches.SequenceEqual(defined.Select(b => b.Key).Distinct()), $"a visit of {stage.Key} has every named branch");
                }
                else
                {
                    trail.Require(m.Branches.All(k => defined.Any(b => b.Key == k) || k == stage.Key || k == participants.ClerkId || participants.Deputies.Values.Contains(k)),
                        $"a visit of {stage.Key} has branches of the people who may hold it, or of its fallback");
                }

                RequireSkippable(m, m.Skipped, after, participants);
            }
        }

        /// <summary>The turns of a sequential stage's visit under way passed over in this step (see <see cref="CheckMoves"/>).</summary>
        private ImmutableArray<string> PassedOver(Move was, Move now, bool last) =>
            last && route.Stages[was.StageIndex].Kind == ActivityKind.Sequential && now.Skipped.Length > was.Skipped.Length
                && now.Skipped.Take(was.Skipped.Length).SequenceEqual(was.Skipped)
                ? now.Skipped[was.Skipped.Length..]
                : [];

        private void RequireSkippable(Move m, ImmutableArray<string> skipped, SectionState after, Participants participants)
        {
            var stage = route.Stages[m.StageIndex];
            var defined = participants.Stages[m.StageIndex];
            trail.Require(skipped.All(m.Branches.Contains), "only branches of the visit are skipped");
            foreach (var key in skipped)
            {
                var candidates = defined.Where(b => b.Key == key || key == stage.Key).SelectMany(b => b.Candidates);
                var self = Submitters(after, m.Cycle).Append(after.Version.AuthorId);
                trail.Require(stage.WhenSubmitter == WhenSubmitter.Skip && candidates.Intersect(self).Any(),
                    $"branch {key} of {stage.Key} is skipped only under whenSubmitter skip, as the submitter's own");
            }
        }

        private void CheckEvents(SectionState before, SectionState after, SectionCommand command, ImmutableArray<SectionEvent> events, List<SignOff> added, DateTimeOffset now, Stats stats)
        {
            trail.Require(events.All(e => e.At == now), "events happen now");

            var approvals = events.OfType<SectionApproved>().ToList();
            var newApprovals = added.Where(o => o.Decision == Decision.Approved).ToList();
            trail.Require(approvals.Count == newApprovals.Count
                && approvals.Zip(newApprovals).All(x => x.First.ActorId == x.Second.ActorId && x.First.OnBehalfOf == x.Second.OnBehalfOf && x.First.Hash == x.Second.VersionHash && x.First.Branch == KeyOf(x.Second)),
                "an approval event for every approval recorded");
            trail.Require(events.OfType<SectionAdvised>().Count() == added.Count(o => o.Decision == Decision.Advised), "an advice event for every advice recorded");
            var returns = events.OfType<SectionReturned>().Count() + events.OfType<BranchRefused>().Count();
            trail.Require(added.Any(o => o.Decision == Decision.Returned) ? returns >= 1 : returns == 0, "a return event for every return recorded");
            trail.Require(events.OfType<SectionReturned>().All(r => r.Hash == before.Version.Hash && !string.IsNullOrWhiteSpace(r.Opinion)), "a return names the current text and why");

            var dismissed = Enumerable.Range(0, before.SignOffs.Count).Where(i => !before.SignOffs[i].Dismissed && after.SignOffs[i].Dismissed)
                .Select(i => $"{before.SignOffs[i].ActorId} {before.SignOffs[i].VersionHash}").Order();
            trail.Require(events.OfType<ApprovalDismissed>().Select(e => $"{e.ApproverId} {e.Hash}").Order().SequenceEqual(dismissed), "an event for every approval dismissed");

            // Tasks: every task closed in this step is announced, and every task that became pending.
            var closed = Enumerable.Range(0, after.Tasks.Count)
                .Where(i => !after.Tasks[i].Open && (i >= before.Tasks.Count || before.Tasks[i].Open))
                .Select(i => $"{after.Tasks[i].AssigneeId} {route.Stages[after.Tasks[i].StageIndex].Key} {after.Tasks[i].Status}").Order().ToList();
            var closedEvents = events.OfType<TaskClosed>().Select(e => $"{e.AssigneeId} {e.Stage} {e.Outcome}").Order().ToList();
            trail.Require(closedEvents.SequenceEqual(closed), $"a TaskClosed event for every task closed, once (events: {string.Join(", ", closedEvents)}; tasks closed: {string.Join(", ", closed)})");

            var assigned = events.OfType<TaskAssigned>().Select(e => $"{e.AssigneeId} {e.Stage} {e.Kind} {e.Branch}").ToList();
            var changed = Enumerable.Range(0, after.Tasks.Count).Count(i => i >= before.Tasks.Count || before.Tasks[i].Status != after.Tasks[i].Status);
            trail.Require(assigned.Count <= changed, "no TaskAssigned event without a task made or changed");
            for (var i = 0; i < after.Tasks.Count; i++)
            {
                var t = after.Tasks[i];
                if (t.Status == WorkTaskStatus.Pending && (i >= before.Tasks.Count || before.Tasks[i].Status != WorkTaskStatus.Pending))
                {
                    var key = $"{t.AssigneeId} {route.Stages[t.StageIndex].Key} {t.Kind} {KeyOf(t)}";
                    trail.Require(assigned.Remove(key), $"a TaskAssigned event for the task newly pending for {t.AssigneeId}");
                    var deadline = route.Stages[t.StageIndex].Deadline;
                    trail.Require(t.DueAt == (deadline is { } d ? now + d : null), $"the task newly pending for {t.AssigneeId} is due by the stage's deadline");
                }
            }

            // Stages: passed exactly when the section moves on from them, each on its quorum.
            var newMoves = after.Moves.Skip(before.Moves.Count).ToList();
            var finalized = after.Status == SectionStatus.Approved;
            var stageCompleted = events.OfType<StageCompleted>().ToList();
            trail.Require(stageCompleted.Count == newMoves.Count(m => m.Reason == MoveReason.Advance) + (finalized ? 1 : 0),
                "a StageCompleted event exactly for every stage passed");
            trail.Require(events.OfType<SectionFinalized>().Count() == (finalized ? 1 : 0), "the section is finalized exactly when it is approved");
            var passed = PassedOver(before.Moves[^1], after.Moves[before.Moves.Count - 1], true);
            trail.Require(events.OfType<StageSkipped>().Count() == newMoves.Count(m => m.Skipped.Length > 0 && m.Reason is not (MoveReason.Withdraw or MoveReason.Reclaim)) + (passed.IsEmpty ? 0 : 1),
                "a StageSkipped event for every visit with skipped branches, and for the turns a sequence passed over");
            trail.Require(passed.IsEmpty || events.OfType<StageSkipped>().Any(k => k.Stage == route.Stages[before.StageIndex].Key && k.Branches.SequenceEqual(passed)),
                "the turns a sequence passed over are announced");
            trail.Require(newMoves.Where(m => m.Reason == MoveReason.Advance).All(m => m.ActorId == command.ActorId), "the section moves on by the actor's doing");
            trail.Require(events.OfType<SectionSubmitted>().Count() == newMoves.Count(m => m.Reason == MoveReason.Submit) && (command is SubmitCommand || newMoves.All(m => m.Reason != MoveReason.Submit)),
                "only a submission moves the section from its author");

            foreach (var c in stageCompleted)
            {
                var index = route.IndexOf(c.Stage);
                trail.Require(index > 0 && c.Hash == after.Version.Hash && c.Hash == before.Version.Hash, $"stage {c.Stage} is passed on the current text");
                var visit = after.Moves.Last(m => m.StageIndex == index);
                RequireQuorum(after, visit, c.Hash, before, $"stage {c.Stage} passed");
                completed.Add(c.Stage);
                stats.Completed(route.Stages[index]);
            }
        }

        /// <summary>
        /// Counted from the state, not asked of the engine: a branch of the visit approved when one of its holders (or the clerk)
        /// approved this hash, that approval still counts, and everyone added after or beside them at this visit approved it
        /// too (or wrote it), unless taken off or handed on; skipped branches count as approved.
        /// </summary>
        private void RequireQuorum(SectionState s, Move visit, string hash, SectionState? before, string what)
        {
            var live = s.SignOffs.Where(o => o.StageIndex == visit.StageIndex && o.Cycle == visit.Cycle && o.Visit == visit.Visit && !o.Dismissed && o.Decision == Decision.Approved).ToList();
            trail.Require(live.All(o => o.VersionHash == hash), $"{what}: every approval still counting at the visit is for {hash}");
            var tasks = s.Tasks.Select((t, i) => (t, i)).Where(x => x.t.StageIndex == visit.StageIndex && x.t.Cycle == visit.Cycle && x.t.Visit == visit.Visit).ToList();

            bool Agreed(string key)
            {
                if (!live.Any(o => KeyOf(o) == key && o.Kind is TaskKind.Regular or TaskKind.Fallback))
                {
                    return false;
                }

                foreach (var g in tasks.Where(x => KeyOf(x.t) == key && x.t.Kind is TaskKind.AddedAfter or TaskKind.AddedParallel).GroupBy(x => x.t.AssigneeId))
                {
                    var (t, i) = g.Last();
                    // One who edited stands behind the text while it is still theirs.
                    var agreed = t.Status == WorkTaskStatus.Completed
                        && (live.Any(o => KeyOf(o) == key && Holder(o) == t.AssigneeId && o.Kind == t.Kind) || t.AssigneeId == s.Version.AuthorId);
                    // A signer whose task was closed in an earlier step no longer has to agree (taken off, handed on, or gone
                    // with the task they were added to); one still open just before this step must have agreed.
                    var closedBefore = before is null || (i < before.Tasks.Count && !before.Tasks[i].Open);
                    if (!agreed && !released.Contains(i) && !(t.Status == WorkTaskStatus.Cancelled && closedBefore))
                    {
                        return false;
                    }
                }

                return true;
            }

            var branches = visit.Branches;
            var approved = branches.Count(k => visit.Skipped.Contains(k) || Agreed(k));
            var required = route.Stages[visit.StageIndex].Quorum.Required(branches.Length);
            trail.Require(branches.Length > 0 && approved >= required,
                $"{what}: {approved} of {branches.Length} branch(es) [{string.Join(", ", branches)}] approved {hash}, {required} needed ({route.Stages[visit.StageIndex].Quorum})");
        }

        public void State(SectionState s, Participants participants, Stats? stats)
        {
            trail.Require(versions.TryGetValue(s.Version.Number, out var v) && v == s.Version, "the current version is the one recorded under its number");
            trail.Require((s.StageIndex == 0) == (s.Status is SectionStatus.Draft or SectionStatus.Returned), $"status {s.Status} matches stage {s.StageIndex}");
            trail.Require(s.CurrentMove is { } move && move.StageIndex == s.StageIndex && move.Cycle == s.Cycle, "the last move is the visit under way");

            var open = s.Tasks.Select((t, i) => (t, i)).Where(x => x.t.Open).ToList();
            var pending = open.Where(x => x.t.Status == WorkTaskStatus.Pending).Select(x => x.t).ToList();
            trail.Require(open.All(x => s.IsCurrent(x.t)), "every pending or waiting task belongs to the current stage, cycle and visit");
            switch (s.Status)
            {
                case SectionStatus.Approved:
                    trail.Require(open.Count == 0, "nothing is pending or waiting once the section is approved");
                    break;
                case SectionStatus.InReview:
                    trail.Require(pending.Count > 0, "a section under review waits on somebody");
                    break;
                default:
                    trail.Require(open.Count == 1 && pending.Count == 1 && pending[0].AssigneeId == participants.AuthorId, "a section with its author waits on its author alone");
                    break;
            }

            // A waiting task waits on someone: whoever was added before it or asked to advise, or the one it was added after.
            foreach (var (w, i) in open.Where(x => x.t.Status == WorkTaskStatus.Waiting))
            {
                var blocker = open.Any(x => x.t.Parent == i && x.t.Kind is TaskKind.AddedBefore or TaskKind.Delegated)
                    || (w.Kind == TaskKind.AddedAfter && w.Parent is { } p && s.Tasks[p].Open);
                trail.Require(blocker, $"{w.AssigneeId}'s waiting task {i} ({w.Kind}) waits on somebody still to act");
            }

            foreach (var o in s.SignOffs)
            {
                if (o.Decision is Decision.Returned or Decision.Advised)
                {
                    trail.Require(!string.IsNullOrWhiteSpace(o.Opinion), $"a {o.Decision} decision carries an opinion");
                    continue;
                }

                trail.Require(versions.TryGetValue(o.VersionNumber, out var approved) && approved.Hash == o.VersionHash, $"approval by {o.ActorId} names the hash of version {o.VersionNumber}");
                if (!o.Dismissed)
                {
                    var submitters = Submitters(s, o.Cycle);
                    foreach (var who in new[] { o.ActorId, Holder(o) }.Distinct())
                    {
                        trail.Require(who != approved!.AuthorId, $"self-approval: {who}'s approval still counts for version {o.VersionNumber}, which they wrote");
                        trail.Require(!submitters.Contains(who), $"self-approval: {who}'s approval at stage {o.StageIndex} still counts for a text they submitted in cycle {o.Cycle}");
                    }
                }
            }

            if (s.Status == SectionStatus.InReview)
            {
                var submitters = Submitters(s, s.Cycle);
                var earlier = s.SignOffs.Where(o => o.Cycle == s.Cycle && o.StageIndex < s.StageIndex && !o.Dismissed && o.Decision == Decision.Approved)
                    .SelectMany(o => new[] { o.ActorId, Holder(o) }).ToHashSet();
                foreach (var t in open.Select(x => x.t))
                {
                    trail.Require(t.AssigneeId != s.Version.AuthorId, $"{t.AssigneeId} is asked to review version {s.Version.Number}, which they wrote");
                    trail.Require(!submitters.Contains(t.AssigneeId), $"{t.AssigneeId} is asked to review a text they submitted in this cycle");
                    trail.Require(!earlier.Contains(t.AssigneeId), $"{t.AssigneeId} is asked to review a text they already approved at an earlier stage of this cycle");
                }

                trail.Require(s.LiveSignOffsAt(s.StageIndex).Where(o => o.Decision == Decision.Approved).All(o => o.VersionHash == s.Version.Hash),
                    "approvals still counting at the visit under way are for the current text");
            }

            if (s.Status == SectionStatus.Approved)
            {
                trail.Require(s.StageIndex == route.LastStage, "only the last stage approves the section");
                RequireQuorum(s, s.CurrentMove!, s.Version.Hash, null, "section approved");
                trail.Require(route.Stages.Skip(1).All(x => completed.Contains(x.Key)), "a finalized section passed every stage of its route");
            }
        }
    }

    // ---- canonical text, for comparing outcomes by value ----

    private static string Canon(VersionRef v) => $"v{v.Number} {v.Hash} by {v.AuthorId} [{(v.MissingFigures.IsDefault ? "" : string.Join("|", v.MissingFigures))}]";

    private static string Canon(Move m) => $"{m with { Branches = [], Skipped = [] }} branches [{string.Join("|", m.Branches)}] skipped [{string.Join("|", m.Skipped)}]";

    private static string Canon(SectionState s) =>
        $"{s.StageIndex} {s.Status} {s.Cycle} {Canon(s.Version)}\n{string.Join("\n", s.Tasks)}\n{string.Join("\n", s.SignOffs)}\n{string.Join("\n", s.Moves.Select(Canon))}";

    private static string Canon(SectionEvent e) => e is StageSkipped k ? $"{k with { Branches = [] }} [{string.Join("|", k.Branches)}]" : e.ToString();

    private static string Canon(Transition t) =>
        t.Accepted ? $"{Canon(t.State!)}\n{string.Join("\n", t.Events.Select(Canon))}" : $"rejected {t.Rejection} {t.State is null} {t.Events.Length}";

    // ---- figures ----

    private sealed class Stats
    {
        private readonly SortedDictionary<string, (int Accepted, int Refused)> commands = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, int> refusals = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, int> stageKinds = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, int> passed = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, int> outcomes = new(StringComparer.Ordinal);

        public int Routes { get; private set; }

        public int Steps { get; private set; }

        public int DirectoryChanges { get; set; }

        public void Route(RouteDefinition route)
        {
            Routes++;
            foreach (var s in route.Stages.Skip(1))
            {
                Bump(stageKinds, $"{s.Kind} ({s.Quorum.Kind})");
            }
        }

        public void Step(SectionCommand command, Transition t)
        {
            Steps++;
            var name = command switch
            {
                ApproveCommand { OnBehalfOf: not null } => "approve (on behalf)",
                ReturnCommand { ToStage: not null } => "return (to a stage)",
                AddSignerCommand a => $"add-signer ({a.Position.ToString().ToLowerInvariant()})",
                _ => command.Name,
            };
            commands.TryGetValue(name, out var c);
            commands[name] = t.Accepted ? (c.Accepted + 1, c.Refused) : (c.Accepted, c.Refused + 1);
            if (!t.Accepted)
            {
                Bump(refusals, t.Rejection!.Code.ToString());
            }
        }

        public void Completed(StageDefinition stage) => Bump(passed, stage.Kind.ToString());

        public void Walk(SectionState end) => Bump(outcomes, end.Status.ToString());

        private static void Bump(SortedDictionary<string, int> d, string key) => d[key] = d.GetValueOrDefault(key) + 1;

        public string Report()
        {
            var sb = new StringBuilder();
            var accepted = commands.Values.Sum(c => c.Accepted);
            sb.AppendLine(CultureInfo.InvariantCulture, $"Stage-graph walks: {Routes} routes generated, {Steps} commands decided ({accepted} accepted, {Steps - accepted} refused), {DirectoryChanges} directory changes.");
            sb.AppendLine("Review stages by kind (quorum): " + string.Join(", ", stageKinds.Select(k => $"{k.Key} {k.Value}")));
            sb.AppendLine("Stages passed by kind: " + string.Join(", ", passed.Select(k => $"{k.Key} {k.Value}")));
            sb.AppendLine("Walks ended with the section: " + string.Join(", ", outcomes.Select(k => $"{k.Key} {k.Value}")));
            sb.AppendLine("Commands (accepted / refused):");
            foreach (var (name, (a, r)) in commands)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"  {name,-22} {a,6} / {r,6}");
            }

            sb.AppendLine("Refusals by code: " + string.Join(", ", refusals.Select(k => $"{k.Key} {k.Value}")));
            return sb.ToString();
        }
    }

    /// <summary>What was played so far, so a failure shows the (shrunk) walk that broke an invariant.</summary>
    private sealed class Trail(Walk walk)
    {
        private readonly List<string> played = [];

        public void Add(SectionCommand command, Transition outcome) =>
            played.Add($"{command} -> {(outcome.Accepted ? string.Join(", ", outcome.Events.Select(e => e.GetType().Name)) : outcome.Rejection!.Code.ToString())}");

        public void Note(string change) => played.Add($"(directory: {change})");

        public void Require(bool condition, string invariant)
        {
            if (!condition)
            {
                throw new InvalidOperationException($"Broken: {invariant}\n  {walk}\n  {string.Join("\n  ", played)}");
            }
        }
    }
}
