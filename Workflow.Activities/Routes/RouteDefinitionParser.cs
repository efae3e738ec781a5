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

        return errors.Count > 0
            ? new RouteParseResult(null, [.. errors])
            : new RouteParseResult(new RouteDefinition(id!, version, name, stages.ToImmutable()), []);
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
            _ => null,
        };
        if (kindText is not null && kind is null)
        {
            errors.Add($"{path}.kind: unknown activity kind '{kindText}'; known kinds are 'draft' and 'review'");
        }

        var assignee = kind == ActivityKind.Draft
            ? new Assignee(AssigneeKind.SectionAuthor)
            : ParseAssignee(s, path, errors);
        var quorum = ParseQuorum(s, path, errors);
        if (kind == ActivityKind.Draft && quorum != Quorum.Any)
        {
            errors.Add($"{path}.quorum: a draft stage is done by the section's author alone; leave quorum out");
        }

        if (assignee is not null && quorum is not null)
        {
            CheckQuorumReachable(assignee, quorum, path, errors);
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

        return errors.Count > before || kind is null || assignee is null || quorum is null
            ? null
            : new StageDefinition(key!, name, kind.Value, assignee, quorum, deadline, block);
    }

    private static Assignee? ParseAssignee(JsonElement s, string path, List<string> errors)
    {
        if (!s.TryGetProperty("assignee", out var a) || a.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}.assignee: required for a review stage, e.g. {{ \"type\": \"departmentHead\" }}");
            return null;
        }

        var type = ReadString(a, "type", path + ".assignee", errors, required: true);
        switch (type)
        {
            case null:
                return null;
            case "sectionAuthor":
                errors.Add($"{path}.assignee.type: a review stage cannot be held by the section's author (nobody approves their own text)");
                return null;
            case "departmentHead":
                return new Assignee(AssigneeKind.DepartmentHead);
            case "role":
                var role = ReadString(a, "role", path + ".assignee", errors, required: true);
                return role is null ? null : new Assignee(AssigneeKind.Role, role);
            case "users":
                if (!a.TryGetProperty("users", out var u) || u.ValueKind != JsonValueKind.Array)
                {
                    errors.Add($"{path}.assignee.users: required, an array of user names");
                    return null;
                }

                var names = u.EnumerateArray()
                    .Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()!.Trim() : "")
                    .ToImmutableArray();
                if (names.Any(string.IsNullOrEmpty))
                {
                    errors.Add($"{path}.assignee.users: every entry must be a non-empty user name");
                    return null;
                }

                if (names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Length)
                {
                    errors.Add($"{path}.assignee.users: a user is listed twice");
                    return null;
                }

                return new Assignee(AssigneeKind.Users, null, names);
            default:
                errors.Add($"{path}.assignee.type: unknown assignee type '{type}'; use 'departmentHead', 'role' or 'users'");
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
                return new Quorum(false, count);
            }

            errors.Add($"{path}.quorum.atLeast: must be at least 1 (got {count}); a stage nobody needs to approve can never complete meaningfully");
            return null;
        }

        errors.Add($"{path}.quorum: use \"any\", \"all\" or {{ \"atLeast\": N }}");
        return null;
    }

    private static void CheckQuorumReachable(Assignee assignee, Quorum quorum, string path, List<string> errors)
    {
        if (quorum.All)
        {
            return;
        }

        var max = assignee.Kind switch
        {
            AssigneeKind.SectionAuthor => 1,
            AssigneeKind.Users => assignee.Users.Length,
            _ => int.MaxValue,
        };
        if (quorum.AtLeast > max)
        {
            errors.Add($"{path}.quorum: needs at least {quorum.AtLeast} approvals but only {max} user(s) can hold this stage's tasks");
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
