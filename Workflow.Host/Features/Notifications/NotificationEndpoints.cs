using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Workflow.Host.Infrastructure;
using Workflow.Persistence;

namespace Workflow.Host.Features.Notifications;

public sealed record NotificationDto(Guid Id, string Kind, string Text, Guid? ReportId, Guid? SectionId, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

public static class NotificationEndpoints
{
    public static void MapNotifications(this IEndpointRouteBuilder api)
    {
        api.MapGet("/notifications", Mine);
        api.MapPost("/notifications/{id:guid}/read", MarkRead);
    }

    internal static async Task<Ok<List<NotificationDto>>> Mine(bool? unread, HttpContext http, WorkflowDbContext db, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        var q = db.Notifications.AsNoTracking().Where(n => n.UserId == user.Id);
        if (unread == true)
        {
            q = q.Where(n => n.ReadAt == null);
        }

        var rows = await q.OrderByDescending(n => n.CreatedAt).Take(200)
            .Select(n => new NotificationDto(n.Id, n.Kind, n.Text, n.ReportId, n.SectionId, n.CreatedAt, n.ReadAt))
            .ToListAsync(ct);
        return TypedResults.Ok(rows);
    }

    /// <summary>Only the addressee marks a notice read; someone else's id answers 404 like an unknown one.</summary>
    internal static async Task<Results<NoContent, ProblemHttpResult>> MarkRead(Guid id, HttpContext http, WorkflowDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        var now = clock.GetUtcNow();
        var changed = await db.Notifications.Where(n => n.Id == id && n.UserId == user.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(n => n.ReadAt, n => n.ReadAt ?? now), ct);
        return changed == 0 ? Problems.NotFound($"Notification {id}") : TypedResults.NoContent();
    }
}
