using System.Diagnostics;

namespace Watchdog.IntegrationTests.Servers;

/// <summary>
/// What every real-server fixture does with its <c>scripts/start-*.sh</c>: run it with a time limit, read the
/// <c>export NAME=value</c> lines it prints, and, whatever happened, kill the server by PID and remove its folder.
/// </summary>
internal static class ServerScript
{
    /// <summary>Runs <c>bash scripts/SCRIPT ARGS...</c>; throws with its standard error if it fails or overruns.</summary>
    public static async Task<string> RunAsync(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout)
    {
        var path = RepositoryPaths.Of("scripts", script);
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(path);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not run {path}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{path} {string.Join(' ', info.ArgumentList.Skip(1))} did not finish within {timeout.TotalSeconds} s: {await errors}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{path} {string.Join(' ', info.ArgumentList.Skip(1))} exited {process.ExitCode}: {await errors}");
        }

        return await output;
    }

    /// <summary>
    /// Starts a fixture outside xunit (<see cref="IAsyncLifetime.InitializeAsync"/>) for a caller that then owns it; a
    /// failed start disposes it, so that no server is left behind, and the failure goes on to the caller.
    /// </summary>
    public static async Task<T> StartedAsync<T>(T server)
        where T : IAsyncLifetime
    {
        ArgumentNullException.ThrowIfNull(server);
        try
        {
            await server.InitializeAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>The <c>NAME=value</c> words of a script's output (its <c>export</c> lines).</summary>
    public static IReadOnlyDictionary<string, string> Exports(string output) =>
        output.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Where(word => word.Contains('=', StringComparison.Ordinal))
            .Select(word => word.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);

    /// <summary>Kills the process if it is still the server (its name starts with <paramref name="processName"/>) and removes its folder. Best effort.</summary>
    public static void KillAndRemove(int pid, string processName, string directory)
    {
        try
        {
            using var server = Process.GetProcessById(pid);
            if (!server.HasExited && server.ProcessName.StartsWith(processName, StringComparison.Ordinal))
            {
                server.Kill();
            }
        }
        catch (ArgumentException)
        {
            // Already gone: the script stopped it.
        }
        catch (InvalidOperationException)
        {
            // Exited between the lookup and the kill.
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // The script removed it.
        }
        catch (IOException)
        {
            // Best effort: a leftover folder in /tmp must not fail the run.
        }
    }
}
