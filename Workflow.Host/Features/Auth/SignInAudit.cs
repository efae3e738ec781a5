using System.Threading.Channels;
using Workflow.Host.Workflow;
using Workflow.Persistence;

namespace Workflow.Host.Features.Auth;

public sealed record SignInAuditEntry(string Action, string UserName, object Data);

/// <summary>
/// Writes sign-in failures and throttling to the county-wide audit chain off the request path: a refusal then costs
/// the same whether or not it is audited (no timing hint), and a flood cannot queue unbounded writes — the queue is
/// bounded and drops (with a log line) what it cannot take.
/// </summary>
public sealed class SignInAudit(IServiceScopeFactory scopes, ILogger<SignInAudit> logger) : BackgroundService
{
    private const int MaxAttempts = 4;

    private readonly Channel<SignInAuditEntry> queue = Channel.CreateBounded<SignInAuditEntry>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Enqueue(SignInAuditEntry entry)
    {
        if (!queue.Writer.TryWrite(entry))
        {
            logger.LogWarning("Sign-in audit queue full; {Action} for {UserName} not written to the audit trail", entry.Action, entry.UserName);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var entry in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await WriteAsync(entry, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WriteAsync(SignInAuditEntry entry, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var services = scope.ServiceProvider;
                var db = services.GetRequiredService<WorkflowDbContext>();
                using var turn = await services.GetRequiredService<WriteGate>().EnterAsync(ct);
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                // No signed-in actor: the name tried is the actor name, cut to the column's length.
                var name = entry.UserName.Length > 256 ? entry.UserName[..256] : entry.UserName;
                await services.GetRequiredService<AuditTrail>().AppendAsync(Guid.Empty, null, "", name, entry.Action, entry.Data, ct);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return;
            }
            catch (Exception ex) when (DatabaseErrors.IsLostRace(ex) && attempt < MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * attempt), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Could not write {Action} for {UserName} to the audit trail", entry.Action, entry.UserName);
                return;
            }
        }
    }
}
