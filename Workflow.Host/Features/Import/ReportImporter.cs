using System.Text;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Documents;
using Workflow.Host.Features.Reports;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Import;

/// <summary>
/// Turns an uploaded report into a section tree: decode (UTF-8, GB18030, .docx), parse the outline, choose
/// the reviewed level, preview; then create every section with version 1, its draft task and audit entry.
/// </summary>
public sealed class ReportImporter(WorkflowDbContext db, RouteCatalog routes, SectionCommands commands, ReportParts parts, AuditTrail audit, TimeProvider clock)
{
    /// <summary>A .docx with pictures can be several megabytes; the text of a report is a few dozen kilobytes.</summary>
    public const int MaxImportBytes = 10 * 1024 * 1024;

    public const int MaxTextCharacters = 1_000_000;

    private static readonly byte[] ZipMagic = [0x50, 0x4B, 0x03, 0x04];

    public static (string Text, string Encoding) ReadText(byte[] bytes, string? fileName, bool markdown = false)
    {
        markdown |= fileName?.EndsWith(".md", StringComparison.OrdinalIgnoreCase) == true;
        if (bytes.Length == 0)
        {
            throw new DocumentRejectedException("empty", "The uploaded file is empty.");
        }

        if (bytes.Length > MaxImportBytes)
        {
            throw new DocumentRejectedException("too-large", $"The file is {bytes.Length / 1024:N0} KB; the limit is {MaxImportBytes / 1024 / 1024} MB.");
        }

        var docxName = fileName?.EndsWith(".docx", StringComparison.OrdinalIgnoreCase) == true;
        if (docxName || bytes.AsSpan().StartsWith(ZipMagic))
        {
            using var stream = new MemoryStream(bytes, writable: false);
            // Our own export puts 征求意见稿 above the title of a draft; it is a marking, not text of the report.
            var paragraphs = DocxReader.ReadParagraphs(stream, MaxTextCharacters).SkipWhile(p => string.IsNullOrWhiteSpace(p.Text) || p.Text.Trim() == DocxLayout.DraftMark);
            return (string.Join('\n', paragraphs.Select(p => p.Text)), "docx");
        }

        var (text, encoding) = TextDecoder.Decode(bytes);
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new DocumentRejectedException("not-text", "The file holds binary data, not text; upload a .txt, .md or .docx file.");
        }

        var lines = TextDecoder.WithoutControls(text).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        // A draft exported as text starts with its marking, which is not part of the report.
        var marking = $"【{DocxLayout.DraftMark}】\n";
        lines = lines.StartsWith(marking, StringComparison.Ordinal) ? lines[marking.Length..] : lines;
        return (markdown ? MarkdownText.ToPlain(lines) : lines, encoding);
    }

    /// <summary>The preview (dry run) of an uploaded file, as the API, the import page and the CLI make it.</summary>
    public static ImportResult PlanFromFile(byte[] bytes, string? fileName, bool markdown, int? level, bool asOneSection, string fallbackTitle)
    {
        var (text, encoding) = ReadText(bytes, fileName, markdown);
        return Preview(text, encoding, level, asOneSection, fallbackTitle);
    }

    public static ImportResult Preview(string text, string? encoding, int? level, bool asOneSection, string fallbackTitle)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new DocumentRejectedException("empty", "The document has no text.");
        }

        if (text.Length > MaxTextCharacters)
        {
            throw new DocumentRejectedException("too-large", $"The document has {text.Length:N0} characters; the limit is {MaxTextCharacters:N0}.");
        }

        var parsed = OutlineParser.Parse(text);
        if (asOneSection)
        {
            var title = parsed.Title.Length > 0 ? parsed.Title : fallbackTitle;
            var body = parsed.Title.Length > 0 && text.TrimStart().StartsWith(parsed.Title, StringComparison.Ordinal)
                ? text.TrimStart()[parsed.Title.Length..].Trim('\n')
                : text;
            var unit = new ImportUnitDto("1", null, false, 1, "", title, null, false, body, 1, [], Figures(body), null, null);
            return Checked(new ImportResult(title, "", "", encoding, 1, [1], [unit], [], 0, text, null));
        }

        if (parsed.Parts.Count == 0)
        {
            throw new DocumentRejectedException("no-outline", "No outline headings (一、 （一） 1. （1）) were found. Import the text as one section with ?asOneSection=true, or add the headings and try again.");
        }

        var levels = Levels(parsed.Parts).Distinct().Order().ToList();
        var chosen = level ?? ReviewUnits.DefaultLevel(parsed);
        if (!levels.Contains(chosen))
        {
            throw new DocumentRejectedException("invalid-level", $"The document has headings at levels {string.Join(", ", levels)}; level {chosen} cannot be the reviewed level.");
        }

        var headings = Headings(parsed.Parts).ToDictionary(s => s.Id, s => s.HeadingText);
        var units = ReviewUnits.Select(parsed, chosen).Select(u => new ImportUnitDto(
            u.Id, u.ParentId, u.IsGroup, u.Level, u.Number, u.Title, headings.GetValueOrDefault(u.Id), u.SharesLine, u.Content, u.Line, u.Items,
            u.IsGroup ? [] : Figures(u.Content), null, null)).ToList();
        var result = new ImportResult(
            parsed.Title.Length > 0 ? parsed.Title : fallbackTitle, parsed.Lead, parsed.Closing, encoding, chosen, levels, units, parsed.Warnings,
            0, text, null);
        return Checked(result);
    }

    /// <summary>
    /// Takes back a preview the clerk edited (paragraphs moved between sections, sections merged or split).
    /// Whatever the edits, the text must add up to the original, whitespace aside, so nothing is lost or invented.
    /// </summary>
    public static ImportResult FromEdited(EditedImport edited)
    {
        if (string.IsNullOrEmpty(edited.Source) || edited.Units is not { Count: > 0 })
        {
            throw new DocumentRejectedException("incomplete-outline", "An edited outline needs the original text (source) and its units, as the preview returned them.");
        }

        if (edited.Units.Any(u => u is null || string.IsNullOrEmpty(u.Id) || u.Number is null || u.Title is null))
        {
            throw new DocumentRejectedException("incomplete-outline", "Every unit needs an id, a number (may be empty) and a title, as the preview returned them.");
        }

        var units = edited.Units.Select(u => u with
        {
            Content = u.IsGroup ? "" : u.Content ?? "",
            // A unit without a number (an overview or a split-off part) has no heading in the source text.
            HeadingText = u.HeadingText ?? (u.Number.Length > 0 ? u.Number + u.Title : ""),
        }).ToList();
        // Parents come before their children, so the tree can be created in one pass in list order.
        var groups = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var u in units)
        {
            if (!seen.Add(u.Id) || (u.ParentId is not null && !groups.Contains(u.ParentId)))
            {
                throw new DocumentRejectedException("incomplete-outline", $"Unit '{u.Id}': ids must be distinct, and a parentId must name a grouping unit listed before it.");
            }

            if (u.IsGroup)
            {
                groups.Add(u.Id);
            }
        }

        // The stored heading is number + title (+ its mark), so a title may not drift from the heading text it stands for.
        var renamed = units.FirstOrDefault(u => u.HeadingText!.Length > 0 && Mark(u).Length == 0 && Squeeze(u.HeadingText) != Squeeze(u.Number + u.Title));
        if (renamed is not null)
        {
            throw new DocumentRejectedException("does-not-add-up", $"Unit '{renamed.Id}': the heading “{renamed.HeadingText!.Trim()}” does not match its number and title “{renamed.Number}{renamed.Title}”.");
        }

        if (units.Any(u => string.IsNullOrWhiteSpace(u.Title) || u.Title.Length > WorkflowDbContext.MaxTitleLength || u.Number.Length > 16))
        {
            throw new DocumentRejectedException("incomplete-outline", $"Every unit needs a title of 1 to {WorkflowDbContext.MaxTitleLength} characters and a number of at most 16.");
        }

        if (edited.Source.Length > MaxTextCharacters)
        {
            throw new DocumentRejectedException("too-large", $"The document has {edited.Source.Length:N0} characters; the limit is {MaxTextCharacters:N0}.");
        }

        var rebuilt = new StringBuilder().Append(edited.Title).Append(edited.Lead);
        foreach (var u in units)
        {
            rebuilt.Append(u.HeadingText).Append(u.Content);
        }

        rebuilt.Append(edited.Closing);
        var (original, now) = (Squeeze(edited.Source), Squeeze(rebuilt.ToString()));
        if (original != now)
        {
            var at = Enumerable.Range(0, Math.Min(original.Length, now.Length)).FirstOrDefault(i => original[i] != now[i], Math.Min(original.Length, now.Length));
            throw new DocumentRejectedException(
                "does-not-add-up",
                $"The edited outline no longer adds up to the original text ({original.Length:N0} vs {now.Length:N0} characters, whitespace aside); they part at character {at}: original “{Excerpt(original, at)}”, edited “{Excerpt(now, at)}”.");
        }

        return Checked(new ImportResult(edited.Title ?? "", edited.Lead ?? "", edited.Closing ?? "", null, edited.Level ?? 0, [], units, [], 0, edited.Source, null));
    }

    public const int MaxUnits = 500;

    /// <summary>
    /// The limits every other way of writing text keeps (a section, the lead and the closing at most
    /// MaxSectionCharacters), and one count of missing figures over exactly what will be stored.
    /// </summary>
    private static ImportResult Checked(ImportResult plan)
    {
        // The same character rule as every other way of writing text, so nothing imported can break a hash or an export.
        var texts = new[] { ("The document", plan.Source), ("The title", plan.Title), ("The lead", plan.Lead), ("The closing", plan.Closing) }
            .Concat(plan.Units.SelectMany(u => new[] { ($"Section “{u.Title}”", u.Content), ($"The title of unit '{u.Id}'", u.Title), ($"The number of unit '{u.Id}'", u.Number) }));
        foreach (var (what, text) in texts)
        {
            if (StoredText.FindInvalid(text) is { } bad)
            {
                throw new DocumentRejectedException("invalid-character", bad.Describe(what));
            }
        }

        if (plan.Units.Count > MaxUnits)
        {
            throw new DocumentRejectedException("too-large", $"The outline has {plan.Units.Count:N0} units; at most {MaxUnits} can be imported into one report.");
        }

        var tooLong = plan.Units.FirstOrDefault(u => u.Content.Trim().Length > HostLimits.MaxSectionCharacters);
        if (tooLong is not null || plan.Lead.Trim().Length > HostLimits.MaxSectionCharacters || plan.Closing.Trim().Length > HostLimits.MaxSectionCharacters)
        {
            throw new DocumentRejectedException("too-large", $"{(tooLong is null ? "The lead or closing" : $"Section “{tooLong.Title}”")} is longer than {HostLimits.MaxSectionCharacters:N0} characters, the limit for one section; choose a deeper level or split it.");
        }

        var units = plan.Units.Select(u => u with { MissingFigures = u.IsGroup ? [] : Figures(u.Content.Trim()) }).ToList();
        var total = units.Sum(u => u.MissingFigures!.Count) + PlaceholderScanner.Find(plan.Lead).Count + PlaceholderScanner.Find(plan.Closing).Count;
        return plan with { Units = units, MissingFigures = total };
    }

    /// <summary>
    /// Creates the section tree and fills the report's title, lead and closing parts in the caller's transaction, and
    /// returns unit id -> section id. <paramref name="keepTitle"/>: the report keeps its title (made for this import).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, Guid>> CommitAsync(Report report, ImportResult plan, CurrentUser user, bool keepTitle, CancellationToken ct)
    {
        var route = await routes.FindAsync(db, report.RouteDefinitionId, report.RouteVersion, ct)
            ?? throw new InvalidOperationException($"Route {report.RouteDefinitionId} v{report.RouteVersion} is missing.");
        var created = new Dictionary<string, Guid>();
        var ordinal = 0;
        foreach (var unit in plan.Units)
        {
            var section = new Section
            {
                Id = Guid.NewGuid(),
                ReportId = report.Id,
                ParentId = unit.ParentId is { } parent ? created[parent] : null,
                Ordinal = ordinal++,
                Number = unit.Number,
                Title = unit.Title,
                Level = unit.Level,
                SharesLine = unit.SharesLine,
                HeadingMark = Mark(unit),
                IsGroup = unit.IsGroup,
                RouteDefinitionId = report.RouteDefinitionId,
                RouteVersion = report.RouteVersion,
                UpdatedAt = clock.GetUtcNow(),
            };
            created[unit.Id] = section.Id;
            if (unit.IsGroup)
            {
                db.Sections.Add(section);
                continue;
            }

            var (department, author) = await AssignAsync(unit, user, ct);
            section.DepartmentId = department;
            section.AuthorId = author;
            // The parser keeps line breaks around text for a lossless round trip; stored text starts with words.
            await commands.CreateAsync(report, route, section, unit.Content.Trim(), "导入", user, ct);
        }

        // The document's title, lead and closing go to the report's parts (a lead typed in at creation stays unless
        // the document brings its own); a report created for this import keeps the title it was created with.
        foreach (var (kind, text) in new[] { (SectionKind.Title, keepTitle ? "" : plan.Title), (SectionKind.Lead, plan.Lead), (SectionKind.Closing, plan.Closing) })
        {
            var trimmed = text.Trim();
            if (kind == SectionKind.Title && (trimmed.Length == 0 || trimmed.Length > WorkflowDbContext.MaxTitleLength))
            {
                trimmed = await parts.FindAsync(report.Id, SectionKind.Title, ct) is null ? report.Title : "";
            }

            if (trimmed.Length > 0 && await parts.PutAsync(report, kind, trimmed, user, "导入", ct) is { } refused)
            {
                throw new DocumentRejectedException("part-in-review", $"The report's {kind.ToString().ToLowerInvariant()} cannot take the document's text: {refused.Message}");
            }
        }

        if (!keepTitle && plan.Title.Trim().Length is > 0 and <= WorkflowDbContext.MaxTitleLength)
        {
            report.Title = plan.Title.Trim();
        }

        await audit.AppendAsync(report.Id, null, user.Id, user.UserName, "report.import", new
        {
            units = plan.Units.Count(u => !u.IsGroup),
            groups = plan.Units.Count(u => u.IsGroup),
            plan.Level,
            plan.Encoding,
            plan.MissingFigures,
            warnings = plan.Warnings.Count,
        }, ct);
        return created;
    }

    /// <summary>A unit names its department and author, or stays with the clerk who imports until assigned.</summary>
    private async Task<(Guid Department, string Author)> AssignAsync(ImportUnitDto unit, CurrentUser user, CancellationToken ct)
    {
        if (unit.Department is null && unit.Author is null)
        {
            return user.DepartmentId is { } own
                ? (own, user.Id)
                : throw new DocumentRejectedException("unassigned", $"Section “{unit.Title}” names no department and author, and you belong to no department to hold it until it is assigned.");
        }

        var assignment = await Assignment.ResolveAsync(db, unit.Department, unit.Author, ct);
        return assignment.Refusal is null
            ? (assignment.Department!.Id, assignment.Author!.Id)
            : throw new DocumentRejectedException("unassigned", $"Section “{unit.Title}”: department '{unit.Department}' and author '{unit.Author}' do not match a department and one of its active users.");
    }

    /// <summary>What the heading as written has beyond its number and title: the 。 or ： that ended it.</summary>
    private static string Mark(ImportUnitDto unit)
    {
        var heading = Squeeze(unit.HeadingText ?? "");
        var named = Squeeze(unit.Number + unit.Title);
        return heading.StartsWith(named, StringComparison.Ordinal) && heading.Length - named.Length <= 2 ? heading[named.Length..] : "";
    }

    private static IReadOnlyList<PlaceholderDto> Figures(string text) => [.. PlaceholderScanner.Find(text).Select(PlaceholderDto.From)];

    private static IEnumerable<int> Levels(IEnumerable<OutlineSection> nodes) => nodes.SelectMany(n => Levels(n.Children).Prepend(n.Level));

    private static IEnumerable<OutlineSection> Headings(IEnumerable<OutlineSection> nodes) => nodes.SelectMany(n => Headings(n.Children).Prepend(n));

    private static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static string Excerpt(string text, int at) => text.Substring(Math.Max(0, at - 10), Math.Min(text.Length, at + 10) - Math.Max(0, at - 10));
}
