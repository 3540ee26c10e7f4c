using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.Signals.Health;

/// <summary>
/// The <c>health</c> source: a signal with <c>source: health</c> is the share of the target's health endpoints
/// that failed their probe (0 = all passed, 1 = all failed or unreachable), with each failed probe's endpoint and
/// reason as the value's note. A target without endpoints is not provided (its health rules are not applicable); a probe Watchdog could not judge makes the
/// signal an error. Each target is probed once per batch, however many health signals ask; every endpoint of
/// every target is probed side by side, at most <see cref="MaxConcurrentProbes"/> at a time.
/// </summary>
internal sealed class HealthProbeSource(
    WatchdogOptions options,
    IHttpClientFactory clients,
    TimeProvider time,
    ILogger<HealthProbeSource> logger) : ISignalSource, ISignalSourcePlugin, IDisposable
{
    public const string HttpClientName = "watchdog-health";

    /// <summary>Enough for hundreds of targets per cycle without opening thousands of sockets at once.</summary>
    public const int MaxConcurrentProbes = 64;

    /// <summary>
    /// From this many targets up, every endpoint of every one failing at once is taken for Watchdog's own outage
    /// (its network, its DNS), not that many failing releases: health is inconclusive for that cycle.
    /// </summary>
    public const int TargetsForOwnOutage = 3;

    private readonly SemaphoreSlim _slots = new(MaxConcurrentProbes, MaxConcurrentProbes);
    private readonly HealthEndpointStreaks _streaks = new();
    private int _allFailing;

    public static string PluginName => HealthCheckOptions.SignalSource;

    public string Name => PluginName;

    public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.ContainsKey("query") ? ["query: a health signal is computed from the target's health endpoints and takes no query"] : [];
    }

    /// <summary>The probes' HTTP client; the source itself is made by the container, and needs a <see cref="TimeProvider"/> from the host.</summary>
    public static void AddServices(IServiceCollection services)
    {
        // Each endpoint has its own timeout; the client's own 100 s default would only cut the long ones short.
        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // Endpoints behind a Service move between pods; a pooled connection must not pin a probe to an old one.
                PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            });
    }

    public void Dispose() => _slots.Dispose();

    // A target without endpoints does not watch its health: conditions over it are not applicable (WatchedSignals).
    public bool Provides(TargetOptions target, string signal) =>
        target.Health.Count > 0 && options.Signals.TryGetValue(signal, out var definition) && definition.Source == PluginName;

    public async Task<IReadOnlyList<SignalValue>> ReadAsync(IReadOnlyList<SignalRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var client = clients.CreateClient(HttpClientName);
        var slotOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var targets = new List<TargetOptions>();
        var probes = new List<Task<HealthProbeOutcome[]>>();
        foreach (var request in requests)
        {
            if (slotOf.TryAdd(request.Target.Name, probes.Count))
            {
                targets.Add(request.Target);
                probes.Add(ProbeTargetAsync(client, request.Target, cancellationToken));
            }
        }

        var outcomes = await Task.WhenAll(probes);
        var values = Judge(targets, outcomes);
        return [.. requests.Select(request => values[slotOf[request.Target.Name]])];
    }

    private SignalValue[] Judge(List<TargetOptions> targets, HealthProbeOutcome[][] outcomes)
    {
        var values = new SignalValue[targets.Count];
        for (var t = 0; t < targets.Count; t++)
        {
            values[t] = HealthReading.Of(targets[t], outcomes[t]);
        }

        var probed = outcomes.Count(o => o.Length > 0);
        var ownOutage = probed >= TargetsForOwnOutage && outcomes.All(o => o.All(outcome => !outcome.Passed));
        if (ownOutage)
        {
            for (var t = 0; t < targets.Count; t++)
            {
                if (outcomes[t].Length > 0)
                {
                    values[t] = SignalValue.Error(
                        $"inconclusive: every health endpoint of all {probed} targets probed this cycle failed, which points at Watchdog's own network, not {probed} failing releases ({values[t]})");
                }
            }
        }

        NoteOwnOutage(ownOutage, probed);
        return values;
    }

    // Said once when it starts and once when it ends, not every cycle.
    private void NoteOwnOutage(bool ownOutage, int probed)
    {
        var was = Interlocked.Exchange(ref _allFailing, ownOutage ? 1 : 0) == 1;
        if (ownOutage && !was)
        {
            HealthLog.AllTargetsFailing(logger, probed);
        }
        else if (!ownOutage && was)
        {
            HealthLog.TargetsAnswerAgain(logger);
        }
    }

    private async Task<HealthProbeOutcome[]> ProbeTargetAsync(HttpClient client, TargetOptions target, CancellationToken cancellationToken)
    {
        if (target.Health.Count == 0)
        {
            return [];
        }

        var outcomes = await Task.WhenAll(target.Health.Select(endpoint => ProbeAsync(client, endpoint, cancellationToken)));
        for (var i = 0; i < outcomes.Length; i++)
        {
            var endpoint = HealthLog.Describe(target.Health[i].Url);
            var change = _streaks.Record(target.Name, i, outcomes[i].Passed);
            if (change == HealthEndpointChange.StartedFailing)
            {
                HealthLog.ProbeStartedFailing(logger, target.Name, endpoint, outcomes[i].Reason ?? "");
            }
            else if (change == HealthEndpointChange.Recovered)
            {
                HealthLog.ProbeRecovered(logger, target.Name, endpoint);
            }
            else if (!outcomes[i].Passed)
            {
                HealthLog.ProbeStillFailing(logger, target.Name, endpoint, outcomes[i].Reason ?? "");
            }
        }

        HealthLog.Probed(logger, target.Name, outcomes.Count(o => !o.Passed), outcomes.Length);
        return outcomes;
    }

    private async Task<HealthProbeOutcome> ProbeAsync(HttpClient client, HealthCheckOptions endpoint, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            return await HealthEndpointProbe.ProbeAsync(client, endpoint, time, cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
    }
}
