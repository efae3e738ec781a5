using System.Collections.Immutable;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Engine;
using Workflow.Activities.Routes;
using Workflow.Host.Infrastructure;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Workflow;

public sealed record UserRef(string Id, string UserName, string DisplayName);

/// <summary>Directory look-ups: who holds a role, who heads a department, who may hold each stage.</summary>
public sealed class UserDirectory(WorkflowDbContext db, ILookupNormalizer normalizer)
{
    public async Task<Participants> ParticipantsAsync(RouteDefinition route, Section section, CancellationToken ct)
    {
        var stages = ImmutableArray.CreateBuilder<ImmutableArray<string>>();
        stages.Add([section.AuthorId ?? ""]);
        foreach (var stage in route.Stages.Skip(1))
        {
            var ids = stage.Assignee.Kind switch
            {
                AssigneeKind.DepartmentHead => section.DepartmentId is { } dept
                    ? await InRole(Roles.DepartmentHead).Where(u => u.DepartmentId == dept).Select(u => u.Id).ToListAsync(ct)
                    : [],
                AssigneeKind.Role => await InRole(stage.Assignee.Role!).Select(u => u.Id).ToListAsync(ct),
                AssigneeKind.Users => await UsersNamed(stage.Assignee.Users, ct),
                _ => [],
            };
            stages.Add([.. ids.Order(StringComparer.Ordinal)]);
        }

        return new Participants(stages.ToImmutable());
    }

    /// <summary>
    /// User names are matched as sign-in matches them, through Identity's normalized name, so a route naming
    /// "Committee.Deputy" finds the same person on every database whatever its collation.
    /// </summary>
    private async Task<List<string>> UsersNamed(IEnumerable<string> names, CancellationToken ct)
    {
        var normalized = names.Select(n => normalizer.NormalizeName(n)).ToList();
        return await ActiveUsers().Where(u => normalized.Contains(u.NormalizedUserName!)).Select(u => u.Id).ToListAsync(ct);
    }

    public IQueryable<AppUser> InRole(string role) =>
        from u in ActiveUsers()
        join ur in db.UserRoles on u.Id equals ur.UserId
        join r in db.Roles on ur.RoleId equals r.Id
        where r.Name == role
        select u;

    public async Task<Dictionary<string, UserRef>> NamesAsync(IEnumerable<string?> ids, CancellationToken ct)
    {
        var wanted = ids.Where(i => !string.IsNullOrEmpty(i)).Distinct().ToList();
        return await db.Users.AsNoTracking()
            .Where(u => wanted.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => new UserRef(u.Id, u.UserName!, u.DisplayName), ct);
    }

    /// <summary>The acting person as a sign-off sheet keeps them: name, roles and department name as of now.</summary>
    public async Task<Signer> SignerAsync(CurrentUser user, CancellationToken ct)
    {
        var department = user.DepartmentId is { } id
            ? await db.Departments.AsNoTracking().Where(d => d.Id == id).Select(d => d.Name).FirstOrDefaultAsync(ct)
            : null;
        return new Signer(user.Id, user.DisplayName, string.Join(',', user.Roles.Order(StringComparer.Ordinal)), department);
    }

    private IQueryable<AppUser> ActiveUsers() => db.Users.Where(u => !u.Disabled);
}

/// <summary>A person as they were at a decision, kept with it so that later renames do not rewrite it.</summary>
public sealed record Signer(string UserId, string Name, string Roles, string? Department);
