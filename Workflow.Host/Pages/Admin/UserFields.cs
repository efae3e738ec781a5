using Workflow.Host.Features.Auth;

namespace Workflow.Host.Pages.Admin;

/// <summary>What the shared account fields show: the current values and the departments to choose from.</summary>
public sealed record UserFields(string Prefix, string? DisplayName, string? Department, IReadOnlyCollection<string> Roles, IReadOnlyList<DepartmentDto> Departments);
