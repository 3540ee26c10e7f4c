using System.Diagnostics;

namespace Watchdog.IntegrationTests.Servers;

/// <summary>
/// How the tests run the built daemon: <c>dotnet watchdog.dll VERB ...</c> from the test's bin folder (the integration
/// project references the Watchdog project, so the build puts it there), with the test host's own
/// <c>WATCHDOG__</c> overrides removed and the test's added.
/// </summary>
internal static class DaemonCommand
{
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var daemon = Path.Combine(AppContext.BaseDirectory, "watchdog.dll");
        if (!File.Exists(daemon))
        {
            throw new InvalidOperationException($"{daemon} is missing: the integration tests reference the Watchdog project, so a build puts it there");
        }

        var info = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(daemon);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Overrides from the test host's own environment would change the configuration under test.
        foreach (var inherited in info.Environment.Keys.Where(k => k.StartsWith("WATCHDOG__", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(inherited);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    /// <summary>The dotnet host running these tests (set by the CLI for its children), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
