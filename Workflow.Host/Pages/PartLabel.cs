using Microsoft.Extensions.Localization;
using Workflow.Activities.Documents;
using Workflow.Host.Features.Reports;

namespace Workflow.Host.Pages;

/// <summary>
/// How pages name a part of a report: a section by its number and title, the report's own parts by their kind in the
/// reader's language (标题 / 导语 / 结尾, Title / Lead / Closing) — the stored title of those is the Chinese one.
/// </summary>
public static class PartLabel
{
    public static string Of(SectionKind kind, string number, string title, IStringLocalizer text) =>
        kind == SectionKind.Body ? number + title : text["Part_" + kind];

    public static string Of(SectionNode node, IStringLocalizer text) => Of(node.Kind, node.Number, node.Title, text);

    /// <summary>The first 16 hex digits of a hash, as pages show it (the whole one goes in a title attribute).</summary>
    public static string Short(string hash) => hash.Length > 16 ? hash[..16] : hash;

    /// <summary>The roles kept with a signature (comma-separated), in the reader's language.</summary>
    public static string Roles(string? roles, IStringLocalizer text) =>
        string.Join("、", (roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(r => text["Role_" + r].Value));
}
