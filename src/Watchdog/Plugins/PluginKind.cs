namespace Watchdog.Plugins;

/// <summary>What a plug-in is looked up for: its name is unique within its kind.</summary>
internal enum PluginKind
{
    /// <summary>A plan step, <c>- action: NAME</c>.</summary>
    Action,

    /// <summary>Where a signal is measured, <c>signals.X.source: NAME</c>.</summary>
    SignalSource,

    /// <summary>Where notifications go, <c>notifications[i].kind: NAME</c>.</summary>
    NotificationChannel,

    /// <summary>A feature-flag service, <c>flags[i].kind: NAME</c>.</summary>
    FlagProvider,
}
