using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;

namespace Workflow.Activities.Routes;

public sealed record RouteParseResult(RouteDefinition? Route, ImmutableArray<string> Errors)
{
    public bool IsValid => Route is not null;
}

/// <summary>
/// Reads a route definition from JSON and validates it, collecting every problem with its JSON path
/// so an administrator can fix a definition in one go rather than one error at a time.
/// </summary>
public static partial class RouteDefinitionParser
{
    public const int MaxStages = 20;
    public const int MaxNameLength = 200;
    public const int MaxSignerDepth = 5;
    public const int MaxBranches = 20;

    /// <summary>A review deadline beyond a year is a typo, and unbounded ones overflow date arithmetic.</summary>
    public static readonly TimeSpan MaxDeadline = TimeSpan.FromDays(366);

    public static RouteParseResult Parse(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            return Fail($"$: not valid JSON ({ex.Message})");
        }

        using (doc)
        {
            return Parse(doc.RootElement);
        }
    }

    public static RouteParseResult Parse(JsonElement root)
    {
        var errors = new List<string>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail("$: a route definition must be a JSON object");
        }

        var id = ReadString(root, "definitionId", "$", errors, required: true);
        if (id is not null && !DefinitionIdPattern().IsMatch(id))
        {
            errors.Add("$.definitionId: use 1-64 lowercase letters, digits and '-', starting with a letter");
        }

        var version = 0;
        if (!root.TryGetProperty("version", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out version) || version < 1)
        {
            errors.Add("$.version: required, a whole number of at least 1");
        }

        var name = ReadString(root, "name", "$", errors, required: false) ?? id ?? "";
        if (name.Length > MaxNameLength)
        {
            errors.Add($"$.name: at most {MaxNameLength} characters");
        }

        var stages = ImmutableArray.CreateBuilder<StageDefinition>();
        if (!root.TryGetProperty("stages", out var stagesEl) || stagesEl.ValueKind != JsonValueKind.Array)
        {
            errors.Add("$.stages: required, an array of stages");
        }
        else if (stagesEl.GetArrayLength() == 0)
        {
            errors.Add("$.stages: the route is empty; it needs a draft stage followed by at least one review stage");
        }
        else if (stagesEl.GetArrayLength() > MaxStages)
        {
            errors.Add($"$.stages: at most {MaxStages} stages are allowed");
        }
        else
        {
            var keys = new HashSet<string>(StringComparer.Ordinal);
            var i = 0;
            foreach (var s in stagesEl.EnumerateArray())
            {
                // Checked on the raw key so a duplicate is reported even when the stage has other errors.
                if (s.ValueKind == JsonValueKind.Object && s.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String
                    && !keys.Add(k.GetString()!.Trim()))
                {
                    errors.Add($"$.stages[{i}].key: duplicate stage key '{k.GetString()!.Trim()}'");
                }

                var stage = ParseStage(s, $"$.stages[{i}]", errors);
                if (stage is not null)
                {
                    stages.Add(stage);
                }

                i++;
            }

            if (stages.Count == stagesEl.GetArrayLength())
            {
                if (stages[0].Kind != ActivityKind.Draft)
                {
                    errors.Add("$.stages[0].kind: the first stage must be a draft stage");
                }

                for (var k = 1; k < stages.Count; k++)
                {
                    if (stages[k].Kind == ActivityKind.Draft)
                    {
                        errors.Add($"$.stages[{k}].kind: only the first stage may be a draft stage");
                    }
                }

                if (stages.Count < 2)
                {
                    errors.Add("$.stages: a route needs at least one review stage after the draft stage");
                }
            }
        }

        var resubmitTo = ReadEnum(root, "resubmitTo", "$", errors, ResubmitTo.Rerun, ("rerun", ResubmitTo.Rerun), ("returner", ResubmitTo.Returner));
        var depth = RouteDefinition.DefaultMaxSignerDepth;
        if (root.TryGetProperty("maxSignerDepth", out var d) && (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out depth) || depth is < 0 or > MaxSignerDepth))
        {
            errors.Add($"$.maxSignerDepth: a whole number from 0 (nobody may add signers) to {MaxSignerDepth}");
        }

        return errors.Count > 0
            ? new RouteParseResult(null, [.. errors])
            : new RouteParseResult(new RouteDefinition(id!, version, name, stages.ToImmutable()) { ResubmitTo = resubmitTo, MaxSignerDepth = depth }, []);
    }

    private static StageDefinition? ParseStage(JsonElement s, string path, List<string> errors)
    {
        if (s.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: a stage must be an object");
            return null;
        }

        var before = errors.Count;
        var key = ReadString(s, "key", path, errors, required: true);
        if (key is not null && !StageKeyPattern().IsMatch(key))
        {
            errors.Add($"{path}.key: use 1-32 letters, digits, '-' or '_', starting with a letter");
        }

        var name = ReadString(s, "name", path, errors, required: false) ?? key ?? "";
        if (name.Length > MaxNameLength)
        {
            errors.Add($"{path}.name: at most {MaxNameLength} characters");
        }

        var kindText = ReadString(s, "kind", path, errors, required: true);
        ActivityKind? kind = kindText switch
        {
            null => null,
            "draft" => ActivityKind.Draft,
            "review" => ActivityKind.Review,
            "countersign" => ActivityKind.Countersign,
            "sequential" => ActivityKind.Sequential,
            _ => null,
        };
        if (kindText is not null && kind is null)
        {
            errors.Add($"{path}.kind: unknown activity kind '{kindText}'; known kinds are 'draft', 'review', 'countersign' and 'sequential'");
        }

        ImmutableArray<Assignee> branches = [];
        Assignee? assignee = kind switch
        {
            ActivityKind.Draft => new Assignee(AssigneeKind.SectionAuthor),
            ActivityKind.Countersign => (branches = ParseBranches(s, path, errors)).IsDefaultOrEmpty ? null : branches[0],
            ActivityKind.Sequential => ParseSequence(s, path, errors),
            ActivityKind.Review => ParseAssignee(s, "assignee", path, errors),
            _ => null,
        };
        var quorum = ParseQuorum(s, path, errors);
        if (kind == ActivityKind.Draft && quorum != Quorum.Any)
        {
            errors.Add($"{path}.quorum: a draft stage is done by the section's author alone; leave quorum out");
        }

        if (kind == ActivityKind.Sequential && s.TryGetProperty("quorum", out _) && quorum is not null && !quorum.All)
        {
            errors.Add($"{path}.quorum: everyone in a sequential stage approves in turn; leave quorum out or use \"all\"");
        }

        quorum = kind == ActivityKind.Sequential ? Quorum.Everyone : quorum;
        if (assignee is not null && quorum is not null)
        {
            CheckQuorumReachable(kind == ActivityKind.Countersign ? branches : [assignee], quorum, path, errors);
        }

        TimeSpan? deadline = null;
        var deadlineText = ReadString(s, "deadline", path, errors, required: false);
        if (deadlineText is not null)
        {
            try
            {
                deadline = XmlConvert.ToTimeSpan(deadlineText);
                if (deadline <= TimeSpan.Zero || deadline > MaxDeadline)
                {
                    errors.Add($"{path}.deadline: must be a positive ISO 8601 duration of at most {MaxDeadline.Days} days, such as 'P3D' or 'PT12H'");
                }
            }
            catch (Exception ex) when (ex is FormatException or OverflowException)
            {
                errors.Add($"{path}.deadline: '{deadlineText}' is not an ISO 8601 duration such as 'P3D' or 'PT12H'");
            }
        }

        var block = false;
        if (s.TryGetProperty("blockOnPlaceholders", out var b))
        {
            if (b.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                errors.Add($"{path}.blockOnPlaceholders: true or false");
            }
            else if (kind == ActivityKind.Draft && b.GetBoolean())
            {
                errors.Add($"{path}.blockOnPlaceholders: only a review stage approves, so only a review stage can block on missing figures");
            }
            else
            {
                block = b.GetBoolean();
            }
        }

        var onReturn = ReadEnum(s, "onBranchReturn", path, errors, BranchReturn.ReturnSection, ("returnSection", BranchReturn.ReturnSection), ("countAsRefusal", BranchReturn.CountAsRefusal));
        if (s.TryGetProperty("onBranchReturn", out _) && kind != ActivityKind.Countersign)
        {
            errors.Add($"{path}.onBranchReturn: only a countersign stage has branches");
        }

        var whenNobody = ReadEnum(s, "whenNobody", path, errors, WhenNobody.Refuse, ("refuse", WhenNobody.Refuse), ("clerk", WhenNobody.Clerk));
        var (whenSubmitter, deputy) = ParseWhenSubmitter(s, path, errors);
        if (kind == ActivityKind.Draft && (s.TryGetProperty("whenNobody", out _) || s.TryGetProperty("whenSubmitter", out _)))
        {
            errors.Add($"{path}: a draft stage is held by the section's author; whenNobody and whenSubmitter belong to review stages");
        }

        return errors.Count > before || kind is null || assignee is null || quorum is null
            ? null
            : new StageDefinition(key!, name, kind.Value, assignee, quorum, deadline, block)
            {
                Branches = branches.IsDefault ? [] : branches,
                OnBranchReturn = onReturn,
                WhenNobody = whenNobody,
                WhenSubmitter = whenSubmitter,
                Deputy = deputy,
            };
    }

    private static ImmutableArray<Assignee> ParseBranches(JsonElement s, string path, List<string> errors)
    {
        if (!s.TryGetProperty("branches", out var b) || b.ValueKind != JsonValueKind.Array || b.GetArrayLength() == 0)
        {
            errors.Add($"{path}.branches: required for a countersign stage, e.g. [{{ \"type\": \"departmentHeads\", \"departments\": [\"jiwei\", \"zuzhi\"] }}]");
            return [];
        }

        var list = ImmutableArray.CreateBuilder<Assignee>();
        var i = 0;
        foreach (var el in b.EnumerateArray())
        {
            var one = ParseAssigneeObject(el, $"{path}.branches[{i++}]", errors);
            if (one is not null)
            {
                list.Add(one);
            }
        }

        var count = list.Sum(a => a.Kind switch { AssigneeKind.DepartmentHeads => a.Departments.Length, AssigneeKind.Users => a.Users.Length, _ => 0 });
        if (count > MaxBranches)
        {
            errors.Add($"{path}.branches: at most {MaxBranches} named departments and people in one countersign");
        }

        return list.Count == b.GetArrayLength() ? list.ToImmutable() : [];
    }

    private static Assignee? ParseSequence(JsonElement s, string path, List<string> errors)
    {
        var names = ReadNames(s, "users", path, errors, "user names, in the order they approve");
        if (names is { Length: > MaxBranches })
        {
            errors.Add($"{path}.users: at most {MaxBranches} people in one sequential stage");
        }

        return names is null ? null : new Assignee(AssigneeKind.Users, null, names.Value);
    }

    private static (WhenSubmitter, string?) ParseWhenSubmitter(JsonElement s, string path, List<string> errors)
    {
        if (!s.TryGetProperty("whenSubmitter", out var w))
        {
            return (WhenSubmitter.Exclude, null);
        }

        if (w.ValueKind == JsonValueKind.String && w.GetString() is "exclude" or "skip")
        {
            return (w.GetString() == "skip" ? WhenSubmitter.Skip : WhenSubmitter.Exclude, null);
        }

        if (w.ValueKind == JsonValueKind.Object && w.TryGetProperty("deputy", out var d) && d.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(d.GetString()))
        {
            return (WhenSubmitter.Deputy, d.GetString()!.Trim());
        }

        errors.Add($"{path}.whenSubmitter: use \"exclude\", \"skip\" or {{ \"deputy\": \"user name\" }}");
        return (WhenSubmitter.Exclude, null);
    }

    private static T ReadEnum<T>(JsonElement obj, string name, string path, List<string> errors, T fallback, params (string Text, T Value)[] known)
    {
        if (!obj.TryGetProperty(name, out var el))
        {
            return fallback;
        }

        foreach (var (text, value) in known)
        {
            if (el.ValueKind == JsonValueKind.String && el.GetString() == text)
            {
                return value;
            }
        }

        errors.Add($"{path}.{name}: use {string.Join(" or ", known.Select(k => $"\"{k.Text}\""))}");
        return fallback;
    }

    private static ImmutableArray<string>? ReadNames(JsonElement obj, string name, string path, List<string> errors, string what)
    {
        if (!obj.TryGetProperty(name, out var u) || u.ValueKind != JsonValueKind.Array || u.GetArrayLength() == 0)
        {
            errors.Add($"{path}.{name}: required, a non-empty array of {what}");
            return null;
        }

        var names = u.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()!.Trim() : "").ToImmutableArray();
        if (names.Any(string.IsNullOrEmpty))
        {
            errors.Add($"{path}.{name}: every entry must be a non-empty name");
            return null;
        }

        if (names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Length)
        {
            errors.Add($"{path}.{name}: a name is listed twice");
            return null;
        }

        return names;
    }

    private static Assignee? ParseAssignee(JsonElement s, string property, string path, List<string> errors)
    {
        if (!s.TryGetProperty(property, out var a) || a.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}.{property}: required for a review stage, e.g. {{ \"type\": \"departmentHead\" }}");
            return null;
        }

        return ParseAssigneeObject(a, $"{path}.{property}", errors);
    }

    private static Assignee? ParseAssigneeObject(JsonElement a, string path, List<string> errors)
    {
        if (a.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: must be an object such as {{ \"type\": \"role\", \"role\": \"committee-member\" }}");
            return null;
        }

        var type = ReadString(a, "type", path, errors, required: true);
        switch (type)
        {
            case null:
                return null;
            case "sectionAuthor":
                errors.Add($"{path}.type: a review stage cannot be held by the section's author (nobody approves their own text)");
                return null;
            case "departmentHead":
                return new Assignee(AssigneeKind.DepartmentHead);
            case "role":
                var role = ReadString(a, "role", path, errors, required: true);
                return role is null ? null : new Assignee(AssigneeKind.Role, role);
            case "users":
                var names = ReadNames(a, "users", path, errors, "user names");
                return names is null ? null : new Assignee(AssigneeKind.Users, null, names.Value);
            case "departmentHeads":
                var codes = ReadNames(a, "departments", path, errors, "department codes");
                return codes is null ? null : new Assignee(AssigneeKind.DepartmentHeads) { Departments = codes.Value };
            default:
                errors.Add($"{path}.type: unknown assignee type '{type}'; use 'departmentHead', 'departmentHeads', 'role' or 'users'");
                return null;
        }
    }

    private static Quorum? ParseQuorum(JsonElement s, string path, List<string> errors)
    {
        if (!s.TryGetProperty("quorum", out var q))
        {
            return Quorum.Any;
        }

        if (q.ValueKind == JsonValueKind.String)
        {
            switch (q.GetString())
            {
                case "any": return Quorum.Any;
                case "all": return Quorum.Everyone;
            }
        }
        else if (q.ValueKind == JsonValueKind.Object && q.TryGetProperty("atLeast", out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var count))
        {
            if (count >= 1)
            {
                return new Quorum(QuorumKind.AtLeast, count);
            }

            errors.Add($"{path}.quorum.atLeast: must be at least 1 (got {count}); a stage nobody needs to approve can never complete meaningfully");
            return null;
        }
        else if (q.ValueKind == JsonValueKind.Object && q.TryGetProperty("percent", out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var percent))
        {
            if (percent is >= 1 and <= 100)
            {
                return new Quorum(QuorumKind.Percent, percent);
            }

            errors.Add($"{path}.quorum.percent: a whole number from 1 to 100 (got {percent})");
            return null;
        }

        errors.Add($"{path}.quorum: use \"any\", \"all\", {{ \"atLeast\": N }} or {{ \"percent\": P }}");
        return null;
    }

    private static void CheckQuorumReachable(ImmutableArray<Assignee> assignees, Quorum quorum, string path, List<string> errors)
    {
        if (quorum.Kind != QuorumKind.AtLeast)
        {
            return;
        }

        // Only named people and departments have a known number of branches; a role's holders are counted when the stage is entered.
        var max = 0;
        foreach (var a in assignees)
        {
            switch (a.Kind)
            {
                case AssigneeKind.Users: max += a.Users.Length; break;
                case AssigneeKind.DepartmentHeads: max += a.Departments.Length; break;
                default: return;
            }
        }

        if (quorum.AtLeast > max)
        {
            errors.Add($"{path}.quorum: needs at least {quorum.AtLeast} approvals but only {max} branch(es) can give one");
        }
    }

    private static string? ReadString(JsonElement obj, string name, string path, List<string> errors, bool required)
    {
        if (!obj.TryGetProperty(name, out var el) || el.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add($"{path}.{name}: required");
            }

            return null;
        }

        if (el.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(el.GetString()))
        {
            errors.Add($"{path}.{name}: must be a non-empty string");
            return null;
        }

        return el.GetString()!.Trim();
    }

    private static RouteParseResult Fail(string error) => new(null, [error]);

    [GeneratedRegex("^[a-z][a-z0-9-]{0,63}$")]
    private static partial Regex DefinitionIdPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,31}$")]
    private static partial Regex StageKeyPattern();
}
