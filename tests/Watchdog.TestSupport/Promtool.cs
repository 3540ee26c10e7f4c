using System.Diagnostics;

namespace Watchdog.TestSupport;

/// <summary>
/// Runs Prometheus's <c>promtool</c> (Debian package <c>prometheus</c>, 2.42) to its end, bounded in time, with an
/// optional standard input; fails, not skips, when it is not installed.
/// </summary>
internal static class Promtool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyList<string> arguments, string? input = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("promtool")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start promtool; apt-get install -y --no-install-recommends prometheus");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var limit = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"promtool {string.Join(' ', arguments)} did not finish within {Timeout.TotalSeconds} s");
        }

        return (process.ExitCode, (await output) + (await errors));
    }
}
