using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Workflow.Host.Infrastructure;
using Workflow.Persistence;

namespace Workflow.Host.Features.Notifications;

/// <summary>
/// GET /api/events/stream: server-sent events carrying the signed-in user's new notices, for the web UI.
/// Reads the notifications table (the consumers' output) every second, so it works the same with one
/// host or several, whichever host's consumer wrote the notice.
/// </summary>
public static class NotificationStream
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static void MapNotificationStream(this IEndpointRouteBuilder api) => api.MapGet("/events/stream", Stream);

    private static async Task Stream(HttpContext http, IServiceScopeFactory scopes, TimeProvider clock, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        var ct = http.RequestAborted;
        var user = CurrentUser.From(http.User);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await http.Response.WriteAsync(": connected\n\n", ct);
        await http.Response.Body.FlushAsync(ct);

        var since = clock.GetUtcNow();
        var quiet = TimeSpan.Zero;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await using (var scope = scopes.CreateAsyncScope())
                {
                    var db = scope.ServiceProvider.GetRequiredService<WorkflowDbContext>();
                    var fresh = await db.Notifications.AsNoTracking()
                        .Where(n => n.UserId == user.Id && n.CreatedAt > since)
                        .OrderBy(n => n.CreatedAt)
                        .Take(100)
                        .Select(n => new NotificationDto(n.Id, n.Kind, n.Text, n.ReportId, n.SectionId, n.CreatedAt, n.ReadAt))
                        .ToListAsync(ct);
                    foreach (var n in fresh)
                    {
                        // JSON on one line, so no user text can end the event or start another one.
                        await http.Response.WriteAsync($"id: {n.Id}\nevent: notification\ndata: {JsonSerializer.Serialize(n, json.Value.SerializerOptions)}\n\n", ct);
                        since = n.CreatedAt;
                    }

                    quiet = fresh.Count > 0 ? TimeSpan.Zero : quiet + Interval;
                }

                if (quiet >= KeepAlive)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", ct);
                    quiet = TimeSpan.Zero;
                }

                await http.Response.Body.FlushAsync(ct);
                await Task.Delay(Interval, clock, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
