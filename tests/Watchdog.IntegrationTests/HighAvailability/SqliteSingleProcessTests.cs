using Watchdog.IntegrationTests.Servers;

namespace Watchdog.IntegrationTests.HighAvailability;

/// <summary>With the SQLite store HA is off: a second daemon on the same database file refuses to start, and says why.</summary>
public sealed class SqliteSingleProcessTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SecondDaemonOnTheSameFile_RefusesToStart_NamingTheFileAndTheWayOut()
    {
        var config = _dir.Write("watchdog.yaml", """
            http: {listen: "http://127.0.0.1:0"}
            store: {path: data/watchdog.db}
            """);
        await using var first = await DaemonProcess.StartAsync(config);

        var second = await DaemonProcess.RunToExitAsync(["run", "--config", config], _dir.Path, TimeSpan.FromSeconds(60));

        second.ExitCode.ShouldBe(1, second.Errors);
        second.Errors.ShouldContain($"the SQLite store {Path.Combine(_dir.Path, "data", "watchdog.db")} is in use by another Watchdog process");
        second.Errors.ShouldContain("store.kind: postgres and ha.lock");
        second.Errors.ShouldNotContain("   at ", customMessage: "a clear message, not a stack trace");
        first.Pid.ShouldNotBe(0, "the first daemon goes on");

        // Once the first is gone (even killed), the file is free again.
        await first.KillAsync();
        await using var again = await DaemonProcess.StartAsync(config);
        again.Pid.ShouldNotBe(0);
    }
}
