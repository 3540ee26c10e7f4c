using System.Diagnostics;
using System.Reflection;

namespace Watchdog.Telemetry;

/// <summary>
/// The one <see cref="ActivitySource"/> Watchdog's own spans come from, and the span names (low-cardinality: what
/// varies, the target or the source, goes into attributes). docs/telemetry.md draws the tree they make.
/// </summary>
internal static class WatchdogActivities
{
    public const string SourceName = "Watchdog";

    public const string WatchCycle = "watch cycle";
    public const string SourceRead = "source read";
    public const string WatchTarget = "watch target";
    public const string Decide = "decide";
    public const string ActionRun = "action run";
    public const string ActionStep = "action step";
    public const string NotificationSend = "notification send";

    public static ActivitySource Source { get; } = new(
        SourceName,
        typeof(WatchdogActivities).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    /// <summary>
    /// A listener that records every span of <see cref="Source"/> and is told when each starts (if asked) and ends;
    /// for in-process readers of the spans (tests, benchmarks) that export nothing. Dispose it to stop listening.
    /// </summary>
    public static ActivityListener Listen(Action<Activity> stopped, Action<Activity>? started = null)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = started,
            ActivityStopped = stopped,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
