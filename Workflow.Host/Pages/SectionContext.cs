using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Documents;
using Workflow.Activities.Engine;
using Workflow.Activities.Routes;
using Workflow.Host.Features.Reports;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Pages;

/// <summary>A saved version of a section as the history lists it.</summary>
public sealed record VersionRow(int Number, string AuthorId, string AuthorName, DateTimeOffset CreatedAt, string? Note, int Length);

/// <summary>
/// One line of the sign-off sheet: a decision (同意 / 退回) at a review stage, or the author's submission (送审) at the
/// drafting stage, with the person's name and department at the time of reading, the moment and the version.
/// </summary>
/// Operations on tasks are lines too: 转办 (transferred), 委派 (delegated), 加签 (signer-added, with its position), 减签
/// (signer-removed), and 撤销 (cancelled); a delegate's advice (advised) is an opinion, not a decision. Branch is the
/// countersign branch (a department code), TaskKind the kind of task decided, OnBehalfOf the holder a proxy decided for
/// and Target the other person of an operation, each with the name kept on the day where one was kept.
/// </summary>
public sealed record SheetEntry(int StageIndex, string Kind, string? Opinion, string ActorId, string ActorName, string? Department, DateTimeOffset At, int Version, int Cycle, bool Dismissed)
{
    public string Branch { get; init; } = "";

    public TaskKind TaskKind { get; init; }

    public string? OnBehalfOf { get; init; }

    public string? Target { get; init; }

    /// <summary>加签's position: before, after or parallel.</summary>
    public string? Position { get; init; }

    /// <summary>The roles the person signed with (their title in the review, comma-separated), when kept on the day.</summary>
    public string? Roles { get; init; }

    /// <summary>
    /// A decision as kept: name, roles and department as they were on the day; rows from before those were kept show
    /// today's name and department.
    /// </summary>
    public static SheetEntry Of(SectionSignOff o, Func<string, string> todayName, Func<string, string?> todayDepartment) =>
        new(o.StageIndex, o.Decision switch { Decision.Approved => "approved", Decision.Advised => "advised", _ => "returned" }, o.Opinion, o.ActorId, o.ActorName ?? todayName(o.ActorId), o.ActorName is null ? todayDepartment(o.ActorId) : o.ActorDepartment, o.At, o.VersionNumber, o.Cycle, o.Dismissed)
        {
            Branch = o.Branch,
            TaskKind = o.Kind,
            OnBehalfOf = o.OnBehalfOfId is null ? null : o.OnBehalfOfName ?? todayName(o.OnBehalfOfId),
            Roles = o.ActorRoles,
        };
}

/// <summary>
/// What the section, review and sign-off pages show of a section, read in a handful of queries: the outline node,
/// report, route, current text and its missing figures, versions, decisions, and the viewer's pending task.
/// Null when the section does not exist or the viewer may not read it (the pages answer 404 alike).
/// </summary>
public sealed class SectionContext
{
    public required Section Row { get; init; }

    public required SectionNode Node { get; init; }

    public required string ReportTitle { get; init; }

    public required RouteDefinition Route { get; init; }

    public required string Content { get; init; }

    public required IReadOnlyList<Placeholder> Missing { get; init; }

    public required IReadOnlyList<VersionRow> Versions { get; init; }

    public required IReadOnlyList<SheetEntry> Sheet { get; init; }

    /// <summary>The section's tasks, sign-offs and moves as kept, in order: the route diagram is drawn from them.</summary>
    public IReadOnlyList<SectionTask> TaskRows { get; init; } = [];

    public IReadOnlyList<SectionSignOff> SignOffRows { get; init; } = [];

    public IReadOnlyList<SectionMove> MoveRows { get; init; } = [];

    /// <summary>Today's display names of the people on the tasks and moves (sign-offs keep their own).</summary>
    public IReadOnlyDictionary<string, string> Names { get; init; } = new Dictionary<string, string>();

    /// <summary>Department names by code: countersign branches are named by department.</summary>
    public IReadOnlyDictionary<string, string> DepartmentNames { get; init; } = new Dictionary<string, string>();

    /// <summary>For holders of pending tasks who are away: the display name of the proxy standing in for them now.</summary>
    public IReadOnlyDictionary<string, string> Proxies { get; init; } = new Dictionary<string, string>();

    /// <summary>The report's clerk (who created it): with administrators, they may remind (催办).</summary>
    public string ReportCreatedById { get; init; } = "";

    /// <summary>The viewer's pending task on this section, if any (draft task for the author, review task for a reviewer).</summary>
    public SectionTask? MyTask { get; init; }

    public bool IsDraftHolder => MyTask is { StageIndex: 0 };

    public bool IsReviewHolder => MyTask is { StageIndex: > 0 };

    /// <summary>The last return opinion of the current cycle's predecessor: what the author must address now.</summary>
    public SheetEntry? ReturnToAddress => Row.Status == SectionStatus.Returned ? Sheet.LastOrDefault(e => e.Kind == "returned") : null;

    /// <remarks>Given <paramref name="now"/>, a proxy (委托) whose window is in force reads the sections their principal holds tasks on.</remarks>
    public static async Task<SectionContext?> LoadAsync(WorkflowDbContext db, SectionViews views, RouteCatalog routes, CurrentUser me, Guid id, CancellationToken ct, DateTimeOffset? now = null)
    {
        var row = await SectionAccess.VisibleAsync(db, id, me, ct, now);
        if (row is null || row.IsGroup)
        {
            return null;
        }

        var node = (await views.OutlineAsync(row.ReportId, me, id, ct)).Single();
        var report = await db.Reports.AsNoTracking().Where(r => r.Id == row.ReportId).Select(r => new { r.Title, r.CreatedById }).SingleAsync(ct);
        var reportTitle = report.Title;
        var route = await routes.FindAsync(db, row.RouteDefinitionId, row.RouteVersion, ct)
            ?? throw new InvalidOperationException($"Route {row.RouteDefinitionId} v{row.RouteVersion} is missing.");
        var versions = await db.SectionVersions.AsNoTracking().Where(v => v.SectionId == id).OrderBy(v => v.Number)
            .Select(v => new { v.Number, v.AuthorId, v.CreatedAt, v.Note, v.Content.Length })
            .ToListAsync(ct);
        var content = await db.SectionVersions.AsNoTracking().Where(v => v.SectionId == id && v.Number == row.CurrentVersion).Select(v => v.Content).SingleAsync(ct);
        var signOffs = await db.SignOffs.AsNoTracking().Where(o => o.SectionId == id).OrderBy(o => o.Ordinal).ToListAsync(ct);
        // Submissions are not sign-offs in the engine; the audit trail has each one with its version.
        // Withdrawals back to the author are read too: they void the submission before them on the sheet.
        var submissions = await db.AuditEntries.AsNoTracking()
            .Where(e => e.SectionId == id && (e.Action == "section.submit" || e.Action == "section.withdraw" || e.Action == "section.transfer"
                || e.Action == "section.delegate" || e.Action == "section.add-signer" || e.Action == "section.remove-signer" || e.Action == "section.cancel"))
            .OrderBy(e => e.Sequence)
            .ToListAsync(ct);
        var myTask = await db.Tasks.AsNoTracking().Where(t => t.SectionId == id && t.AssigneeId == me.Id && t.Status == WorkTaskStatus.Pending).OrderByDescending(t => t.Ordinal).FirstOrDefaultAsync(ct);

        var taskRows = await db.Tasks.AsNoTracking().Where(t => t.SectionId == id).OrderBy(t => t.Ordinal).ToListAsync(ct);
        var moveRows = await db.Moves.AsNoTracking().Where(m => m.SectionId == id).OrderBy(m => m.Ordinal).ToListAsync(ct);
        var at = now ?? DateTimeOffset.UtcNow;
        var holders = taskRows.Where(t => t.Status is WorkTaskStatus.Pending or WorkTaskStatus.Waiting).Select(t => t.AssigneeId).Distinct().ToList();
        var windows = holders.Count == 0 ? [] : await db.ProxyWindows.AsNoTracking()
            .Where(ProxyWindow.InForceAt(at))
            .Where(w => holders.Contains(w.UserId))
            .ToListAsync(ct);
        windows = [.. windows.Where(w => ProxyWindow.Covers(w.Routes, row.RouteDefinitionId))];
        var people = versions.Select(v => v.AuthorId).Concat(signOffs.Select(o => o.ActorId)).Concat(submissions.Select(e => e.ActorId))
            .Concat(taskRows.Select(t => t.AssigneeId)).Concat(taskRows.Where(t => t.ById != null).Select(t => t.ById!))
            .Concat(moveRows.Select(m => m.ActorId)).Concat(windows.Select(w => w.ProxyId)).Distinct().ToList();
        var users = await (from u in db.Users.AsNoTracking()
                           where people.Contains(u.Id)
                           join d in db.Departments on u.DepartmentId equals d.Id into dept
                           from d in dept.DefaultIfEmpty()
                           select new { u.Id, u.DisplayName, Department = d == null ? null : d.Name })
            .ToDictionaryAsync(u => u.Id, ct);
        string Name(string userId, string fallback) => users.TryGetValue(userId, out var u) ? u.DisplayName : fallback;
        string? Dept(string userId) => users.TryGetValue(userId, out var u) ? u.Department : null;

        var sheet = signOffs
            .Select(o => SheetEntry.Of(o, id => Name(id, id), Dept))
            .Concat(Submissions(submissions.Where(e => e.Action is "section.submit" or "section.withdraw").ToList(), route.Stages[0].Key, e => Name(e.ActorId, e.ActorName), e => Dept(e.ActorId)))
            .Concat(await OperationsAsync(db, id, submissions.Where(e => e.Action is not ("section.submit" or "section.withdraw")).ToList(), route, taskRows, e => Name(e.ActorId, e.ActorName), e => Dept(e.ActorId), ct))
            .OrderBy(e => e.At)
            .ToList();

        return new SectionContext
        {
            Row = row,
            Node = node,
            ReportTitle = reportTitle,
            Route = route,
            Content = content,
            Missing = PlaceholderScanner.Find(content),
            Versions = [.. versions.Select(v => new VersionRow(v.Number, v.AuthorId, Name(v.AuthorId, v.AuthorId), v.CreatedAt, v.Note, v.Length))],
            Sheet = sheet,
            MyTask = myTask,
            TaskRows = taskRows,
            SignOffRows = signOffs,
            MoveRows = moveRows,
            Names = users.ToDictionary(u => u.Key, u => u.Value.DisplayName),
            DepartmentNames = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.Name, ct),
            Proxies = windows.GroupBy(w => w.UserId).ToDictionary(g => g.Key, g => Name(g.First().ProxyId, g.First().ProxyId)),
            ReportCreatedById = report.CreatedById,
        };
    }

    /// <summary>
    /// Operations on tasks from the audit trail as sheet entries at the stage they happened: 转办, 委派, 加签 (with its
    /// position), 减签 and 撤销 (with its reason), the actor and the other person as the entry kept them on the day.
    /// </summary>
    private static async Task<List<SheetEntry>> OperationsAsync(WorkflowDbContext db, Guid sectionId, List<AuditEntry> entries, RouteDefinition route, List<SectionTask> tasks, Func<AuditEntry, string> name, Func<AuditEntry, string?> department, CancellationToken ct)
    {
        var parsed = new List<(AuditEntry Entry, string Kind, int Stage, string? TargetId, string? TargetName, string? Position, string? Note, string Branch, string Who, string? Where, int Version)>();
        foreach (var e in entries)
        {
            using var data = JsonDocument.Parse(e.Data);
            var root = data.RootElement;
            string? Str(JsonElement parent, string property) => parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var details = root.TryGetProperty("details", out var d) ? d : default;
            var stage = route.IndexOf(Str(root, "stageBefore") ?? "");
            var version = root.TryGetProperty("version", out var v) && v.TryGetInt32(out var n) ? n : 0;
            var signer = root.TryGetProperty("signer", out var sg) ? sg : default;
            var who = Str(signer, "name") ?? name(e);
            var where = signer.ValueKind == JsonValueKind.Object ? Str(signer, "department") : department(e);
            var taskId = Guid.TryParse(Str(details, "taskId"), out var t) ? t : (Guid?)null;
            var branch = tasks.FirstOrDefault(x => x.Id == taskId)?.Branch ?? "";
            string kind;
            string? targetId = Str(details, "toId");
            switch (e.Action)
            {
                case "section.transfer": kind = "transferred"; break;
                case "section.delegate": kind = "delegated"; break;
                case "section.add-signer": kind = "signer-added"; break;
                case "section.remove-signer":
                    kind = "signer-removed";
                    var removed = Guid.TryParse(Str(details, "signer"), out var r) ? tasks.FirstOrDefault(x => x.Id == r) : null;
                    targetId = removed?.AssigneeId;
                    branch = removed?.Branch ?? branch;
                    break;
                default: kind = "cancelled"; break;
            }

            parsed.Add((e, kind, Math.Max(stage, 0), targetId, Str(details, "toName"), Str(details, "position"), kind == "cancelled" ? Str(details, "reason") : Str(details, "note"), branch, who, where, version));
        }

        var ids = parsed.Where(p => p.TargetId is not null).Select(p => p.TargetId!).Distinct().ToList();
        var names = ids.Count == 0 ? [] : await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        // The name a person signed with at this section, when they signed: as they were on the day.
        var kept = ids.Count == 0 ? [] : (await db.SignOffs.AsNoTracking().Where(o => ids.Contains(o.ActorId) && o.ActorName != null && o.SectionId == sectionId)
            .Select(o => new { o.ActorId, o.ActorName }).ToListAsync(ct)).GroupBy(o => o.ActorId).ToDictionary(g => g.Key, g => g.First().ActorName!);
        return [.. parsed.Select(p => new SheetEntry(p.Stage, p.Kind, p.Note, p.Entry.ActorId, p.Who, p.Where, p.Entry.At, p.Version, 0, false)
        {
            Branch = p.Branch,
            // The name kept with the entry (entries from before it was kept: the name they signed this section with, else today's).
            Target = p.TargetName ?? (p.TargetId is null ? null : kept.GetValueOrDefault(p.TargetId) ?? names.GetValueOrDefault(p.TargetId) ?? p.TargetId),
            Position = p.Position,
        })];
    }

    /// <summary>
    /// The author's submissions (送审) as sheet entries at the drafting stage, and withdrawals (撤回) back to the author,
    /// which void the submission they undo (it stays on the sheet, marked superseded).
    /// </summary>
    private static IEnumerable<SheetEntry> Submissions(List<AuditEntry> entries, string draftStage, Func<AuditEntry, string> name, Func<AuditEntry, string?> department)
    {
        var sheet = new List<SheetEntry>();
        foreach (var e in entries)
        {
            using var data = JsonDocument.Parse(e.Data);
            var root = data.RootElement;
            var version = root.TryGetProperty("version", out var v) && v.TryGetInt32(out var n) ? n : 0;
            var opinion = root.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.Object && d.TryGetProperty("opinion", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
            // The submitter as the entry kept them on the day (entries from before that show today's name).
            var kept = root.TryGetProperty("signer", out var signer) && signer.ValueKind == JsonValueKind.Object;
            var who = kept && signer.TryGetProperty("name", out var n1) && n1.ValueKind == JsonValueKind.String ? n1.GetString()! : name(e);
            var where = kept ? (signer.TryGetProperty("department", out var d1) && d1.ValueKind == JsonValueKind.String ? d1.GetString() : null) : department(e);
            if (e.Action == "section.submit")
            {
                sheet.Add(new SheetEntry(0, "submitted", opinion, e.ActorId, who, where, e.At, version, 0, false));
            }
            else if (root.TryGetProperty("stageAfter", out var after) && after.GetString() == draftStage)
            {
                var last = sheet.FindLastIndex(x => x.Kind == "submitted" && !x.Dismissed);
                if (last >= 0)
                {
                    sheet[last] = sheet[last] with { Dismissed = true };
                }

                sheet.Add(new SheetEntry(0, "withdrawn", opinion, e.ActorId, who, where, e.At, version, 0, false));
            }
        }

        return sheet;
    }

    /// <summary>The text cut into plain stretches and missing figures (X, XX…), so the page can mark the latter.</summary>
    public IEnumerable<(string Text, bool Missing)> Segments()
    {
        var at = 0;
        foreach (var p in Missing)
        {
            if (p.Index > at)
            {
                yield return (Content[at..p.Index], false);
            }

            yield return (Content.Substring(p.Index, p.Length), true);
            at = p.Index + p.Length;
        }

        if (at < Content.Length)
        {
            yield return (Content[at..], false);
        }
    }

    /// <summary>
    /// The tracked changes from version <paramref name="from"/> to <paramref name="to"/>, credited to their makers, with
    /// each maker's colour slot (in order of first appearance) and name for the legend.
    /// </summary>
    public async Task<TrackedView> TrackedAsync(WorkflowDbContext db, int from, int to, CancellationToken ct)
    {
        (from, to) = from <= to ? (from, to) : (to, from);
        // Past the step limit only the two ends are compared, so only they are read.
        var walk = to - from <= TrackedChanges.MaxSteps;
        var texts = await db.SectionVersions.AsNoTracking()
            .Where(v => v.SectionId == Row.Id && (walk ? v.Number >= from && v.Number <= to : v.Number == from || v.Number == to))
            .OrderBy(v => v.Number)
            .Select(v => new AuthoredText(v.Content, v.AuthorId))
            .ToListAsync(ct);
        var runs = TrackedChanges.Compute(texts);
        var makers = runs.Where(r => r.AuthorId is not null).Select(r => r.AuthorId!).Distinct().ToList();
        var names = Versions.GroupBy(v => v.AuthorId).ToDictionary(g => g.Key, g => g.First().AuthorName);
        return new TrackedView(from, to, runs, makers.Select((m, i) => new Maker(m, names.GetValueOrDefault(m, m), i % TrackedView.Colours)).ToList());
    }
}

public sealed record Maker(string Id, string Name, int Colour);

/// <summary>A rendered comparison: the runs and who made them, each with a colour slot (a0…a5 in the stylesheet).</summary>
public sealed record TrackedView(int From, int To, IReadOnlyList<TrackedRun> Runs, IReadOnlyList<Maker> Makers)
{
    public const int Colours = 6;

    /// <summary>What is compared, when it is not two versions of a section (two finals of a report).</summary>
    public string? Caption { get; init; }

    /// <summary>What to say when nothing changed, when it is not two versions of a section.</summary>
    public string? Unchanged { get; init; }

    public int ColourOf(string? maker) => Makers.FirstOrDefault(m => m.Id == maker)?.Colour ?? 0;

    public bool HasChanges => Runs.Any(r => r.Op != DiffOp.Equal);
}
