using Workflow.Activities.Documents;
using Workflow.Activities.Engine;

namespace Workflow.Persistence.Entities;

/// <summary>
/// A node of the report outline. Group nodes (一、) only hold children; the others carry a review
/// workflow whose position is kept here and whose tasks and sign-offs live in their own tables.
/// </summary>
public sealed class Section
{
    public Guid Id { get; set; }

    public Guid ReportId { get; set; }

    public Guid? ParentId { get; set; }

    public int Ordinal { get; set; }

    /// <summary>The outline label as written, e.g. "一、" or "（一）".</summary>
    public string Number { get; set; } = "";

    public required string Title { get; set; }

    /// <summary>Outline level of the heading: 1 for 一、, 2 for （一）, 3 for 1., 4 for （1）.</summary>
    public int Level { get; set; }

    /// <summary>The heading was the first sentence of its paragraph (（一）标题。正文……) and is printed that way.</summary>
    public bool SharesLine { get; set; }

    /// <summary>The punctuation that ended the heading as written (。 or ：), kept apart from the title.</summary>
    public string HeadingMark { get; set; } = "";

    public bool IsGroup { get; set; }

    /// <summary>A part of the outline, or the report's title, lead or closing (one each at most, outside the outline).</summary>
    public SectionKind Kind { get; set; }

    public Guid? DepartmentId { get; set; }

    public string? AuthorId { get; set; }

    public required string RouteDefinitionId { get; set; }

    public int RouteVersion { get; set; }

    public int StageIndex { get; set; }

    public SectionStatus Status { get; set; }

    public int Cycle { get; set; }

    public int CurrentVersion { get; set; }

    public string CurrentHash { get; set; } = "";

    public string CurrentVersionAuthorId { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Optimistic concurrency token: bumped by every accepted command.</summary>
    public int Revision { get; set; }
}
