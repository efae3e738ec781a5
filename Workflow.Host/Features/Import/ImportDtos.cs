using Workflow.Activities.Documents;

namespace Workflow.Host.Features.Import;

/// <summary>A unit of the import outline as the preview shows it and as an edited preview sends it back.</summary>
public sealed record ImportUnitDto(
    string Id,
    string? ParentId,
    bool IsGroup,
    int Level,
    string Number,
    string Title,
    string? HeadingText,
    bool SharesLine,
    string Content,
    int Line,
    IReadOnlyList<InlineItem>? Items,
    IReadOnlyList<PlaceholderDto>? MissingFigures,
    string? Department,
    string? Author);

public sealed record PlaceholderDto(string Text, int Line, int Column, string Context)
{
    public static PlaceholderDto From(Placeholder p) => new(p.Text, p.Line, p.Column, p.Context);
}

/// <summary>The import preview (dry run) and, with Sections filled in, the result of a real import.</summary>
public sealed record ImportResult(
    string Title,
    string Lead,
    string Closing,
    string? Encoding,
    int Level,
    IReadOnlyList<int> Levels,
    IReadOnlyList<ImportUnitDto> Units,
    IReadOnlyList<OutlineWarning> Warnings,
    int MissingFigures,
    string Source,
    IReadOnlyDictionary<string, Guid>? Sections);

/// <summary>An edited preview: the clerk moved, merged or split text; it must still add up to Source.</summary>
public sealed record EditedImport(string? Title, string? Lead, string? Closing, string? Source, int? Level, IReadOnlyList<ImportUnitDto>? Units);
