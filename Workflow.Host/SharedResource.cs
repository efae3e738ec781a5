namespace Workflow.Host;

/// <summary>
/// Anchor for the UI's texts: Resources/SharedResource.resx holds the Chinese (the default culture, zh-CN) and
/// SharedResource.en.resx the English, so no label is written in code.
/// </summary>
public sealed class SharedResource;
