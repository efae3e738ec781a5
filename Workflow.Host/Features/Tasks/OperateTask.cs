using Microsoft.EntityFrameworkCore;
using Workflow.Activities.Engine;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Features.Tasks;

/// <summary>What the holder of a task does with it: 转办 (transfer), 委派 (delegate), 加签 (add a signer), 减签 (remove one).</summary>
public enum TaskOperation
{
    Transfer,
    Delegate,
    AddSigner,
    RemoveSigner,
}

/// <summary>
/// An operation on one task, named by its id. To is the user name of the person it concerns (the new holder, the
/// delegate, the added signer); Position is before | after | parallel for 加签; Signer the task id of the added signer
/// to remove; Text the opinion or note.
/// </summary>
public sealed record OperateTask(CurrentUser Actor, Guid TaskId, TaskOperation Operation, string? To, string? Position, Guid? Signer, string? Text) : Command<SectionStateDto>(Actor)
{
    public override Refusal? Validate()
    {
        if (Operation != TaskOperation.RemoveSigner && string.IsNullOrWhiteSpace(To))
        {
            return Refusal.Invalid(Operation == TaskOperation.AddSigner ? "user" : "to", "Say who: the user name of the person to receive the task.");
        }

        if ((To?.Length ?? 0) > 256)
        {
            return Refusal.Invalid("to", "That is longer than any user name.");
        }

        if (Operation == TaskOperation.AddSigner && Position is not ("before" or "after" or "parallel"))
        {
            return Refusal.Invalid("position", "position is 'before' (they sign before you), 'after' (after you) or 'parallel' (beside you).");
        }

        if ((Text?.Length ?? 0) > HostLimits.MaxOpinionCharacters)
        {
            return Refusal.TooLong("note", $"A note is at most {HostLimits.MaxOpinionCharacters:N0} characters.", HostLimits.MaxOpinionCharacters);
        }

        return Refusal.UnstorableText("note", "The note", Text);
    }
}

public sealed class OperateTaskHandler(WorkflowDbContext db, SectionCommands sections, UserDirectory directory) : ICommandHandler<OperateTask, SectionStateDto>
{
    public async Task<CommandResult<SectionStateDto>> HandleAsync(OperateTask command, CancellationToken ct)
    {
        var user = command.Actor;
        var row = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == command.TaskId, ct);
        if (row is null)
        {
            return Refusal.NotFound("The task");
        }

        var (loaded, missing) = await sections.LoadAsync(row.SectionId, user, ct);
        if (loaded is null)
        {
            return missing!;
        }

        // The task named is the actor's own (an administrator may remove anyone's added signers).
        var admin = user.IsInRole(Roles.Admin);
        if (row.AssigneeId != user.Id && !(command.Operation == TaskOperation.RemoveSigner && admin))
        {
            return Refusal.Forbidden("This task is not yours; only its holder may hand it on, share it or add signers to it.");
        }

        string? target = null;
        if (command.To is { Length: > 0 } name)
        {
            target = await directory.IdOfAsync(name.Trim(), ct);
            if (target is null)
            {
                return Refusal.Invalid(command.Operation == TaskOperation.AddSigner ? "user" : "to", $"There is no active user '{name.Trim()}'.", "unknown-user");
            }
        }

        SectionCommand engine;
        switch (command.Operation)
        {
            case TaskOperation.RemoveSigner:
                var added = command.Signer is { } signer ? loaded.Tasks.FirstOrDefault(t => t.Id == signer) : null;
                if (added is null || added.ParentOrdinal != row.Ordinal && !admin)
                {
                    return Refusal.NotFound("The added signer");
                }

                engine = new RemoveSignerCommand(user.Id, added.Ordinal, admin);
                break;
            default:
                if (row.Status != WorkTaskStatus.Pending || !loaded.State.IsCurrent(loaded.State.Tasks[row.Ordinal]))
                {
                    return Refusal.Conflict("The task is no longer pending; it was decided, handed on or the section moved on.", "task-closed");
                }

                engine = command.Operation switch
                {
                    TaskOperation.Transfer => new TransferCommand(user.Id, target!, command.Text),
                    TaskOperation.Delegate => new DelegateCommand(user.Id, target!, command.Text),
                    _ => new AddSignerCommand(user.Id, loaded.State.Version.Number, target!, command.Position switch
                    {
                        "before" => SignerPosition.Before,
                        "after" => SignerPosition.After,
                        _ => SignerPosition.Parallel,
                    }, command.Text),
                };
                break;
        }

        // The other person's name as it is today, kept with the entry: the sign-off sheet shows it as it was on the day.
        var other = target ?? (engine is RemoveSignerCommand removing ? loaded.Tasks[removing.TaskIndex].AssigneeId : null);
        var toName = other is null ? null : (await directory.NamesAsync([other], ct)).GetValueOrDefault(other)?.DisplayName;
        var details = new { taskId = command.TaskId, to = command.To?.Trim(), toId = target, toName, position = command.Position, signer = command.Signer, note = command.Text?.Trim() };
        var (_, refused) = await sections.DecideAsync(loaded, engine, user, details, ct);
        return refused ?? CommandResult<SectionStateDto>.Done(SectionStateDto.From(loaded.Row, loaded.Route));
    }
}
