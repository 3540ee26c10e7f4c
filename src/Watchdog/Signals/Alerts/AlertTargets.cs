
namespace Watchdog.Signals.Alerts;

/// <summary>
/// How the targets an alert matched are kept in <see cref="ReceivedAlert.Target"/>. The store keeps one
/// row per alert (its uniqueness is fingerprint, status and start, without the target), so an alert matching
/// several targets names them all, comma-separated; target names cannot contain a comma. Null: no target.
/// </summary>
internal static class AlertTargets
{
    private const char Separator = ',';

    public static string? Join(IReadOnlyList<string> targets) => targets.Count == 0 ? null : string.Join(Separator, targets);

    public static IReadOnlyList<string> Split(string? stored) =>
        string.IsNullOrEmpty(stored) ? [] : stored.Split(Separator, StringSplitOptions.RemoveEmptyEntries);
}
