using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Documents;
using Workflow.Host.Features.Auth;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Reports;

/// <summary>Builds the outline of a report as one user may see it, with who holds each section now.</summary>
public sealed class SectionViews(WorkflowDbContext db, RouteCatalog routes, UserDirectory directory)
{
    public async Task<IReadOnlyList<SectionNode>> OutlineAsync(Guid reportId, CurrentUser user, Guid? onlySection, CancellationToken ct)
    {
        var query = db.Sections.AsNoTracking().Where(s => s.ReportId == reportId);
        if (onlySection is { } only)
        {
            query = query.Where(s => s.Id == only);
        }

        var held = await SectionAccess.TaskSectionsAsync(db, user, reportId, ct);
        // One section asked for by a caller that checked access already (a proxy reads it through their principal).
        var sections = (await query.ToListAsync(ct))
            .Where(s => onlySection is not null || s.IsGroup || user.CanSeeDepartment(s.DepartmentId) || held.Contains(s.Id))
            .OrderBy(s => SectionKinds.Place(s.Kind))
            .ThenBy(s => s.Ordinal)
            .ToList();
        var ids = sections.Select(s => s.Id).ToList();
        var pending = await db.Tasks.AsNoTracking()
            .Where(t => ids.Contains(t.SectionId) && t.Status == Activities.Engine.WorkTaskStatus.Pending)
            .OrderBy(t => t.Ordinal)
            .ToListAsync(ct);
        var contents = await db.SectionVersions.AsNoTracking()
            .Where(v => ids.Contains(v.SectionId) && db.Sections.Any(s => s.Id == v.SectionId && s.CurrentVersion == v.Number))
            .ToDictionaryAsync(v => v.SectionId, v => v.Content, ct);
        var departments = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Id, d => new DepartmentDto(d.Id, d.Code, d.Name), ct);
        var names = await directory.NamesAsync(sections.Select(s => s.AuthorId).Concat(pending.Select(p => p.AssigneeId)), ct);

        var nodes = new List<SectionNode>();
        foreach (var s in sections)
        {
            if (s.IsGroup)
            {
                nodes.Add(new SectionNode(s.Id, s.ParentId, s.Ordinal, s.Number, s.Title, true, null, null, null, null, null, null, null, [], 0));
                continue;
            }

            var route = await routes.FindAsync(db, s.RouteDefinitionId, s.RouteVersion, ct);
            var stage = route?.Stages[s.StageIndex];
            nodes.Add(new SectionNode(
                s.Id,
                s.ParentId,
                s.Ordinal,
                s.Number,
                s.Title,
                false,
                s.DepartmentId is { } d && departments.TryGetValue(d, out var dept) ? dept : null,
                s.AuthorId is { } a && names.TryGetValue(a, out var author) ? author : null,
                stage?.Key,
                stage?.Name,
                s.Status,
                s.CurrentVersion,
                s.CurrentHash,
                [.. pending.Where(p => p.SectionId == s.Id && names.ContainsKey(p.AssigneeId))
                    .Select(p => new PendingHolder(p.AssigneeId, names[p.AssigneeId].UserName, names[p.AssigneeId].DisplayName, p.DueAt))],
                PlaceholderScanner.Find(contents.GetValueOrDefault(s.Id, "")).Count,
                s.Kind));
        }

        return nodes;
    }
}
