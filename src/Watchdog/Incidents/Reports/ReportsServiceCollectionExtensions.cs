using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Watchdog.Configuration;
using Watchdog.Incidents.Stats;
using Watchdog.Records;

namespace Watchdog.Incidents.Reports;

internal static class ReportsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the report builder, the report writer (into <see cref="ReportsOptions.Directory"/>) and the
    /// statistics calculator. Needs an <see cref="IWatchdogStore"/>; uses the registered <see cref="TimeProvider"/>,
    /// or the system clock if none is.
    /// </summary>
    public static IServiceCollection AddWatchdogReports(this IServiceCollection services, WatchdogOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var directory = IncidentReportWriter.ResolveDirectory(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new IncidentReportBuilder(provider.GetRequiredService<IWatchdogStore>()));
        services.AddSingleton(provider => new IncidentReportWriter(provider.GetRequiredService<IncidentReportBuilder>(), directory));
        services.AddSingleton(provider => new RollbackStatisticsCalculator(
            provider.GetRequiredService<IWatchdogStore>(),
            provider.GetRequiredService<TimeProvider>()));
        return services;
    }
}
