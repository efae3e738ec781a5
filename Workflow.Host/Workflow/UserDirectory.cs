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
public sealed class UserDirectory(WorkflowDbContext db, ILookupNormalizer normalizer, TimeProvider clock)
{
    /// <summary>
    /// Who may hold each stage now, branch by branch: a review stage or a role has a branch per person; a countersign
    /// has a branch per named department (any of its heads decides for it) or named person; a sequential stage a
    /// branch per named person, in order. Named people who are missing or disabled keep their branch, with nobody
    /// to hold it, so the stage's rules (clerk, skip, deputy) or a refusal say what happens.
    /// </summary>
    public async Task<Participants> ParticipantsAsync(RouteDefinition route, Section section, CancellationToken ct)
    {
        var stages = ImmutableArray.CreateBuilder<ImmutableArray<Branch>>();
        stages.Add([Branch.Person(section.AuthorId ?? "")]);
        var deputies = ImmutableDictionary.CreateBuilder<int, string>();
        for (var i = 1; i < route.Stages.Length; i++)
        {
            var stage = route.Stages[i];
            var branches = new List<Branch>();
            foreach (var assignee in stage.Kind == ActivityKind.Countersign ? stage.Branches : [stage.Assignee])
            {
                branches.AddRange(await BranchesAsync(assignee, section, ct));
            }

            stages.Add([.. branches]);
            if (stage.Deputy is { } deputy && (await UsersNamed([deputy], ct)).FirstOrDefault() is { } deputyId)
            {
                deputies[i] = deputyId;
            }
        }

        var clerk = await db.Reports.AsNoTracking().Where(r => r.Id == section.ReportId).Select(r => r.CreatedById).FirstOrDefaultAsync(ct);
        return new Participants(stages.ToImmutable()) { ClerkId = clerk, Deputies = deputies.ToImmutable(), ProxiesOf = await ProxiesAsync(route.DefinitionId, ct) };
    }

    /// <summary>委托 windows in force now for this route (all routes, or this one listed), whose proxy is still active.</summary>
    public async Task<ImmutableDictionary<string, ImmutableArray<string>>> ProxiesAsync(string routeId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var windows = await (
                from w in db.ProxyWindows.AsNoTracking().Where(ProxyWindow.InForceAt(now))
                join p in ActiveUsers() on w.ProxyId equals p.Id
                select new { w.UserId, w.ProxyId, w.Routes })
            .ToListAsync(ct);
        return windows
            .Where(w => ProxyWindow.Covers(w.Routes, routeId))
            .GroupBy(w => w.UserId)
            .ToImmutableDictionary(g => g.Key, g => g.Select(w => w.ProxyId).Distinct().ToImmutableArray());
    }

    private async Task<IEnumerable<Branch>> BranchesAsync(Assignee assignee, Section section, CancellationToken ct)
    {
        switch (assignee.Kind)
        {
            case AssigneeKind.DepartmentHead:
                var heads = section.DepartmentId is { } dept
                    ? await InRole(Roles.DepartmentHead).Where(u => u.DepartmentId == dept).Select(u => u.Id).ToListAsync(ct)
                    : [];
                return heads.Order(StringComparer.Ordinal).Select(Branch.Person);
            case AssigneeKind.Role:
                return (await InRole(assignee.Role!).Select(u => u.Id).ToListAsync(ct)).Order(StringComparer.Ordinal).Select(Branch.Person);
            case AssigneeKind.Users:
                var normalized = assignee.Users.Select(n => normalizer.NormalizeName(n)).ToList();
                var found = await ActiveUsers().Where(u => normalized.Contains(u.NormalizedUserName!)).Select(u => new { u.Id, u.NormalizedUserName, u.DisplayName }).ToListAsync(ct);
                return assignee.Users.Select(name =>
                {
                    var user = found.FirstOrDefault(u => u.NormalizedUserName == normalizer.NormalizeName(name));
                    return user is null ? new Branch(name, name, []) : new Branch(name, user.DisplayName, [user.Id]);
                });
            case AssigneeKind.DepartmentHeads:
                var departments = await db.Departments.AsNoTracking().Where(d => assignee.Departments.Contains(d.Code)).Select(d => new { d.Id, d.Code, d.Name }).ToListAsync(ct);
                var branches = new List<Branch>();
                foreach (var code in assignee.Departments)
                {
                    var d = departments.FirstOrDefault(x => x.Code == code);
                    var ids = d is null ? [] : await InRole(Roles.DepartmentHead).Where(u => u.DepartmentId == d.Id).Select(u => u.Id).ToListAsync(ct);
                    branches.Add(new Branch(code, d?.Name ?? code, [.. ids.Order(StringComparer.Ordinal)]));
                }

                return branches;
            default:
                return [];
        }
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

    /// <summary>Active people other than <paramref name="exceptId"/> for a picker: user name and "name（department）", by department then name.</summary>
    public async Task<List<(string UserName, string Label)>> PeopleAsync(string exceptId, CancellationToken ct)
    {
        var people = await (from u in ActiveUsers().AsNoTracking()
                            where u.Id != exceptId
                            join d in db.Departments on u.DepartmentId equals d.Id into dept
                            from d in dept.DefaultIfEmpty()
                            select new { u.UserName, u.DisplayName, Department = d == null ? null : d.Name })
            .ToListAsync(ct);
        return [.. people.OrderBy(p => p.Department ?? "", StringComparer.Ordinal).ThenBy(p => p.DisplayName, StringComparer.Ordinal)
            .Select(p => (p.UserName!, p.Department is null ? p.DisplayName : $"{p.DisplayName}（{p.Department}）"))];
    }

    /// <summary>The id of the active user with this name (matched as sign-in matches it), or null.</summary>
    /// <summary>The ids of the active people holding a role.</summary>
    public async Task<List<string>> InRoleAsync(string role, CancellationToken ct) => await InRole(role).Select(u => u.Id).ToListAsync(ct);

    public async Task<string?> IdOfAsync(string userName, CancellationToken ct) => (await UsersNamed([userName], ct)).FirstOrDefault();

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
