using System.Text;
using Workflow.Activities.Documents;
using Workflow.Host.Infrastructure;

namespace Workflow.Host.Features.Export;

public static class ExportEndpoints
{
    public const string DocxMediaType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    /// <summary>The assembled report is county-wide reading, so only county-wide readers export it.</summary>
    public static void MapExport(this IEndpointRouteBuilder api) =>
        api.MapGet("/reports/{id:guid}/export", Export).RequireAuthorization(p => p.RequireRole(Roles.CountyWideReaders));

    private static async Task<IResult> Export(Guid id, string? format, ReportAssembler assembler, CancellationToken ct)
    {
        var kind = (format ?? "docx").Trim().ToLowerInvariant();
        if (kind is not ("docx" or "md" or "txt"))
        {
            return Problems.Invalid("format", $"format is docx, md or txt (got '{format}').");
        }

        var doc = await assembler.BuildAsync(id, ct);
        if (doc is null)
        {
            return Problems.NotFound($"Report {id}");
        }

        return File(doc, kind, doc.Title);
    }

    /// <summary>An assembled report as a file of the kind asked for (docx, md or txt), named after <paramref name="name"/>.</summary>
    public static IResult File(ReportDocument doc, string kind, string name) => kind switch
    {
        "docx" => TypedResults.File(DocxExporter.Export(doc), DocxMediaType, ReportAssembler.FileName(name, "docx")),
        "md" => TypedResults.File(Encoding.UTF8.GetBytes(TextExporter.ToMarkdown(doc)), "text/markdown; charset=utf-8", ReportAssembler.FileName(name, "md")),
        _ => TypedResults.File(Encoding.UTF8.GetBytes(TextExporter.ToPlainText(doc)), "text/plain; charset=utf-8", ReportAssembler.FileName(name, "txt")),
    };
}
