using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Workflow.Host.Features.Import;
using Workflow.Host.Infrastructure;

namespace Workflow.Tests.Unit;

/// <summary>A body over the limit is refused with the limit that applied to the endpoint, not the host's default.</summary>
public sealed class ErrorHandlingTests
{
    [Fact]
    public async Task An_oversized_import_names_the_import_limit()
    {
        var endpoint = new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(new RequestSizeLimitAttribute(ReportImporter.MaxImportBytes + 64 * 1024)), "import");

        var problem = await Handle(endpoint);

        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.Equal("unreadable-request", problem.GetProperty("code").GetString());
        Assert.Contains("10 MB", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Any_other_oversized_body_names_the_host_limit()
    {
        var problem = await Handle(new Endpoint(_ => Task.CompletedTask, EndpointMetadataCollection.Empty, "other"));

        Assert.Contains("1 MB", problem.GetProperty("detail").GetString());
    }

    private static async Task<JsonElement> Handle(Endpoint endpoint)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails(o => o.CustomizeProblemDetails = ErrorHandling.AddCode).BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = services };
        http.SetEndpoint(endpoint);
        http.Response.Body = new MemoryStream();
        var handler = new ErrorHandling(services.GetRequiredService<IProblemDetailsService>(), NullLogger<ErrorHandling>.Instance);

        Assert.True(await handler.TryHandleAsync(http, new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge), CancellationToken.None));

        http.Response.Body.Position = 0;
        return JsonDocument.Parse(http.Response.Body).RootElement.Clone();
    }
}
