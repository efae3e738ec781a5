using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Workflow.Activities.Documents;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Features.Import;

public static class ImportEndpoints
{
    public static void MapImport(this IEndpointRouteBuilder api) =>
        api.MapPost("/reports/{id:guid}/import", Import)
            .RequireAuthorization(p => p.RequireRole(Roles.Admin))
            .WithMetadata(new RequestSizeLimitAttribute(ReportImporter.MaxImportBytes + 64 * 1024));

    /// <summary>
    /// Body: the file itself (text/plain, text/markdown or a .docx), a multipart form with a "file" field,
    /// or application/json with an edited preview. dryRun=true answers the preview without saving.
    /// </summary>
    private static async Task<IResult> Import(
        Guid id, bool? dryRun, int? level, bool? asOneSection, HttpContext http,
        CommandExecutor executor, ReportImporter importer, ImportGate gate, AuditTrail audit, WorkflowDbContext db, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        var ct = http.RequestAborted;
        var report = await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (report is null)
        {
            return Problems.NotFound($"Report {id}");
        }

        ImportResult plan;
        // Held from reading the upload to the end of the import, so at most a few documents are in memory at once.
        using var slot = await gate.EnterAsync(ct);
        if (slot is null)
        {
            return ImportGate.Busy(http);
        }

        try
        {
            if (http.Request.HasJsonContentType())
            {
                var edited = await JsonSerializer.DeserializeAsync<EditedImport>(http.Request.Body, json.Value.SerializerOptions, ct)
                    ?? throw new DocumentRejectedException("incomplete-outline", "Send the edited preview as a JSON object.");
                plan = ReportImporter.FromEdited(edited);
            }
            else
            {
                var (bytes, fileName, markdown) = await ReadUploadAsync(http.Request, ct);
                plan = PlanFromFile(bytes, fileName, markdown, level, asOneSection ?? false, report.Title);
            }
        }
        catch (DocumentRejectedException ex)
        {
            return Rejected(ex);
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest($"The edited outline is not valid JSON: {ex.Message}", "unreadable-request");
        }

        if (dryRun == true)
        {
            return TypedResults.Ok(plan);
        }

        var user = CurrentUser.From(http.User);
        return await executor.ExecuteAsync(http, CommandRequest(id, plan, json.Value.SerializerOptions), ct2 => CommitAsync(id, plan, user, importer, audit, db, ct2));
    }

    /// <summary>The preview (dry run) of an uploaded file, as the API and the import page make it.</summary>
    public static ImportResult PlanFromFile(byte[] bytes, string? fileName, bool markdown, int? level, bool asOneSection, string fallbackTitle)
    {
        var (text, encoding) = ReportImporter.ReadText(bytes, fileName, markdown);
        return ReportImporter.Preview(text, encoding, level, asOneSection, fallbackTitle);
    }

    /// <summary>
    /// What the idempotency check compares: the whole plan, so the same key with any other cut or assignment is a
    /// different request.
    /// </summary>
    public static object CommandRequest(Guid id, ImportResult plan, JsonSerializerOptions options) =>
        new { id, fingerprint = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(plan with { Source = "" }, options))), plan.Level };

    /// <summary>
    /// Imports a checked plan into an empty report, inside the caller's command (transaction, write gate): the one
    /// path behind the API and the import page.
    /// </summary>
    public static async Task<CommandOutcome> CommitAsync(Guid id, ImportResult plan, CurrentUser user, ReportImporter importer, AuditTrail audit, WorkflowDbContext db, CancellationToken ct)
    {
        // Locked before the check, so two imports at once cannot both find the report empty.
        var tracked = await audit.LockReportAsync(id, ct);
        // The document's own title line names the report; the title typed at creation stays in the audit trail.
        if (plan.Title.Trim().Length is > 0 and <= WorkflowDbContext.MaxTitleLength)
        {
            tracked.Title = plan.Title.Trim();
        }

        if (await db.Sections.AnyAsync(s => s.ReportId == id, ct))
        {
            return CommandOutcome.Refused(Problems.Conflict("The report already has sections; import into a new report.", "already-imported"));
        }

        try
        {
            var sections = await importer.CommitAsync(tracked, plan, user, ct);
            return CommandOutcome.Done(plan with { Sections = sections }, StatusCodes.Status201Created);
        }
        catch (DocumentRejectedException ex)
        {
            return CommandOutcome.Refused(Rejected(ex));
        }
    }

    private static DocumentRejectedException TooLarge() =>
        new("too-large", $"The file is larger than the limit of {ReportImporter.MaxImportBytes / 1024 / 1024} MB.");

    private static async Task<(byte[] Bytes, string? FileName, bool Markdown)> ReadUploadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                // Read to its end even when the file is over the limit, which is then dropped and said below.
                await UploadLimits.ReadFormAsync(request.HttpContext, ReportImporter.MaxImportBytes);
                form = await request.ReadFormAsync(ct);
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw TooLarge();
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                throw new DocumentRejectedException("unreadable-upload", $"The form upload could not be read ({ex.Message}); send the file as multipart/form-data in a field named \"file\".");
            }

            if (UploadLimits.IsOversized(request.HttpContext))
            {
                throw TooLarge();
            }

            var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault()
                ?? throw new DocumentRejectedException("empty", "The form has no file; send it in a field named \"file\".");
            using var memory = new MemoryStream();
            await file.CopyToAsync(memory, ct);
            return (memory.ToArray(), file.FileName, IsMarkdown(file.ContentType));
        }

        // A body over the limit is still read to its end (not kept): its sender reads the answer only once it has sent it all.
        UploadLimits.AllowDrain(request.HttpContext);
        using var body = new MemoryStream();
        var buffer = new byte[81920];
        var oversized = false;
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
            {
                oversized |= body.Length + read > ReportImporter.MaxImportBytes;
                if (!oversized)
                {
                    body.Write(buffer, 0, read);
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            oversized = true;
        }

        return oversized ? throw TooLarge() : (body.ToArray(), null, IsMarkdown(request.ContentType));
    }

    private static bool IsMarkdown(string? contentType) => contentType?.StartsWith("text/markdown", StringComparison.OrdinalIgnoreCase) == true;

    public static IResult Rejected(DocumentRejectedException ex) => ex.Code switch
    {
        "too-large" or "zip-bomb" => Problems.Create(StatusCodes.Status413PayloadTooLarge, "Document too large", ex.Message, ex.Code),
        "not-docx" or "not-text" or "bad-encoding" => Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported document", ex.Message, ex.Code),
        "empty" or "unreadable-upload" or "invalid-character" => Problems.BadRequest(ex.Message, ex.Code),
        _ => Problems.Create(StatusCodes.Status422UnprocessableEntity, "Document cannot be imported", ex.Message, ex.Code),
    };
}
