namespace Watchdog.Tests.Packaging;

/// <summary>
/// The container build and the systemd unit, checked as far as this machine can: no container engine runs here, so the
/// Dockerfile's inputs are checked to exist; the unit is verified by systemd-analyze (package systemd), not started.
/// </summary>
public sealed class DeploymentFilesTests
{
    [Fact]
    public async Task TheSystemdUnit_PassesSystemdAnalyzeVerify_WithoutAWarning()
    {
        var unit = File.ReadAllText(RepositoryPaths.Of("deploy", "systemd", "watchdog.service"));
        unit.ShouldContain("ExecStart=/opt/watchdog/watchdog run --config /etc/watchdog/watchdog.yaml");
        using var directory = new TempDirectory();
        // verify checks that ExecStart's binary exists; the publish is not installed here, so an executable stands in.
        var path = directory.Write("watchdog.service", unit.Replace("ExecStart=/opt/watchdog/watchdog", "ExecStart=/bin/true", StringComparison.Ordinal));

        var (code, output) = await ExternalTool.RunAsync("systemd-analyze", "apt-get install -y --no-install-recommends systemd", ["verify", path]);

        code.ShouldBe(0, output);
        output.ShouldBeEmpty("unknown keys and bad values are only warnings");
    }

    [Fact]
    public void TheDockerfile_CopiesOnlyWhatExists_AndRunsAsNonRoot()
    {
        var lines = File.ReadAllLines(RepositoryPaths.Of("Dockerfile"));
        var sources = lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from=", StringComparison.Ordinal))
            .SelectMany(l => l["COPY ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
            .ToList();

        sources.Count.ShouldBeGreaterThan(5);
        sources.Where(s => !File.Exists(RepositoryPaths.Of(s)) && !Directory.Exists(RepositoryPaths.Of(s))).ShouldBeEmpty();
        lines.ShouldContain("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build");
        lines.ShouldContain("FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime");
        lines.ShouldContain("USER ${UID}:${UID}");
        lines.ShouldContain("ARG UID=10001");
        lines.ShouldContain("VOLUME [\"/var/lib/watchdog\"]");
    }
}
