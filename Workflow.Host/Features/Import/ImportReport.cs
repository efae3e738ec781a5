using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Documents;
using Workflow.Host.Features.Reports;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Features.Import;

/// <summary>
/// Imports a checked plan (a preview, edited or not) into an empty report, or, given <see cref="NewTitle"/>, into a new
/// report of that id and title created in the same transaction: the one import of the API, the import page and the
/// CLI. <see cref="Source"/> names the file for the trail when there is one.
/// </summary>
public sealed record ImportReport(CurrentUser Actor, Guid ReportId, string? NewTitle, [property: JsonIgnore] ImportResult Plan, string? Source = null)
    : Command<ImportResult>(Actor)
{
    public override Refusal? Validate()
    {
        if (NewTitle is null)
        {
            return null;
        }

        var title = NewTitle?.Trim();
        return string.IsNullOrEmpty(title) || title.Length > WorkflowDbContext.MaxTitleLength
            ? Refusal.Invalid("title", $"A report needs a title of 1 to {WorkflowDbContext.MaxTitleLength} characters.")
            : Refusal.UnstorableText("title", "The title", title);
    }

    /// <summary>The whole plan but its source text stands for it, so the same key with any other cut or assignment is a different request.</summary>
    public override object Fingerprint() =>
        new { ReportId, NewTitle, plan = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(Plan with { Source = "" }, JsonDefaults.Storage))), Plan.Level };
}

public sealed class ImportReportHandler(WorkflowDbContext db, ReportImporter importer, CreateReportHandler reports, AuditTrail audit) : ICommandHandler<ImportReport, ImportResult>
{
    public async Task<CommandResult<ImportResult>> HandleAsync(ImportReport command, CancellationToken ct)
    {
        var (id, plan) = (command.ReportId, command.Plan);
        Persistence.Entities.Report tracked;
        if (command.NewTitle is null)
        {
            if (!await db.Reports.AnyAsync(r => r.Id == id, ct))
            {
                return Refusal.NotFound($"Report {id}");
            }

            // Locked before the check, so two imports at once cannot both find the report empty.
            tracked = await audit.LockReportAsync(id, ct);
            if (Refusal.Unchangeable(tracked.ArchivedAt, tracked.LockedAt) is { } fixedReport)
            {
                return fixedReport;
            }

            if (await db.Sections.AnyAsync(s => s.ReportId == id && s.Kind == SectionKind.Body, ct))
            {
                return Refusal.Conflict("The report already has sections; import into a new report.", "already-imported");
            }
        }
        else if (await db.Reports.AnyAsync(r => r.Id == id, ct))
        {
            return Refusal.Conflict($"Report {id} exists already; a new report needs a new id.", "report-exists");
        }
        else
        {
            var (created, refused) = await reports.AddAsync(id, new CreateReport(command.Actor, command.NewTitle, null, null, null, null), command.Source, ct);
            if (created is null)
            {
                return refused!;
            }

            tracked = created;
        }

        try
        {
            var sections = await importer.CommitAsync(tracked, plan, command.Actor, keepTitle: command.NewTitle is not null, ct);
            return CommandResult<ImportResult>.Done(plan with { Sections = sections }, StatusCodes.Status201Created);
        }
        catch (DocumentRejectedException ex)
        {
            return ImportRefusal.From(ex);
        }
    }
}

/// <summary>A document the importer cannot take, as a refusal with the status its reason deserves.</summary>
public static class ImportRefusal
{
    public static Refusal From(DocumentRejectedException ex) => ex.Code switch
    {
        "too-large" or "zip-bomb" => Refusal.Create(StatusCodes.Status413PayloadTooLarge, "Document too large", ex.Message, ex.Code),
        "not-docx" or "not-text" or "bad-encoding" => Refusal.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported document", ex.Message, ex.Code),
        "empty" or "unreadable-upload" or "invalid-character" => Refusal.BadRequest(ex.Message, ex.Code),
        _ => Refusal.Create(StatusCodes.Status422UnprocessableEntity, "Document cannot be imported", ex.Message, ex.Code),
    };
}
