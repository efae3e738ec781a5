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
        CommandPipeline pipeline, ImportGate gate, WorkflowDbContext db, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
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
            return ApiCommands.Problem(ImportGate.Busy, http);
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
                plan = ReportImporter.PlanFromFile(bytes, fileName, markdown, level, asOneSection ?? false, report.Title);
            }
        }
        catch (DocumentRejectedException ex)
        {
            return ApiCommands.Problem(ImportRefusal.From(ex), http);
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest($"The edited outline is not valid JSON: {ex.Message}", "unreadable-request");
        }

        if (dryRun == true)
        {
            return TypedResults.Ok(plan);
        }

        return await pipeline.SendAsync(http, new ImportReport(CurrentUser.From(http.User), id, null, plan));
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
}
