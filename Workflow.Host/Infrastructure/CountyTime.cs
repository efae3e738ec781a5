using System.Globalization;

namespace Workflow.Host.Infrastructure;

/// <summary>
/// Times as county offices read them: Beijing time, whatever the server's zone. China has no daylight saving, so a
/// fixed offset is exact. One place for the offset and the formats the pages, notices and exports share.
/// </summary>
public static class CountyTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateTimeOffset Local(DateTimeOffset at) => at.ToOffset(Offset);

    /// <summary>2026-11-22 16:40: lists and notices.</summary>
    public static string Minutes(DateTimeOffset at) => Local(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Minutes(DateTimeOffset? at) => at is { } t ? Minutes(t) : "";

    /// <summary>2026-11-22 16:40:05: the audit trail and its export.</summary>
    public static string Seconds(DateTimeOffset at) => Local(at).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>2026年11月22日 16:40:05: the sign-off sheet, written like an official document.</summary>
    public static string Written(DateTimeOffset at) => Local(at).ToString("yyyy年M月d日 HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Midnight at the start of a county day, for filters on whole days.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), Offset);
}
