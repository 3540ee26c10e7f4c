namespace Watchdog.IntegrationTests.Servers;

/// <summary>When <see cref="DaemonProcess"/> counts a start as done.</summary>
public enum DaemonReadiness
{
    /// <summary><c>/readyz</c> answers 200: the first watch cycle completed.</summary>
    Ready,

    /// <summary><c>/healthz</c> answers 200: the HTTP API is up, whatever the watch loop does (e.g. with its store down).</summary>
    Listening,
}
