using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Watchdog.Configuration;

namespace Watchdog.Signals.Alerts;

internal static class AlertIntakeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Alertmanager intake (for <see cref="AlertEndpoints.MapAlertEndpoints"/>) and
    /// <see cref="AlertSignalSource"/> as an <see cref="ISignalSource"/>, and the periodic retention pass. Evaluations it asks
    /// for go to the host's <see cref="EvaluationRequests"/>, one it registers if the host has not. The host must also register
    /// <see cref="IWatchdogStore"/> and a <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddAlertIntake(this IServiceCollection services, WatchdogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(options.Sources.Alertmanager);
        services.AddSingleton(new AlertIntakeAuthenticator(options.Sources.Alertmanager));
        services.AddSingleton(new AlertTargetMatcher(options.Targets));
        services.AddSingleton<AlertBook>();
        services.TryAddSingleton<EvaluationRequests>();
        services.AddSingleton<AlertRetention>();
        services.AddSingleton<AlertIntake>();
        services.AddHostedService<AlertRetentionLoop>();
        services.AddSingleton<AlertSignalSource>();
        services.AddSingleton<ISignalSource>(provider => provider.GetRequiredService<AlertSignalSource>());
        return services;
    }
}
