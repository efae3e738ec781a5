using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Workflow;

/// <summary>
/// Runs every command, whoever sends it, the same way: its own checks first (nothing read yet), then under the write
/// gate in one database transaction (invariant 5) the idempotency record, the handler (load, engine, rows, audit entry,
/// outbox messages) and the commit; the outbox rows go to the dispatcher and the audit checkpointer is woken after it.
/// A key already used by the same actor answers the first answer again, refusals included, and writes nothing
/// (invariant 6). A write that loses a race (concurrency token, unique index) is retried from a fresh read, where the
/// handler then decides against the new state.
/// </summary>
public sealed class CommandPipeline(
    IServiceProvider services, WorkflowDbContext db, WriteGate gate, Messaging.OutboxSignal outbox, AuditCheckpointer checkpointer,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, ILogger<CommandPipeline> logger, TimeProvider clock)
{
    public const int MaxKeyLength = 128;
    public const int MaxAttempts = 4;

    private static readonly ConcurrentDictionary<(Type Command, Type Result), Type> HandlerTypes = new();

    public async Task<CommandResult<TResult>> SendAsync<TResult>(Command<TResult> command, CancellationToken ct)
    {
        if (command.Validate() is { } invalid)
        {
            return invalid;
        }

        var key = command.IdempotencyKey?.Trim() ?? "";
        if (key.Length > MaxKeyLength)
        {
            return Refusal.BadRequest($"The Idempotency-Key header is at most {MaxKeyLength} characters.", "idempotency-key-too-long");
        }

        var actor = command.Actor.Id;
        var fingerprint = key.Length > 0 ? Fingerprint(command) : "";
        var handler = (ICommandHandler<TResult>)services.GetRequiredService(
            HandlerTypes.GetOrAdd((command.GetType(), typeof(TResult)), t => typeof(ICommandHandler<,>).MakeGenericType(t.Command, t.Result)));
        var options = json.Value.SerializerOptions;
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            try
            {
                using var turn = await gate.EnterAsync(ct);
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                if (key.Length > 0)
                {
                    var earlier = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == actor && r.Key == key, ct);
                    if (earlier is not null)
                    {
                        return earlier.RequestHash == fingerprint
                            ? CommandResult<TResult>.Replay(earlier.StatusCode, earlier.ResponseBody, options)
                            : Refusal.Create(StatusCodes.Status422UnprocessableEntity, "Idempotency key reused", $"The Idempotency-Key '{key}' was already used for a different request; use a new key for a new request.", "idempotency-key-reused");
                    }
                }

                var result = await handler.HandleAsync(command, ct);
                if (!result.Succeeded)
                {
                    // A refusal writes nothing of the command, also what its handler saved before refusing (an edit
                    // before a refused submission), but its answer is kept for the key, so a retry after the situation
                    // changed still gets the first answer (invariant 6), and a refusal that is a fact for the trail (a
                    // wrong password at 签发) leaves that one audit entry.
                    await tx.RollbackAsync(ct);
                    db.ChangeTracker.Clear();
                    if (key.Length == 0 && result.Refusal.Audit is null)
                    {
                        return result;
                    }

                    var problem = result.Refusal.ToProblemDetails();
                    var refused = JsonSerializer.Serialize(problem, problem.GetType(), options);
                    await using var keep = await db.Database.BeginTransactionAsync(ct);
                    if (result.Refusal.Audit is { } fact)
                    {
                        await services.GetRequiredService<AuditTrail>().AppendAsync(fact.ReportId, null, fact.ActorId, fact.ActorName, fact.Action, fact.Data, ct);
                    }

                    if (key.Length > 0)
                    {
                        db.IdempotencyRecords.Add(Record(actor, key, fingerprint, result.Status, refused));
                    }

                    await db.SaveChangesAsync(ct);
                    await keep.CommitAsync(ct);
                    if (result.Refusal.Audit is not null)
                    {
                        checkpointer.Pulse();
                    }

                    return key.Length > 0 ? result.Kept(refused) : result;
                }

                string? body = null;
                if (key.Length > 0)
                {
                    body = Serialize(result.Value, options);
                    db.IdempotencyRecords.Add(Record(actor, key, fingerprint, result.Status, body));
                }

                var messages = outbox.Claim(db);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                outbox.Committed(messages);
                checkpointer.Pulse();
                return body is null ? result : result.Kept(body);
            }
            catch (Exception ex) when (DatabaseErrors.IsLostRace(ex) && attempt < MaxAttempts)
            {
                logger.LogInformation(ex, "Write conflict on {Command} (attempt {Attempt}); retrying from a fresh read", command.GetType().Name, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * attempt), ct);
            }
            catch (Exception ex) when (DatabaseErrors.IsLostRace(ex))
            {
                logger.LogWarning(ex, "Write conflict on {Command} persisted after {Attempts} attempts", command.GetType().Name, MaxAttempts);
                return Refusal.Conflict("Another change to the same data was saved at the same moment; reload and try again.", "concurrent-change");
            }
        }
    }

    /// <summary>An answer as the API sends it and as it is kept for an idempotency key.</summary>
    public static string Serialize(object? value, JsonSerializerOptions options) => JsonSerializer.Serialize(value, options);

    private IdempotencyRecord Record(string userId, string key, string fingerprint, int status, string body) => new()
    {
        UserId = userId,
        Key = key,
        RequestHash = fingerprint,
        StatusCode = status,
        ResponseBody = body,
        CreatedAt = clock.GetUtcNow(),
    };

    /// <summary>The command's type and its fields but the actor and key: the same key for anything else is a new request.</summary>
    private static string Fingerprint<TResult>(Command<TResult> command)
    {
        var text = $"{command.GetType().Name}\n{JsonSerializer.Serialize(command.Fingerprint(), JsonDefaults.Storage)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}

public static class CommandRegistration
{
    /// <summary>
    /// Registers the pipeline and every command handler of the host (scoped, like the database context they share), each
    /// also under its own type so one handler can run another's steps in the same transaction.
    /// </summary>
    public static IServiceCollection AddCommandPipeline(this IServiceCollection services)
    {
        services.AddScoped<CommandPipeline>();
        var handlers = typeof(CommandPipeline).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false })
            .SelectMany(t => t.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommandHandler<,>)).Select(i => (Type: t, Interface: i)));
        foreach (var (type, face) in handlers)
        {
            services.AddScoped(type);
            services.AddScoped(face, sp => sp.GetRequiredService(type));
        }

        return services;
    }
}
