using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Workflow.Host.Infrastructure;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Workflow;

/// <summary>What a command produced: a response to send (after committing) or a refusal (nothing is written).</summary>
public sealed record CommandOutcome(int Status, object? Body, IResult? Refusal)
{
    public static CommandOutcome Done(object body, int status = StatusCodes.Status200OK) => new(status, body, null);

    public static CommandOutcome Refused(IResult problem) => new(0, null, problem);
}

/// <summary>
/// Runs a state-changing request in one database transaction (invariant 5) and honours the
/// Idempotency-Key header (invariant 6): the first response is stored in the same transaction and
/// replayed for a repeat by the same user. A write that loses a race (concurrency token, unique index)
/// is retried from a fresh read, where the engine then decides against the new state.
/// </summary>
public sealed class CommandExecutor(WorkflowDbContext db, WriteGate gate, Messaging.OutboxSignal outbox, AuditCheckpointer checkpointer, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, ILogger<CommandExecutor> logger, TimeProvider clock)
{
    public const string IdempotencyHeader = "Idempotency-Key";
    private const int MaxAttempts = 4;

    public async Task<IResult> ExecuteAsync(HttpContext http, object? request, Func<CancellationToken, Task<CommandOutcome>> command)
    {
        var ct = http.RequestAborted;
        var user = CurrentUser.From(http.User);
        var key = http.Request.Headers[IdempotencyHeader].ToString().Trim();
        if (key.Length > 128)
        {
            return Problems.BadRequest($"The {IdempotencyHeader} header is at most 128 characters.", "idempotency-key-too-long");
        }

        var fingerprint = Fingerprint(http.Request, request);
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            try
            {
                using var turn = await gate.EnterAsync(ct);
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                if (key.Length > 0)
                {
                    var earlier = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == user.Id && r.Key == key, ct);
                    if (earlier is not null)
                    {
                        if (earlier.RequestHash != fingerprint)
                        {
                            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "Idempotency key reused", $"The {IdempotencyHeader} '{key}' was already used for a different request; use a new key for a new request.", "idempotency-key-reused");
                        }

                        http.Response.Headers["Idempotent-Replayed"] = "true";
                        var type = earlier.StatusCode >= 400 ? "application/problem+json" : "application/json";
                        return Results.Content(earlier.ResponseBody, type, Encoding.UTF8, earlier.StatusCode);
                    }
                }

                var outcome = await command(ct);
                if (outcome.Refusal is not null)
                {
                    // A refusal writes nothing of the command, but its answer is kept for the key, so a retry
                    // after the situation changed still gets the first answer (invariant 6).
                    db.ChangeTracker.Clear();
                    if (key.Length > 0 && outcome.Refusal is IStatusCodeHttpResult { StatusCode: { } refusedStatus } and IValueHttpResult { Value: { } problem })
                    {
                        db.IdempotencyRecords.Add(Record(user.Id, key, fingerprint, refusedStatus, JsonSerializer.Serialize(problem, problem.GetType(), json.Value.SerializerOptions)));
                        await db.SaveChangesAsync(ct);
                        await tx.CommitAsync(ct);
                    }

                    return outcome.Refusal;
                }

                var body = JsonSerializer.Serialize(outcome.Body, json.Value.SerializerOptions);
                if (key.Length > 0)
                {
                    db.IdempotencyRecords.Add(Record(user.Id, key, fingerprint, outcome.Status, body));
                }

                var messages = outbox.Claim(db);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                outbox.Committed(messages);
                checkpointer.Pulse();

                return Results.Content(body, "application/json", Encoding.UTF8, outcome.Status);
            }
            catch (Exception ex) when (DatabaseErrors.IsLostRace(ex) && attempt < MaxAttempts)
            {
                logger.LogInformation(ex, "Write conflict on {Path} (attempt {Attempt}); retrying from a fresh read", http.Request.Path, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * attempt), ct);
            }
            catch (Exception ex) when (DatabaseErrors.IsLostRace(ex))
            {
                logger.LogWarning(ex, "Write conflict on {Path} persisted after {Attempts} attempts", http.Request.Path, MaxAttempts);
                return Problems.Conflict("Another change to the same data was saved at the same moment; reload and try again.", "concurrent-change");
            }
        }
    }

    private IdempotencyRecord Record(string userId, string key, string fingerprint, int status, string body) => new()
    {
        UserId = userId,
        Key = key,
        RequestHash = fingerprint,
        StatusCode = status,
        ResponseBody = body,
        CreatedAt = clock.GetUtcNow(),
    };

    private static string Fingerprint(HttpRequest request, object? body)
    {
        var text = $"{request.Method} {request.Path}\n{JsonSerializer.Serialize(body, JsonDefaults.Storage)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
