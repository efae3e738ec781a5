using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Workflow.Host.Infrastructure;

/// <summary>
/// A page that takes an uploaded file of at most <see cref="MaxFileBytes"/>: its form is read by
/// <see cref="UploadLimits"/> after the page's own size and form limits are set ([RequestSizeLimit], [RequestFormLimits]:
/// order 900) and before the anti-forgery check reads it (order 1000).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class UploadLimitAttribute(long maxFileBytes) : Attribute, IAsyncAuthorizationFilter, IOrderedFilter
{
    public long MaxFileBytes { get; } = maxFileBytes;

    public int Order => 950;

    public Task OnAuthorizationAsync(AuthorizationFilterContext context) => UploadLimits.ReadFormAsync(context.HttpContext, MaxFileBytes);
}

/// <summary>Marks a request whose upload was over its limit: it was read to its end and nothing of it was kept.</summary>
public sealed class OversizedUpload(long limit)
{
    public long Limit { get; } = limit;
}

/// <summary>
/// Reads an upload's multipart form before anything else does, keeping a file only while it is within its limit.
/// Browsers and HttpClient send the whole body before they read the answer, so a server that stops reading at the
/// limit (as Kestrel does) cuts the connection under them and they never see the 413: an oversized file is therefore
/// read to its end and dropped (up to <see cref="HostLimits.MaxDrainedUploadBytes"/>), and the endpoint is told through
/// <see cref="OversizedUpload"/>. The form's other fields are kept (a page's anti-forgery token comes after the file),
/// so a page can answer in place.
/// </summary>
public static class UploadLimits
{
    /// <summary>All the fields beside the file together (target, title, anti-forgery token …).</summary>
    public const int MaxFieldBytes = 64 * 1024;

    private const int MemoryThreshold = 64 * 1024;

    public static bool IsOversized(HttpContext http) => http.Features.Get<OversizedUpload>() is not null;

    /// <summary>
    /// Lets Kestrel read this request's body up to the drain ceiling, so an endpoint can read an oversized upload to its
    /// end; false once the body has started to be read.
    /// </summary>
    public static bool AllowDrain(HttpContext http)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is not { IsReadOnly: false } size)
        {
            return false;
        }

        size.MaxRequestBodySize = HostLimits.MaxDrainedUploadBytes;
        return true;
    }

    /// <summary>
    /// Reads a multipart form not read yet, keeping its files while together within <paramref name="maxFileBytes"/>; the
    /// form is then what <see cref="HttpRequest.ReadFormAsync"/> answers. Called once the request is authorized, so only
    /// the people the endpoint is for have a large body read. Anything else (another content type, a form already read)
    /// is left as it is.
    /// </summary>
    public static async Task ReadFormAsync(HttpContext http, long maxFileBytes)
    {
        if (HttpMethods.IsPost(http.Request.Method) && Boundary(http.Request) is { } boundary && http.Features.Get<IFormFeature>()?.Form is null)
        {
            await ReadFormAsync(http, boundary, maxFileBytes);
        }
    }

    private static string? Boundary(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary);
        // The form reader's own limit; anything else is left to it to refuse.
        return boundary.Length is > 0 and <= 70 ? boundary.Value : null;
    }

    private static async Task ReadFormAsync(HttpContext http, string boundary, long maxFileBytes)
    {
        var ct = http.RequestAborted;
        AllowDrain(http);
        var fields = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        var files = new FormFileCollection();
        long fileBytes = 0, fieldBytes = 0;
        var oversized = false;
        try
        {
            var reader = new MultipartReader(boundary, http.Request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    await section.Body.CopyToAsync(Stream.Null, ct);
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition())
                {
                    // Buffered as ASP.NET Core buffers a form: in memory, then in a temporary file.
                    var buffer = new FileBufferingReadStream(section.Body, MemoryThreshold);
                    http.Response.RegisterForDisposeAsync(buffer);
                    var length = await CopyAtMostAsync(buffer, Stream.Null, oversized ? 0 : maxFileBytes - fileBytes, ct);
                    if (length is null)
                    {
                        // The rest straight from the request, past the buffer: nothing more of it is kept.
                        oversized = true;
                        await section.Body.CopyToAsync(Stream.Null, ct);
                        continue;
                    }

                    fileBytes += length.Value;
                    buffer.Seek(0, SeekOrigin.Begin);
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "";
                    files.Add(new FormFile(buffer, 0, length.Value, name, fileName) { Headers = new HeaderDictionary(section.Headers) });
                }
                else
                {
                    using var value = new MemoryStream();
                    var length = await CopyAtMostAsync(section.Body, value, MaxFieldBytes - fieldBytes, ct);
                    if (length is null)
                    {
                        oversized = true;
                        await section.Body.CopyToAsync(Stream.Null, ct);
                        continue;
                    }

                    fieldBytes += length.Value;
                    fields[name] = StringValues.Concat(fields.GetValueOrDefault(name), Encoding.UTF8.GetString(value.GetBuffer(), 0, (int)value.Length));
                }
            }

            // Anything after the closing boundary too, so the answer is read and the connection can be used again.
            await http.Request.Body.CopyToAsync(Stream.Null, ct);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Past even the drain ceiling: Kestrel stops reading and the sender most likely sees the connection cut.
            oversized = true;
        }
        catch (Exception ex) when (ex is InvalidDataException or (IOException and not BadHttpRequestException))
        {
            // Not a well-formed form (or one cut short): the endpoint's own form reading refuses it as it would have.
            return;
        }

        if (oversized)
        {
            http.Features.Set(new OversizedUpload(maxFileBytes));
            files = [];
        }

        http.Features.Set<IFormFeature>(new FormFeature(new FormCollection(fields, files)));
    }

    /// <summary>Copies a stream to its end and answers its length, or stops and answers null once it passes <paramref name="max"/>.</summary>
    private static async Task<long?> CopyAtMostAsync(Stream source, Stream destination, long max, CancellationToken ct)
    {
        var chunk = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(chunk, ct)) > 0)
        {
            total += read;
            if (total > max)
            {
                return null;
            }

            await destination.WriteAsync(chunk.AsMemory(0, read), ct);
        }

        return total;
    }
}
