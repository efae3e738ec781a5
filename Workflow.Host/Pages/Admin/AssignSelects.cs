namespace Workflow.Host.Pages.Admin;

/// <summary>One row's department and author selects; AllowNone offers "held by whoever imports" (import preview only).</summary>
public sealed record AssignSelects(string Prefix, People People, string? Department, string? Author, bool AllowNone);
