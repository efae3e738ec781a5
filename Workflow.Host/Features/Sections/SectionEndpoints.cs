using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Documents;
using Workflow.Activities.Engine;
using Workflow.Host.Features.Import;
using Workflow.Host.Features.Reports;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Sections;

public static class SectionEndpoints
{
    public static void MapSections(this IEndpointRouteBuilder api)
    {
        api.MapGet("/sections/{id:guid}", Get);
        api.MapPut("/sections/{id:guid}/assignment", Assign).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        api.MapPost("/sections/{id:guid}/reviewers/refresh", RefreshReviewers).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        api.MapPut("/sections/{id:guid}/content", EditContent);
        api.MapGet("/sections/{id:guid}/versions", Versions);
        api.MapGet("/sections/{id:guid}/versions/{number:int}", Version);
        api.MapGet("/sections/{id:guid}/diff", Diff);
        api.MapGet("/sections/{id:guid}/signoffs", SignOffs);
    }

    /// <summary>The section if it exists and the user may read it; otherwise null (both answer 404 alike).</summary>
    internal static async Task<Section?> VisibleAsync(WorkflowDbContext db, Guid id, CurrentUser user, CancellationToken ct)
    {
        var s = await db.Sections.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        var visible = s is not null && await SectionAccess.CanReadAsync(db, user, s, ct);
        return visible ? s : null;
    }

    internal static async Task<Results<Ok<SectionDetail>, ProblemHttpResult>> Get(Guid id, HttpContext http, WorkflowDbContext db, SectionViews views, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        var s = await VisibleAsync(db, id, user, ct);
        if (s is null)
        {
            return Problems.NotFound($"Section {id}");
        }

        var node = (await views.OutlineAsync(s.ReportId, user, id, ct)).Single();
        var content = s.IsGroup ? "" : await db.SectionVersions.AsNoTracking().Where(v => v.SectionId == id && v.Number == s.CurrentVersion).Select(v => v.Content).SingleAsync(ct);
        return TypedResults.Ok(new SectionDetail(s.ReportId, node, content, s.Cycle, [.. PlaceholderScanner.Find(content).Select(PlaceholderDto.From)]));
    }

    private static Task<IResult> Assign(Guid id, AssignmentRequest request, HttpContext http, CommandExecutor executor, WorkflowDbContext db, SectionCommands commands) =>
        AssignAsync(id, request, http, executor, db, commands);

    /// <summary>
    /// Moves a section to a department and author: the one command behind PUT /api/sections/{id}/assignment and the
    /// administration page, so both check, write and audit alike.
    /// </summary>
    public static async Task<IResult> AssignAsync(Guid id, AssignmentRequest request, HttpContext http, CommandExecutor executor, WorkflowDbContext db, SectionCommands commands)
    {
        var user = CurrentUser.From(http.User);
        return await executor.ExecuteAsync(http, request, async ct =>
        {
            var assignment = await Assignment.ResolveAsync(db, request.Department, request.Author, ct);
            if (assignment.Problem is not null)
            {
                return CommandOutcome.Refused(assignment.Problem);
            }

            var current = await db.Sections.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
            if (current is not null && current.DepartmentId != assignment.Department!.Id && current.Status is not (SectionStatus.Draft or SectionStatus.Returned))
            {
                return CommandOutcome.Refused(Problems.Conflict("The section is under review; it can move to another department only while it is with its author.", "wrong-stage"));
            }

            return await commands.RunAsync(
                id,
                user,
                loaded =>
                {
                    // The department decides who reviews; set it before the engine hands the draft task on.
                    loaded.Row.DepartmentId = assignment.Department!.Id;
                    loaded.Row.AuthorId = assignment.Author!.Id;
                    return new ReassignCommand(user.Id, assignment.Author.Id);
                },
                (loaded, _) => new { loaded.Row.Id, department = assignment.Department!.Code, author = assignment.Author!.UserName },
                ct,
                _ => new { department = assignment.Department!.Code, author = assignment.Author!.UserName });
        });
    }

    /// <summary>After someone left, moved or joined: re-read who may hold the current review stage.</summary>
    private static async Task<IResult> RefreshReviewers(Guid id, HttpContext http, CommandExecutor executor, SectionCommands commands)
    {
        var user = CurrentUser.From(http.User);
        return await executor.ExecuteAsync(http, null, ct => commands.RunAsync(
            id,
            user,
            _ => new RefreshReviewersCommand(user.Id),
            (loaded, _) => SectionStateDto.From(loaded.Row, loaded.Route),
            ct));
    }

    private static Task<IResult> EditContent(Guid id, EditContentRequest request, HttpContext http, CommandExecutor executor, WorkflowDbContext db, SectionCommands commands, TimeProvider clock) =>
        EditAsync(id, request, http, executor, db, commands, clock);

    /// <summary>Saves a new version of a section's text: PUT /api/sections/{id}/content and the section page's editor.</summary>
    internal static async Task<IResult> EditAsync(Guid id, EditContentRequest request, HttpContext http, CommandExecutor executor, WorkflowDbContext db, SectionCommands commands, TimeProvider clock)
    {
        if (InvalidEdit(request) is { } invalid)
        {
            return invalid;
        }

        var user = CurrentUser.From(http.User);
        return await executor.ExecuteAsync(http, request, ct => EditCommandAsync(id, request, user, db, commands, clock, ct));
    }

    /// <summary>The checks on an edit's body before anything is loaded; null when it may go ahead.</summary>
    internal static IResult? InvalidEdit(EditContentRequest request)
    {
        if (request.Content is null || request.BaseVersion is null)
        {
            return Problems.Invalid("content", "Send content and baseVersion (the version number your edit starts from).");
        }

        if (string.IsNullOrWhiteSpace(request.Content))
        {
            return Problems.Invalid("content", "The section text cannot be empty.", "empty-content");
        }

        if (request.Content.Length > HostLimits.MaxSectionCharacters)
        {
            return Problems.TooLong("content", $"Section text is at most {HostLimits.MaxSectionCharacters:N0} characters; this one has {request.Content.Length:N0}.", HostLimits.MaxSectionCharacters);
        }

        if ((request.Note?.Length ?? 0) > HostLimits.MaxNoteCharacters)
        {
            return Problems.TooLong("note", $"A version note is at most {HostLimits.MaxNoteCharacters} characters.", HostLimits.MaxNoteCharacters);
        }

        if ((Problems.UnstorableText("content", "The section text", request.Content) ?? Problems.UnstorableText("note", "The version note", request.Note)) is { } unstorable)
        {
            return unstorable;
        }

        return null;
    }

    /// <summary>
    /// The edit itself, inside the caller's transaction (run by <see cref="CommandExecutor"/>): the engine decides,
    /// and a changed text becomes the next version. Answers an <see cref="EditContentResponse"/> when done.
    /// </summary>
    internal static Task<CommandOutcome> EditCommandAsync(Guid id, EditContentRequest request, CurrentUser user, WorkflowDbContext db, SectionCommands commands, TimeProvider clock, CancellationToken ct)
    {
        var hash = ContentHash.Of(request.Content!);
        return commands.RunAsync(
            id,
            user,
            _ => new EditCommand(user.Id, request.BaseVersion!.Value, hash, request.Note, SectionCommands.MissingFigures(request.Content!)),
            (loaded, transition) =>
            {
                var v = transition.State!.Version;
                if (v.Number != loaded.State.Version.Number)
                {
                    db.SectionVersions.Add(new SectionVersion
                    {
                        Id = Guid.NewGuid(),
                        SectionId = id,
                        Number = v.Number,
                        Content = request.Content!,
                        Hash = v.Hash,
                        AuthorId = user.Id,
                        CreatedAt = clock.GetUtcNow(),
                        Note = request.Note?.Trim(),
                    });
                }

                return new EditContentResponse(v.Number, v.Hash);
            },
            ct,
            _ => new { baseVersion = request.BaseVersion, note = request.Note });
    }

    internal static async Task<Results<Ok<List<VersionSummary>>, ProblemHttpResult>> Versions(Guid id, HttpContext http, WorkflowDbContext db, UserDirectory directory, CancellationToken ct)
    {
        if (await VisibleAsync(db, id, CurrentUser.From(http.User), ct) is null)
        {
            return Problems.NotFound($"Section {id}");
        }

        var rows = await db.SectionVersions.AsNoTracking().Where(v => v.SectionId == id).OrderBy(v => v.Number)
            .Select(v => new { v.Number, v.Hash, v.AuthorId, v.CreatedAt, v.Note, v.Content.Length })
            .ToListAsync(ct);
        var names = await directory.NamesAsync(rows.Select(r => r.AuthorId), ct);
        return TypedResults.Ok(rows.Select(r => new VersionSummary(r.Number, r.Hash, names.GetValueOrDefault(r.AuthorId), r.CreatedAt, r.Note, r.Length)).ToList());
    }

    private static async Task<Results<Ok<VersionDetail>, ProblemHttpResult>> Version(Guid id, int number, HttpContext http, WorkflowDbContext db, UserDirectory directory, CancellationToken ct)
    {
        if (await VisibleAsync(db, id, CurrentUser.From(http.User), ct) is null)
        {
            return Problems.NotFound($"Section {id}");
        }

        var v = await db.SectionVersions.AsNoTracking().FirstOrDefaultAsync(x => x.SectionId == id && x.Number == number, ct);
        if (v is null)
        {
            return Problems.NotFound($"Version {number} of section {id}");
        }

        var names = await directory.NamesAsync([v.AuthorId], ct);
        return TypedResults.Ok(new VersionDetail(v.Number, v.Hash, names.GetValueOrDefault(v.AuthorId), v.CreatedAt, v.Note, v.Content));
    }

    internal static async Task<Results<Ok<DiffResponse>, ProblemHttpResult, ValidationProblem>> Diff(Guid id, int? from, int? to, HttpContext http, WorkflowDbContext db, CancellationToken ct)
    {
        var s = await VisibleAsync(db, id, CurrentUser.From(http.User), ct);
        if (s is null)
        {
            return Problems.NotFound($"Section {id}");
        }

        var toVersion = to ?? s.CurrentVersion;
        var fromVersion = from ?? Math.Max(1, toVersion - 1);
        var texts = await db.SectionVersions.AsNoTracking()
            .Where(v => v.SectionId == id && (v.Number == fromVersion || v.Number == toVersion))
            .ToDictionaryAsync(v => v.Number, v => v.Content, ct);
        if (!texts.ContainsKey(fromVersion) || !texts.ContainsKey(toVersion))
        {
            return Problems.Invalid("from", $"Versions run from 1 to {s.CurrentVersion}; asked for {fromVersion} and {toVersion}.");
        }

        var diff = CharacterDiff.Compute(texts[fromVersion], texts[toVersion]);
        return TypedResults.Ok(new DiffResponse(fromVersion, toVersion, diff.Runs, diff.Inserted, diff.Deleted, diff.Unchanged));
    }

    internal static async Task<Results<Ok<List<SignOffDto>>, ProblemHttpResult>> SignOffs(Guid id, HttpContext http, WorkflowDbContext db, UserDirectory directory, RouteCatalog routes, CancellationToken ct)
    {
        var s = await VisibleAsync(db, id, CurrentUser.From(http.User), ct);
        if (s is null)
        {
            return Problems.NotFound($"Section {id}");
        }

        var route = await routes.FindAsync(db, s.RouteDefinitionId, s.RouteVersion, ct);
        var rows = await db.SignOffs.AsNoTracking().Where(o => o.SectionId == id).OrderBy(o => o.Ordinal).ToListAsync(ct);
        var names = await directory.NamesAsync(rows.Select(r => r.ActorId).Concat(rows.Select(r => r.OnBehalfOfId)), ct);
        return TypedResults.Ok(rows.Select(r => new SignOffDto(
            r.StageKey,
            route?.Stages.ElementAtOrDefault(r.StageIndex)?.Name ?? r.StageKey,
            r.Cycle,
            r.Decision,
            r.Opinion,
            r.VersionNumber,
            r.VersionHash,
            AsOnTheDay(r, names.GetValueOrDefault(r.ActorId)),
            r.ActorRoles,
            r.ActorDepartment,
            r.OnBehalfOfId is null ? null : names.GetValueOrDefault(r.OnBehalfOfId),
            r.At,
            r.Dismissed)).ToList());
    }

    /// <summary>The signer's name kept with the sign-off; rows from before names were kept show today's.</summary>
    private static UserRef? AsOnTheDay(global::Workflow.Persistence.Entities.SectionSignOff row, UserRef? today) =>
        row.ActorName is null ? today : new UserRef(row.ActorId, today?.UserName ?? row.ActorId, row.ActorName);
}
