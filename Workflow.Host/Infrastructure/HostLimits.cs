namespace Workflow.Host.Infrastructure;

public static class HostLimits
{
    /// <summary>Any request body; a whole county report is about 16 KB, so 1 MB leaves ample room.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>
    /// How far an upload over its limit is still read (and dropped) so its sender gets the 413 rather than a cut
    /// connection (see UploadLimits); a larger one is cut off here.
    /// </summary>
    public const long MaxDrainedUploadBytes = 100 * 1024 * 1024;

    /// <summary>One section's text. The longest section of a typical report is a few thousand characters.</summary>
    public const int MaxSectionCharacters = 100_000;

    public const int MaxOpinionCharacters = 2_000;

    public const int MaxNoteCharacters = 500;
}
