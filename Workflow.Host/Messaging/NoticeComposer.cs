using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Contracts;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Messaging;

/// <summary>One notice for one person, whatever the channel (in-app row, e-mail).</summary>
public sealed record Notice(string UserId, string Kind, string Text, Guid ReportId, Guid? SectionId);

/// <summary>
/// Decides who hears of an event and in what words, once for every channel: the in-app and the e-mail
/// consumers deliver the same notices, so a person never gets an e-mail about something the inbox lacks.
/// </summary>
public sealed class NoticeComposer(WorkflowDbContext db, RouteCatalog routes, UserDirectory directory)
{
    public async Task<IReadOnlyList<Notice>> ComposeAsync(object message, CancellationToken ct)
    {
        switch (message)
        {
            case TaskAssigned m:
            {
                var s = await SectionAsync(m.SectionId, ct);
                var due = m.DueAt is { } d ? $"，请于{Time(d)}前办理" : "";
                var stage = await StageNameAsync(s, m.Stage, ct);
                var actor = await NameAsync(m.ActorId, ct);
                var text = m.Kind switch
                {
                    "AddedBefore" or "AddedAfter" or "AddedParallel" => $"加签：{actor}请您审核“{s.Name}”（{stage}）{due}",
                    "Delegated" => $"委派：{actor}请您就“{s.Name}”（{stage}）提出意见{due}",
                    "Fallback" => $"“{s.Name}”（{stage}）没有可以办理的人，已交由您（报告经办人）处理或请管理员指定审核人{due}",
                    _ => $"新的待办：{s.Name}（{stage}）{due}",
                };
                return [new(m.AssigneeId, m.Kind == "Regular" ? "task-assigned" : "task-" + m.Kind.ToLowerInvariant(), text, m.ReportId, m.SectionId)];
            }

            case SectionOperated { Operation: "cancel" } m:
            {
                var s = await SectionAsync(m.SectionId, ct);
                return s.AuthorId is null ? [] : [new(s.AuthorId, "section-cancelled", $"“{s.Name}”的审核已被{await NameAsync(m.ActorId, ct)}撤销，原因：{m.Text}。请修改后重新送审", m.ReportId, m.SectionId)];
            }

            case SectionOperated { Operation: "remove-signer", TargetId: { } signer } m:
            {
                var s = await SectionAsync(m.SectionId, ct);
                return [new(signer, "signer-removed", $"{await NameAsync(m.ActorId, ct)}已撤回请您对“{s.Name}”的加签，无需再办理", m.ReportId, m.SectionId)];
            }

            case SectionReturned m:
            {
                var s = await SectionAsync(m.SectionId, ct);
                var route = await routes.FindAsync(db, s.RouteId, s.RouteVersion, ct);
                if (route is not null && m.ToStage != route.Draft.Key)
                {
                    // Returned to an earlier review stage: its holders hear of it through their new task, with the opinion.
                    var to = route.Stages.FirstOrDefault(x => x.Key == m.ToStage)?.Name ?? m.ToStage;
                    var holders = await db.Tasks.AsNoTracking().Where(t => t.SectionId == m.SectionId && t.StageKey == m.ToStage && t.Status == Activities.Engine.WorkTaskStatus.Pending).Select(t => t.AssigneeId).Distinct().ToListAsync(ct);
                    var from = await StageNameAsync(s, m.Stage, ct);
                    return [.. holders.Select(h => new Notice(h, "section-returned", $"“{s.Name}”从{from}退回到{to}，意见：{m.Opinion}", m.ReportId, m.SectionId))];
                }

                return s.AuthorId is null ? [] : [new(s.AuthorId, "section-returned", $"“{s.Name}”被退回（{await StageNameAsync(s, m.Stage, ct)}），意见：{m.Opinion}", m.ReportId, m.SectionId)];
            }

            case SectionFinalized m:
            {
                var s = await SectionAsync(m.SectionId, ct);
                return s.AuthorId is null ? [] : [new(s.AuthorId, "section-approved", $"“{s.Name}”已审核通过", m.ReportId, m.SectionId)];
            }

            case ReportCompleted m:
            {
                // The clerk hears the report is ready; each signer finds 签发 among their 待办.
                var report = await db.Reports.AsNoTracking().FirstAsync(r => r.Id == m.ReportId, ct);
                var signers = await directory.InRoleAsync(Roles.Signer, ct);
                return [new(report.CreatedById, "report-completed", $"《{report.Title}》各部分均已通过，可以签发", report.Id, null),
                    .. signers.Where(u => u != report.CreatedById).Select(u => new Notice(u, "report-to-sign", $"待签发：《{report.Title}》各部分均已审核通过，请签发", report.Id, null))];
            }

            case ReportSignedOff m:
            {
                var report = await db.Reports.AsNoTracking().FirstAsync(r => r.Id == m.ReportId, ct);
                var signer = await NameAsync(m.ActorId, ct);
                return [new(report.CreatedById, "report-signed", $"《{report.Title}》已由{signer}签发，定稿 {m.Final}", report.Id, null)];
            }

            case ReportReopened m:
            {
                var report = await db.Reports.AsNoTracking().FirstAsync(r => r.Id == m.ReportId, ct);
                return [new(report.CreatedById, "report-reopened", $"《{report.Title}》定稿 {m.Final} 已重新打开复审：{m.Reason}", report.Id, null)];
            }

            case TaskReminded m:
            {
                var s = await SectionAsync(m.SectionId, ct);
                var stage = await StageNameAsync(s, m.Stage, ct);
                var due = m.DueAt is { } d ? $"，截止时间{Time(d)}" : "";
                string text;
                if (m.Manual)
                {
                    var actor = (await directory.NamesAsync([m.ActorId], ct)).GetValueOrDefault(m.ActorId)?.DisplayName ?? m.ActorId;
                    var note = string.IsNullOrWhiteSpace(m.Note) ? "" : $"：{m.Note}";
                    text = $"催办：{actor}提醒您办理“{s.Name}”（{stage}）{due}{note}";
                }
                else
                {
                    text = $"催办：“{s.Name}”（{stage}）即将到期{due}";
                }

                return [new(m.AssigneeId, "task-reminder", text, m.ReportId, m.SectionId)];
            }

            case TaskOverdue m:
            {
                var s = await SectionAsync(m.SectionId, ct);
                var stage = await StageNameAsync(s, m.Stage, ct);
                var holder = (await directory.NamesAsync([m.AssigneeId], ct)).GetValueOrDefault(m.AssigneeId)?.DisplayName ?? m.AssigneeId;
                var notices = new List<Notice> { new(m.AssigneeId, "task-overdue", $"已超期：“{s.Name}”（{stage}）截止于{Time(m.DueAt)}，请尽快办理", m.ReportId, m.SectionId) };
                notices.AddRange(m.EscalatedTo.Where(u => u != m.AssigneeId).Distinct().Select(u =>
                    new Notice(u, "task-escalated", $"督办：{holder}办理的“{s.Name}”（{stage}）已超期，截止于{Time(m.DueAt)}", m.ReportId, m.SectionId)));
                return notices;
            }

            default:
                return [];
        }
    }

    private static string Time(DateTimeOffset at) => CountyTime.Minutes(at);

    private async Task<string> NameAsync(string userId, CancellationToken ct) =>
        (await directory.NamesAsync([userId], ct)).GetValueOrDefault(userId)?.DisplayName ?? userId;

    /// <summary>A section by its number and title; a report's own part (标题, 导语, 结尾) by the report it belongs to.</summary>
    private async Task<SectionInfo> SectionAsync(Guid id, CancellationToken ct)
    {
        var s = await (from x in db.Sections.AsNoTracking()
                       join r in db.Reports on x.ReportId equals r.Id
                       where x.Id == id
                       select new { x.Number, x.Title, x.Kind, Report = r.Title, x.AuthorId, x.RouteDefinitionId, x.RouteVersion })
            .FirstAsync(ct);
        var name = s.Kind == Activities.Documents.SectionKind.Body ? s.Number + s.Title : $"《{s.Report}》的{s.Title}";
        return new SectionInfo(name, s.AuthorId, s.RouteDefinitionId, s.RouteVersion);
    }

    private async Task<string> StageNameAsync(SectionInfo s, string stage, CancellationToken ct) =>
        (await routes.FindAsync(db, s.RouteId, s.RouteVersion, ct))?.Stages.FirstOrDefault(x => x.Key == stage)?.Name ?? stage;

    private sealed record SectionInfo(string Name, string? AuthorId, string RouteId, int RouteVersion);
}
