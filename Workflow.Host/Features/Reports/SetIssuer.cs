using Microsoft.EntityFrameworkCore;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Features.Reports;

public sealed record IssuerRequest(string? Issuer, string? Addressee);

public sealed record IssuerDto(Guid ReportId, string? Issuer, string? Addressee);

/// <summary>
/// The frame of the final document, per report: the issuing organ (落款, e.g. 中共XX县委) and the addressee (主送机关),
/// both optional; set by an administrator (the clerk) before 签发, which binds them with the text.
/// </summary>
public sealed record SetIssuer(CurrentUser Actor, Guid ReportId, string? Issuer, string? Addressee) : Command<IssuerDto>(Actor)
{
    public override Refusal? Validate()
    {
        if ((Issuer?.Trim().Length ?? 0) > WorkflowDbContext.MaxIssuerLength || Issuer?.Contains('\n') == true)
        {
            return Refusal.Invalid("issuer", $"The issuing organ is one line of at most {WorkflowDbContext.MaxIssuerLength} characters.");
        }

        if ((Addressee?.Trim().Length ?? 0) > WorkflowDbContext.MaxAddresseeLength || Addressee?.Contains('\n') == true)
        {
            return Refusal.Invalid("addressee", $"The addressee is one line of at most {WorkflowDbContext.MaxAddresseeLength} characters.");
        }

        return Refusal.UnstorableText("issuer", "The issuing organ", Issuer) ?? Refusal.UnstorableText("addressee", "The addressee", Addressee);
    }
}

public sealed class SetIssuerHandler(WorkflowDbContext db, AuditTrail audit) : ICommandHandler<SetIssuer, IssuerDto>
{
    public async Task<CommandResult<IssuerDto>> HandleAsync(SetIssuer command, CancellationToken ct)
    {
        if (!command.Actor.IsInRole(Roles.Admin))
        {
            return Refusal.Forbidden("Only an administrator sets a report's issuing organ and addressee.");
        }

        if (!await db.Reports.AnyAsync(r => r.Id == command.ReportId, ct))
        {
            return Refusal.NotFound($"Report {command.ReportId}");
        }

        var report = await audit.LockReportAsync(command.ReportId, ct);
        if (Refusal.Unchangeable(report.ArchivedAt, report.LockedAt) is { } fixedReport)
        {
            return fixedReport;
        }

        var (issuer, addressee) = (Blank(command.Issuer), Blank(command.Addressee));
        if (issuer != report.Issuer || addressee != report.Addressee)
        {
            (report.Issuer, report.Addressee) = (issuer, addressee);
            await audit.AppendAsync(report.Id, null, command.Actor.Id, command.Actor.UserName, "report.issuer", new { issuer, addressee }, ct);
        }

        return CommandResult<IssuerDto>.Done(new IssuerDto(report.Id, issuer, addressee));
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
