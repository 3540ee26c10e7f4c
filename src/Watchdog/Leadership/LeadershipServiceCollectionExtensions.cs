using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Kubernetes;
using Watchdog.Records;

namespace Watchdog.Leadership;

internal static class LeadershipServiceCollectionExtensions
{
    /// <summary>
    /// Who leads: with <c>ha.lock: none</c> this replica, for good; otherwise the elector, registered here so that it
    /// starts before the leader's loops and is stopped after them (the host stops in reverse order), which lets it
    /// release the lock only once they have stopped. Call right after the store's start-up.
    /// </summary>
    public static IServiceCollection AddLeadership(this IServiceCollection services, WatchdogOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ha = options.Ha;
        if (!ha.Enabled)
        {
            services.AddSingleton(provider => LeaderState.Solo(provider.GetRequiredService<TimeProvider>()));
            services.AddSingleton<LeaderElectionMetrics>();
            return services;
        }

        var identity = ha.Identity ?? $"{environment("POD_NAME") ?? Environment.MachineName}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        services.AddSingleton(new LeaderState(identity, enabled: true));
        services.AddSingleton<LeaderElectionMetrics>();
        services.AddSingleton<ILeaderLock>(provider =>
        {
            var time = provider.GetRequiredService<TimeProvider>();
            var epochs = (ILeaderEpochStore)provider.GetRequiredService<IWatchdogStore>();
            if (ha.Lock == LeaderLockKind.Postgres)
            {
                return new PostgresAdvisoryLock(options.Store.ConnectionString!, ha.LeaseName, identity, ha.LeaseDuration, epochs, time);
            }

            var connection = provider.GetRequiredService<KubernetesConnection>();
            var ns = ha.Namespace ?? environment("POD_NAMESPACE") ?? connection.Client.Namespace;
            return new KubernetesLeaseLock(connection, ns, ha.LeaseName, identity, ha.LeaseDuration, time);
        });
        services.AddSingleton(provider => new LeaderElector(
            provider.GetRequiredService<LeaderState>(),
            provider.GetRequiredService<ILeaderLock>(),
            (ILeaderEpochStore)provider.GetRequiredService<IWatchdogStore>(),
            ha,
            provider.GetRequiredService<LeaderElectionMetrics>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<LeaderElector>>()));
        services.AddHostedService(provider => provider.GetRequiredService<LeaderElector>());

        // The leader's loops get the grace period to finish what they are doing; the host's own default is 30 s.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = ha.ShutdownGrace + TimeSpan.FromSeconds(5));
        return services;
    }
}
