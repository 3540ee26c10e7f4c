namespace Watchdog.TestSupport;

/// <summary>
/// Runs Prometheus's <c>promtool</c> (Debian package <c>prometheus</c>, 2.42) to its end, bounded in time, with an
/// optional standard input; fails, not skips, when it is not installed.
/// </summary>
internal static class Promtool
{
    public static Task<(int ExitCode, string Output)> RunAsync(IReadOnlyList<string> arguments, string? input = null, string? workingDirectory = null) =>
        ExternalTool.RunAsync("promtool", "apt-get install -y --no-install-recommends prometheus", arguments, input, workingDirectory);
}
