using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Documents;
using Workflow.Activities.Engine;
using Workflow.Host.Features.Auth;
using Workflow.Host.Features.Export;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Features.Reports;

public sealed record SignOffRequest(string? Opinion, string? Password, string? Hash);

/// <summary>A final as the API shows it: 定稿 N, what it is bound to, who signed it and when, and whether 复审 reopened it.</summary>
public sealed record FinalDto(
    int Number, string Hash, DateTimeOffset SignedAt, string Signer, string? SignerTitle, string? SignerDepartment, string Opinion,
    string? Issuer, string? Addressee, DateTimeOffset? ReopenedAt, string? ReopenedBy, string? ReopenReason)
{
    public static FinalDto From(ReportFinal f) => new(
        f.Number, f.Hash, f.SignedAt, f.SignerName, f.SignerTitle, f.SignerDepartment, f.Opinion, f.Issuer, f.Addressee, f.ReopenedAt, f.ReopenedByName, f.ReopenReason);
}

/// <summary>A part as it was signed, kept with the final.</summary>
public sealed record SignedPart(Guid Section, SectionKind Kind, string Number, string Title, int Version, string Hash);

/// <summary>
/// 签发: the signer (role signer) signs the whole report off with an opinion after entering their password again. The
/// password is never part of the idempotency fingerprint; <see cref="Hash"/>, when sent, is the final text's hash the
/// signer was shown, so a text that changed meanwhile is not signed unseen.
/// </summary>
public sealed record SignOffReport(CurrentUser Actor, Guid ReportId, string? Opinion, [property: JsonIgnore] string? Password, string? Hash) : Command<FinalDto>(Actor)
{
    public override Refusal? Validate()
    {
        if (string.IsNullOrWhiteSpace(Opinion))
        {
            return Refusal.Invalid("opinion", "签发 needs an opinion (such as 同意上报).", "opinion-required");
        }

        if ((Opinion?.Length ?? 0) > HostLimits.MaxOpinionCharacters)
        {
            return Refusal.TooLong("opinion", $"An opinion is at most {HostLimits.MaxOpinionCharacters:N0} characters; this one has {Opinion!.Length:N0}.", HostLimits.MaxOpinionCharacters);
        }

        return string.IsNullOrEmpty(Password)
            ? Refusal.Invalid("password", "Enter your password again to sign the report off.", "password-required")
            : Refusal.UnstorableText("opinion", "The opinion", Opinion);
    }

    public override object Fingerprint() => new { ReportId, Opinion, Hash };
}

public sealed class SignOffReportHandler(
    WorkflowDbContext db, UserManager<AppUser> users, SignInThrottle throttle, ReportAssembler assembler, UserDirectory directory, AuditTrail audit, TimeProvider clock)
    : ICommandHandler<SignOffReport, FinalDto>
{
    /// <summary>Failed re-entries count apart from sign-ins, per account: guessing at the 签发 prompt is slowed the same way.</summary>
    private const string ThrottleScope = "report-signoff";

    public async Task<CommandResult<FinalDto>> HandleAsync(SignOffReport command, CancellationToken ct)
    {
        var (id, user) = (command.ReportId, command.Actor);
        if (!await SectionAccess.VisibleReports(db, user).AnyAsync(r => r.Id == id, ct))
        {
            return Refusal.NotFound($"Report {id}");
        }

        if (!user.IsInRole(Roles.Signer))
        {
            return Refusal.Create(StatusCodes.Status403Forbidden, "Forbidden", "Only a signer (签发人) signs a report off.", "not-signer");
        }

        if (throttle.RetryAfter(user.UserName, ThrottleScope) is { } wait)
        {
            return Refusal.Create(StatusCodes.Status429TooManyRequests, "Too many failed attempts", $"Too many wrong passwords; try again in {(int)Math.Ceiling(wait.TotalSeconds)} seconds.", "signin-throttled")
                with { RetryAfterSeconds = (int)Math.Ceiling(wait.TotalSeconds) };
        }

        var account = await users.FindByIdAsync(user.Id);
        if (account is null || account.Disabled || !await users.CheckPasswordAsync(account, command.Password!))
        {
            throttle.Failed(user.UserName, ThrottleScope);
            return Refusal.Create(StatusCodes.Status403Forbidden, "Password not confirmed", "The password entered again does not match; the report was not signed off.", "reauthentication-failed")
                with { Audit = new RefusalAudit(id, user.Id, user.UserName, "report.signoff-refused", new { reason = "password" }) };
        }

        throttle.Succeeded(user.UserName, ThrottleScope);
        var report = await audit.LockReportAsync(id, ct);
        if (Refusal.Unchangeable(report.ArchivedAt, report.LockedAt) is { } fixedReport)
        {
            return fixedReport;
        }

        var parts = await db.Sections.AsNoTracking().Where(s => s.ReportId == id && !s.IsGroup).ToListAsync(ct);
        var open = parts.Where(s => s.Status != SectionStatus.Approved).ToList();
        if (parts.Count == 0 || open.Count > 0)
        {
            return Refusal.Conflict($"Every part must be approved before 签发; {open.Count} of {parts.Count} are not: {string.Join("、", open.Take(5).Select(Name))}{(open.Count > 5 ? " …" : "")}.", "report-not-approved")
                with { Arguments = [open.Count, parts.Count, string.Join("、", open.Take(5).Select(Name))] };
        }

        if (string.IsNullOrWhiteSpace(report.Issuer))
        {
            // A report is signed in the name of its issuing organ (发文机关署名); the final prints it with the date.
            return Refusal.Conflict("Set the issuing organ (落款, e.g. 中共XX县委) before 签发: PUT /api/reports/{id}/issuer.", "issuer-required");
        }

        var doc = await assembler.AssembleAsync(report, ct);
        var text = FinalText.Of(doc);
        var missing = PlaceholderScanner.Find(text);
        if (missing.Count > 0)
        {
            return Refusal.Conflict($"{missing.Count} placeholder(s) for missing figures remain (first: “{missing[0].Context}”); fill them before 签发.", "placeholders-left")
                with { Arguments = [missing.Count, missing[0].Context] };
        }

        var hash = ContentHash.Of(text);
        if (command.Hash is { Length: > 0 } seen && !string.Equals(seen, hash, StringComparison.OrdinalIgnoreCase))
        {
            return Refusal.Conflict("The report's text changed since you looked at it; read it again before signing.", "report-changed");
        }

        var now = clock.GetUtcNow();
        var signer = await directory.SignerAsync(user, ct);
        var number = (await db.Finals.Where(f => f.ReportId == id).MaxAsync(f => (int?)f.Number, ct) ?? 0) + 1;
        var signed = parts.OrderBy(s => SectionKinds.Place(s.Kind)).ThenBy(s => s.Ordinal)
            .Select(s => new SignedPart(s.Id, s.Kind, s.Number, s.Title, s.CurrentVersion, s.CurrentHash)).ToList();
        var final = new ReportFinal
        {
            Id = Guid.NewGuid(),
            ReportId = id,
            Number = number,
            SignerId = user.Id,
            SignerName = signer.Name,
            SignerTitle = signer.Roles,
            SignerDepartment = signer.Department,
            Opinion = command.Opinion!.Trim(),
            SignedAt = now,
            Hash = hash,
            Text = text,
            Parts = JsonSerializer.Serialize(signed, JsonDefaults.Storage),
            Issuer = report.Issuer,
            Addressee = report.Addressee,
        };
        db.Finals.Add(final);
        report.LockedAt = now;
        await audit.AppendAsync(id, null, user.Id, user.UserName, "report.signoff", new
        {
            final = number,
            hash,
            opinion = final.Opinion,
            signer = signer.Name,
            title = signer.Roles,
            department = signer.Department,
            parts = signed.Select(p => new { p.Section, p.Version, p.Hash }),
        }, ct);
        OutboxWriter.Add(db, new Activities.Contracts.ReportSignedOff(id, user.Id, number, hash, now), id, null, now);
        return CommandResult<FinalDto>.Done(FinalDto.From(final), StatusCodes.Status201Created);
    }

    private static string Name(Section s) => s.Kind == SectionKind.Body ? s.Number + s.Title : SectionKinds.Chinese(s.Kind);
}
