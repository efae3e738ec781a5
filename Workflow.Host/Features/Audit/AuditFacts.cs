using System.Text.Json;
using Microsoft.Extensions.Localization;

namespace Workflow.Host.Features.Audit;

/// <summary>One fact of an audit entry as a reader sees it: a label and a value, both plain text.</summary>
public sealed record AuditFact(string Label, string Value);

/// <summary>
/// Turns the JSON an audit entry stores into readable facts (stage before → after, version, opinion, note …) and
/// gives actions their readable names. Known names come from the resources; anything else stays as stored, so a
/// new kind of entry is still shown rather than hidden.
/// </summary>
public static class AuditFacts
{
    // Shown in their own columns (section), or only machine-relevant (hashes, event names, ids).
    private static readonly HashSet<string> Hidden = new(StringComparer.Ordinal) { "section", "hash", "events", "demo", "id", "taskId" };

    public static string ActionLabel(IStringLocalizer t, string action) => Localized(t, "AuditAction_" + action, action);

    public static IReadOnlyList<AuditFact> Read(IStringLocalizer t, string data)
    {
        var facts = new List<AuditFact>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(data);
        }
        catch (JsonException)
        {
            // A row changed behind the application's back may no longer be JSON; show it as it is.
            return [new AuditFact("", data)];
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [new AuditFact("", doc.RootElement.ToString())];
            }

            Add(t, facts, doc.RootElement);
        }

        return facts;
    }

    /// <summary>Facts as one line, for the CSV export.</summary>
    public static string Line(IEnumerable<AuditFact> facts) =>
        string.Join("; ", facts.Select(f => f.Label.Length == 0 ? f.Value : f.Label + ": " + f.Value));

    private static void Add(IStringLocalizer t, List<AuditFact> facts, JsonElement obj)
    {
        var hasStages = obj.TryGetProperty("stageBefore", out var before) & obj.TryGetProperty("stageAfter", out var after);
        foreach (var p in obj.EnumerateObject())
        {
            if (Hidden.Contains(p.Name))
            {
                continue;
            }

            if (hasStages && p.Name is "stageBefore" or "stageAfter")
            {
                if (p.Name == "stageBefore")
                {
                    facts.Add(new AuditFact(Label(t, "stage"), Stage(t, before) + " → " + Stage(t, after)));
                }

                continue;
            }

            // The command's own details (opinion, note, versions) read as facts of the entry itself.
            if (p.Name == "details" && p.Value.ValueKind == JsonValueKind.Object)
            {
                Add(t, facts, p.Value);
                continue;
            }

            var value = p.Name switch
            {
                "stage" or "stageBefore" or "stageAfter" => Stage(t, p.Value),
                "status" => Localized(t, "AuditStatus_" + Text(p.Value), Text(p.Value)),
                _ => Text(p.Value),
            };
            if (value.Length > 0)
            {
                facts.Add(new AuditFact(Label(t, p.Name), value));
            }
        }
    }

    private static string Label(IStringLocalizer t, string name) => Localized(t, "AuditFact_" + name, name);

    private static string Stage(IStringLocalizer t, JsonElement v) => Localized(t, "AuditStage_" + Text(v), Text(v));

    private static string Localized(IStringLocalizer t, string key, string fallback)
    {
        var s = t[key];
        return s.ResourceNotFound ? fallback : s.Value;
    }

    private static string Text(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString() ?? "",
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
        JsonValueKind.Array => string.Join("、", v.EnumerateArray().Select(Text).Where(x => x.Length > 0)),
        _ => v.GetRawText(),
    };
}
