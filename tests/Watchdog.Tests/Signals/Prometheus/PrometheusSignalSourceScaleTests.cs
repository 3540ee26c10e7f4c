using System.Diagnostics;
using System.Globalization;
using System.Text;
using Watchdog.Configuration;
using Watchdog.Rules;
using Watchdog.Signals;
using Xunit.Abstractions;

namespace Watchdog.Tests.Signals.Prometheus;

/// <summary>Queries grow with signals, not with targets × signals.</summary>
public sealed class PrometheusSignalSourceScaleTests(ITestOutputHelper output)
{
    private const int Targets = 1000;
    private const int Signals = 5;

    [Fact]
    public async Task ReadAsync_ThousandTargetsSharingFiveGroupedSignals_SendsFiveQueriesPerCycleAndSplitsThem()
    {
        // Every signal's answer holds a series per target whose value says which target and signal it belongs to.
        var bodies = Enumerable.Range(0, Signals).Select(GroupedAnswer).ToArray();
        await using var stub = await PrometheusStub.StartAsync(query =>
            new StubAnswer(200, bodies[int.Parse(query.Query!.Split("metric_")[1][..1], CultureInfo.InvariantCulture)]));
        var signals = Enumerable.Range(0, Signals).Select(s => new SignalOptions
        {
            Name = $"signal_{s}",
            Source = "prometheus",
            Query = $$$"""metric_{{{s}}}{namespace="{{namespace}}",deployment="{{deployment}}"}""",
            GroupBy = ["namespace", "deployment"],
            GroupQuery = $"sum by (namespace, deployment) (metric_{s})",
        }).ToArray();
        var source = PrometheusSignalSourceTests.Source(stub.BaseUrl, signals);
        var requests = Enumerable.Range(0, Targets)
            .SelectMany(t => Enumerable.Range(0, Signals).Select(s =>
                new SignalRequest(PrometheusSignalSourceTests.Target($"target-{t}", $"ns-{t % 10}", $"app-{t}"), $"signal_{s}")))
            .ToList();

        var first = Stopwatch.StartNew();
        var values = await source.ReadAsync(requests, CancellationToken.None);
        first.Stop();
        var afterFirstCycle = stub.QueryCount;
        var second = Stopwatch.StartNew();
        var again = await source.ReadAsync(requests, CancellationToken.None);
        second.Stop();

        afterFirstCycle.ShouldBe(Signals);
        stub.QueryCount.ShouldBe(2 * Signals);
        values.Count.ShouldBe(Targets * Signals);
        for (var i = 0; i < requests.Count; i++)
        {
            var (target, signal) = (i / Signals, i % Signals);
            values[i].ShouldBe(SignalValue.Of(Expected(target, signal)), $"target-{target} signal_{signal}");
        }

        again.ShouldBe(values);
        output.WriteLine($"{requests.Count} requests ({Targets} targets x {Signals} signals): {stub.QueryCount / 2} queries per cycle; " +
            $"first cycle {first.ElapsedMilliseconds} ms, second {second.ElapsedMilliseconds} ms, answer size {bodies[0].Length / 1024} KiB per query");
    }

    private static double Expected(int target, int signal) => (signal * 10_000) + target;

    private static string GroupedAnswer(int signal)
    {
        var body = new StringBuilder("""{"status":"success","data":{"resultType":"vector","result":[""");
        for (var t = 0; t < Targets; t++)
        {
            body.Append(t == 0 ? "" : ",")
                .Append(CultureInfo.InvariantCulture, $$"""{"metric":{"namespace":"ns-{{t % 10}}","deployment":"app-{{t}}"},"value":[1795324342.446,"{{Expected(t, signal)}}"]}""");
        }

        return body.Append("]}}").ToString();
    }
}
