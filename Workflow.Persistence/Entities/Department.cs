namespace Workflow.Persistence.Entities;

public sealed class Department
{
    public Guid Id { get; set; }

    /// <summary>Short stable key used in the API and seeds (e.g. "zuzhi").</summary>
    public required string Code { get; set; }

    public required string Name { get; set; }
}
