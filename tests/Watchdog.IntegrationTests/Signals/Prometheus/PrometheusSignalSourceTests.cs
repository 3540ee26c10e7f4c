using Microsoft.Extensions.DependencyInjection;
using Watchdog.Configuration;
using Watchdog.IntegrationTests.Servers;
using Watchdog.Rules;
using Watchdog.Signals;
using Watchdog.Signals.Prometheus;

namespace Watchdog.IntegrationTests.Signals.Prometheus;

/// <summary>
/// The Prometheus source against a real Prometheus 2.42 scraping <see cref="MetricsEndpoint"/> every 200 ms
/// (checkout fails 5 % of its requests, payments 20 %), wired as the daemon wires it. Rates look back 2 s, not the
/// 1 s that 200 ms scrapes allow: on two busy cores a scrape of the test host sometimes misses its 200 ms timeout.
/// </summary>
[Collection(PrometheusTestGroup.Name)]
public sealed class PrometheusSignalSourceTests(PrometheusServer prometheus)
{
    private const string Selector = "namespace=\"{{namespace}}\",deployment=\"{{deployment}}\"";

    private static readonly Dictionary<string, SignalOptions> Signals = new(StringComparer.Ordinal)
    {
        ["error_rate"] = Prometheus("error_rate", $$"""sum(rate(http_requests_total{{{Selector}},code="500"}[2s])) / sum(rate(http_requests_total{{{Selector}}}[2s]))"""),
        ["errors_per_second"] = Prometheus("errors_per_second", $$"""sum(rate(http_requests_total{{{Selector}},code="500"}[2s]))"""),
        ["raw_samples"] = Prometheus("raw_samples", $$"""http_requests_total{{{Selector}},code="500"}[2s]"""),
        ["broken"] = Prometheus("broken", "sum(rate(http_requests_total[2s]"),
        ["grouped_error_rate"] = Prometheus("grouped_error_rate", "unused") with
        {
            GroupBy = ["namespace", "deployment"],
            GroupQuery = """sum by (namespace, deployment) (rate(http_requests_total{code="500"}[2s])) / sum by (namespace, deployment) (rate(http_requests_total[2s]))""",
        },
    };

    private static readonly TargetOptions Checkout = Target("checkout");
    private static readonly TargetOptions Payments = Target("payments");

    private static CancellationToken Ct => new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token;

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task ReadAsync_ErrorRatio_IsTheRatioPrometheusComputesFromRealScrapes(string method)
    {
        var value = (await ReadAsync([new SignalRequest(Checkout, "error_rate")], method)).Single();

        value.State.ShouldBe(SignalState.Number, value.ToString());
        value.Number.ShouldBe(0.05, tolerance: 0.005);
    }

    [Fact]
    public async Task ReadAsync_RateOfErrors_IsTheCountersRealPerSecondRate()
    {
        // An absolute rate, unlike a ratio, dips when a loaded machine makes scrapes miss their 200 ms timeout (rate()
        // extrapolates over the gap): read again for a few seconds until the window is whole. A wrong reading
        // (a ratio, a sum of both deployments, zero) never gets within the tolerance, so this still fails.
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(10);
        SignalValue value;
        do
        {
            value = (await ReadAsync([new SignalRequest(Payments, "errors_per_second")])).Single();
        }
        while ((value.State != SignalState.Number || Math.Abs(value.Number - 20) > 3) && TimeProvider.System.GetUtcNow() < deadline && await Pause());

        value.State.ShouldBe(SignalState.Number, value.ToString());
        value.Number.ShouldBe(20, tolerance: 3);

        static async Task<bool> Pause()
        {
            await Task.Delay(200);
            return true;
        }
    }

    [Fact]
    public async Task ReadAsync_SeriesThatDoesNotExist_IsNoData()
    {
        var value = (await ReadAsync([new SignalRequest(Target("ghost"), "error_rate")])).Single();

        value.State.ShouldBe(SignalState.NoData);
    }

    [Fact]
    public async Task ReadAsync_PromQlSyntaxError_IsAnErrorWithPrometheusMessage()
    {
        var value = (await ReadAsync([new SignalRequest(Checkout, "broken")])).Single();

        value.ErrorMessage.ShouldBe("""bad_data: invalid parameter "query": 1:33: parse error: unclosed left parenthesis""");
    }

    [Fact]
    public async Task ReadAsync_RangeSelectorAsInstantQuery_IsAnErrorAskingForAnInstantVector()
    {
        var value = (await ReadAsync([new SignalRequest(Checkout, "raw_samples")])).Single();

        value.ErrorMessage.ShouldBe("the query returned a matrix; a signal query must return an instant vector or a scalar");
    }

    [Fact]
    public async Task ReadAsync_GroupedQuery_IsSplitAcrossTheTargetsByTheirLabels()
    {
        var values = await ReadAsync(
            [
                new SignalRequest(Payments, "grouped_error_rate"),
                new SignalRequest(Checkout, "grouped_error_rate"),
                new SignalRequest(Target("ghost"), "grouped_error_rate"),
            ]);

        values[0].Number.ShouldBe(0.20, tolerance: 0.01, values[0].ToString());
        values[1].Number.ShouldBe(0.05, tolerance: 0.005, values[1].ToString());
        values[2].State.ShouldBe(SignalState.NoData);
    }

    private async Task<IReadOnlyList<SignalValue>> ReadAsync(IReadOnlyList<SignalRequest> requests, string method = "GET")
    {
        var options = new WatchdogOptions
        {
            Sources = new SourcesOptions { Prometheus = new PrometheusSourceOptions { Url = prometheus.Url, Method = method, Timeout = TimeSpan.FromSeconds(5) } },
            Signals = Signals,
        };
        await using var services = new ServiceCollection().AddLogging().AddSingleton(options).AddSignalSource<PrometheusSignalSource>().BuildServiceProvider();
        return await services.GetServices<ISignalSource>().Single().ReadAsync(requests, Ct);
    }

    private static SignalOptions Prometheus(string name, string query) => new() { Name = name, Source = "prometheus", Query = query };

    private static TargetOptions Target(string deployment) => new()
    {
        Name = deployment,
        Variables = new Dictionary<string, string>(StringComparer.Ordinal) { ["namespace"] = "prod", ["deployment"] = deployment },
    };
}
