using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Documents;
using Workflow.Host.Features.Import;
using Workflow.Host.Features.Reports;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Features.Sections;

public static class SectionEndpoints
{
    public static void MapSections(this IEndpointRouteBuilder api)
    {
        api.MapGet("/sections/{id:guid}", Get);
        api.MapPut("/sections/{id:guid}/assignment", Assign).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        api.MapPost("/sections/{id:guid}/reviewers/refresh", Refresh).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        api.MapPut("/sections/{id:guid}/content", EditContent);
        api.MapGet("/sections/{id:guid}/versions", Versions);
        api.MapGet("/sections/{id:guid}/versions/{number:int}", Version);
        api.MapGet("/sections/{id:guid}/diff", Diff);
        api.MapGet("/sections/{id:guid}/signoffs", SignOffs);
    }

    internal static async Task<Results<Ok<SectionDetail>, ProblemHttpResult>> Get(Guid id, HttpContext http, WorkflowDbContext db, SectionViews views, TimeProvider clock, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        var s = await SectionAccess.VisibleAsync(db, id, user, ct, clock.GetUtcNow());
        if (s is null)
        {
            return Problems.NotFound($"Section {id}");
        }

        var node = (await views.OutlineAsync(s.ReportId, user, id, ct)).Single();
        var content = s.IsGroup ? "" : await db.SectionVersions.AsNoTracking().Where(v => v.SectionId == id && v.Number == s.CurrentVersion).Select(v => v.Content).SingleAsync(ct);
        return TypedResults.Ok(new SectionDetail(s.ReportId, node, content, s.Cycle, [.. PlaceholderScanner.Find(content).Select(PlaceholderDto.From)]));
    }

    private static Task<IResult> Assign(Guid id, AssignmentRequest request, HttpContext http, CommandPipeline pipeline) =>
        pipeline.SendAsync(http, new AssignSection(CurrentUser.From(http.User), id, request.Department, request.Author));

    private static Task<IResult> Refresh(Guid id, HttpContext http, CommandPipeline pipeline) =>
        pipeline.SendAsync(http, new RefreshReviewers(CurrentUser.From(http.User), id));

    private static Task<IResult> EditContent(Guid id, EditContentRequest request, HttpContext http, CommandPipeline pipeline) =>
        pipeline.SendAsync(http, new EditSection(CurrentUser.From(http.User), id, request.Content, request.BaseVersion, request.Note));

    internal static async Task<Results<Ok<List<VersionSummary>>, ProblemHttpResult>> Versions(Guid id, HttpContext http, WorkflowDbContext db, UserDirectory directory, CancellationToken ct)
    {
        if (await SectionAccess.VisibleAsync(db, id, CurrentUser.From(http.User), ct) is null)
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
        if (await SectionAccess.VisibleAsync(db, id, CurrentUser.From(http.User), ct) is null)
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
        var s = await SectionAccess.VisibleAsync(db, id, CurrentUser.From(http.User), ct);
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
        var s = await SectionAccess.VisibleAsync(db, id, CurrentUser.From(http.User), ct);
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
            r.OnBehalfOfId is null ? null : names.GetValueOrDefault(r.OnBehalfOfId) is { } principal ? principal with { DisplayName = r.OnBehalfOfName ?? principal.DisplayName } : new UserRef(r.OnBehalfOfId, r.OnBehalfOfId, r.OnBehalfOfName ?? r.OnBehalfOfId),
            r.At,
            r.Dismissed,
            r.Branch,
            r.Kind,
            r.Visit)).ToList());
    }

    /// <summary>The signer's name kept with the sign-off; rows from before names were kept show today's.</summary>
    private static UserRef? AsOnTheDay(global::Workflow.Persistence.Entities.SectionSignOff row, UserRef? today) =>
        row.ActorName is null ? today : new UserRef(row.ActorId, today?.UserName ?? row.ActorId, row.ActorName);
}
