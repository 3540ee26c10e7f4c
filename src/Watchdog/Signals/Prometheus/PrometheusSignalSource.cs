using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.Signals.Prometheus;

/// <summary>
/// Signals measured by PromQL. A signal with a <see cref="SignalOptions.GroupQuery"/> costs one query per batch
/// however many targets read it, split by its <see cref="SignalOptions.GroupBy"/> labels; any other signal costs one
/// query per distinct rendered template. Queries of a batch run concurrently, a few at a time.
/// </summary>
/// <param name="client">Null when <c>sources.prometheus</c> is not configured: the source then provides nothing.</param>
internal sealed class PrometheusSignalSource(
    IReadOnlyDictionary<string, SignalOptions> signals,
    PrometheusClient? client,
    PrometheusResilienceOptions resilience,
    ILogger<PrometheusSignalSource> logger) : ISignalSource, ISignalSourcePlugin
{
    public static string PluginName => PrometheusSourceOptions.SignalSource;

    public string Name => PluginName;

    /// <summary>A Prometheus signal is its query.</summary>
    public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.ContainsKey("query") ? [] : ["query: required"];
    }

    /// <summary>
    /// The source from the loaded options, with its named HTTP client (<see cref="PrometheusHttpClient"/>) and the
    /// default <see cref="PrometheusResilienceOptions"/> unless one is registered. A bearer token file is read when the
    /// source is first resolved; without <c>sources.prometheus</c> no client is made.
    /// </summary>
    public static void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new PrometheusResilienceOptions());
        services.TryAddSingleton(provider => provider.GetRequiredService<WatchdogOptions>().Sources.Prometheus
            ?? throw new InvalidOperationException("sources.prometheus is not configured: no Prometheus client is made"));
        PrometheusHttpClient.Add(services);
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<WatchdogOptions>();
            var client = options.Sources.Prometheus is null ? null : new PrometheusClient(
                provider.GetRequiredService<PrometheusSourceOptions>(),
                provider.GetRequiredService<IHttpClientFactory>(),
                provider.GetRequiredService<PrometheusOutage>());
            return new PrometheusSignalSource(
                options.Signals,
                client,
                provider.GetRequiredService<PrometheusResilienceOptions>(),
                provider.GetRequiredService<ILogger<PrometheusSignalSource>>());
        });
    }

    public bool Provides(TargetOptions target, string signal) =>
        client is not null && signals.TryGetValue(signal, out var options) && options.Source == PluginName;

    public async Task<IReadOnlyList<SignalValue>> ReadAsync(IReadOnlyList<SignalRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var values = new SignalValue[requests.Count];
        var queries = Plan(requests, values);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, resilience.MaxConcurrentQueries) };

        // Not cancelled through ParallelOptions: each query turns a cancellation into error values of its own, so
        // that the batch still returns one value per request.
        await Parallel.ForEachAsync(queries, parallel, async (query, _) => await RunAsync(query, requests, values, cancellationToken));
        return values;
    }

    /// <summary>The queries that answer <paramref name="requests"/>; requests no query can answer get their error now.</summary>
    private List<PlannedQuery> Plan(IReadOnlyList<SignalRequest> requests, SignalValue[] values)
    {
        var planned = new Dictionary<string, PlannedQuery>(StringComparer.Ordinal);
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            if (!signals.TryGetValue(request.Signal, out var signal) || signal.Source != PluginName)
            {
                values[i] = SignalValue.Error($"signal '{request.Signal}' is not a Prometheus signal");
                continue;
            }

            string query;
            if (signal.GroupQuery is { } groupQuery)
            {
                query = groupQuery;
            }
            else
            {
                var rendered = QueryTemplate.Render(signal.Query ?? "", request.Target);
                if (rendered.Query is null)
                {
                    values[i] = SignalValue.Error($"target '{request.Target.Name}' has no variable '{rendered.MissingVariable}' for signal '{request.Signal}'");
                    continue;
                }

                query = rendered.Query;
            }

            // Keyed by signal as well: two signals may share a group query but split it by different labels.
            var key = signal.GroupQuery is null ? "q\n" + query : "g\n" + signal.Name;
            if (!planned.TryGetValue(key, out var entry))
            {
                entry = new PlannedQuery(query, signal.GroupQuery is null ? null : signal, []);
                planned[key] = entry;
            }

            entry.Requests.Add(i);
        }

        return [.. planned.Values];
    }

    private async Task RunAsync(PlannedQuery query, IReadOnlyList<SignalRequest> requests, SignalValue[] values, CancellationToken cancellationToken)
    {
        PrometheusQueryResult result;
        try
        {
            result = client is null
                ? PrometheusQueryResult.Failure("sources.prometheus is not configured", transient: false)
                : await client.QueryAsync(query.Query, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The cycle's deadline passed: a slow Prometheus is an outage like any other, so a value, not a throw.
            result = PrometheusQueryResult.Failure("cancelled: no answer from Prometheus before the cycle's deadline", transient: true);
        }

        if (result.Error is { } error)
        {
            PrometheusLog.QueryFailed(logger, requests[query.Requests[0]].Signal, error);
        }

        if (query.GroupedSignal is { } grouped)
        {
            GroupedResultSplit.Assign(result, grouped, requests, query.Requests, values);
            return;
        }

        var value = result.SingleValue();
        foreach (var index in query.Requests)
        {
            values[index] = value;
        }
    }

    /// <summary>One query to send, and the requests (by index) its answer fills.</summary>
    private sealed record PlannedQuery(string Query, SignalOptions? GroupedSignal, List<int> Requests);
}
