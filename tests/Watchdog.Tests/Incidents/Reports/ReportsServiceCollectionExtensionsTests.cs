using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Watchdog.Configuration;
using Watchdog.Incidents.Reports;
using Watchdog.Incidents.Stats;
using Watchdog.Records;
using Watchdog.Tests.Fakes;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Incidents.Reports;

public sealed class ReportsServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddWatchdogReports_ReportsDirectory_ReachesTheWriterResolvedAgainstTheConfigFolder()
    {
        using var temp = new TempDirectory();
        var options = new WatchdogOptions { ConfigPath = Path.Combine(temp.Path, "watchdog.yaml"), Reports = new ReportsOptions { Directory = "out/reports" } };
        await using var store = new InMemoryWatchdogStore();
        var services = new ServiceCollection().AddSingleton<IWatchdogStore>(store);

        await using var provider = services.AddWatchdogReports(options).BuildServiceProvider();

        provider.GetRequiredService<IncidentReportWriter>().Directory.ShouldBe(Path.Combine(temp.Path, "out", "reports"));
        provider.GetRequiredService<IncidentReportBuilder>().ShouldNotBeNull();
    }

    [Fact]
    public async Task AddWatchdogReports_ClockAlreadyRegistered_StatisticsUseThatClock()
    {
        var clock = TestClock.At(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var store = new InMemoryWatchdogStore();
        var services = new ServiceCollection().AddSingleton<IWatchdogStore>(store).AddSingleton<TimeProvider>(clock);

        await using var provider = services.AddWatchdogReports(new WatchdogOptions()).BuildServiceProvider();

        provider.GetRequiredService<TimeProvider>().ShouldBeSameAs(clock);
        (await provider.GetRequiredService<RollbackStatisticsCalculator>().ComputeAsync(TimeSpan.FromDays(1), default)).To.ShouldBe(clock.GetUtcNow());
        provider.GetRequiredService<IncidentReportWriter>().Directory.ShouldBeNull();
    }
}
