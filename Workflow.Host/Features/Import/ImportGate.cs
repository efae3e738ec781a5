using Workflow.Host.Workflow;

namespace Workflow.Host.Features.Import;

/// <summary>
/// Few imports read documents at once: a large .docx costs hundreds of milliseconds of CPU and tens of megabytes, so
/// eight at once must not starve everyone else. Others wait a little for a slot, then get a 503 saying when to retry.
/// </summary>
public sealed class ImportGate
{
    public const int MaxConcurrent = 2;

    public const int RetryAfterSeconds = 5;

    private readonly SemaphoreSlim slots = new(MaxConcurrent, MaxConcurrent);

    /// <summary>How long an import waits for a slot before it is turned away.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A slot to hold while reading a document, or null when none came free in time.</summary>
    public async Task<IDisposable?> EnterAsync(CancellationToken ct) =>
        await slots.WaitAsync(MaxWait, ct) ? new Slot(slots) : null;

    /// <summary>No slot came free in time: nothing was read, try again shortly (sent with Retry-After).</summary>
    public static Refusal Busy { get; } = Refusal.Create(StatusCodes.Status503ServiceUnavailable, "Imports busy",
        $"{MaxConcurrent} imports are being read right now; nothing was imported. Try again in {RetryAfterSeconds} seconds.", "import-busy") with { RetryAfterSeconds = RetryAfterSeconds };

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
