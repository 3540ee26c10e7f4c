using Microsoft.Extensions.Logging.Abstractions;
using Watchdog.Configuration;
using Watchdog.Rules;
using Watchdog.Signals;
using Watchdog.Signals.Prometheus;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Signals.Prometheus;

/// <summary>Templates rendered per target, grouped queries split by labels, and a batch that always answers every request.</summary>
public sealed class PrometheusSignalSourceTests
{
    private const string ErrorRateTemplate = """sum(rate(http_requests_total{namespace="{{namespace}}",deployment="{{deployment}}",code=~"5.."}[1m]))""";
    private const string GroupedErrorRate = """sum by (namespace, deployment) (rate(http_requests_total{code=~"5.."}[1m]))""";

    private static readonly SignalOptions ErrorRate = new() { Name = "error_rate", Source = "prometheus", Query = ErrorRateTemplate };
    private static readonly SignalOptions GroupedRate = new()
    {
        Name = "error_rate",
        Source = "prometheus",
        Query = ErrorRateTemplate,
        GroupBy = ["namespace", "deployment"],
        GroupQuery = GroupedErrorRate,
    };

    private static CancellationToken Ct => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public void Provides_PrometheusSignalsOfTheCatalogueOnly()
    {
        var health = new SignalOptions { Name = "health_check_failure_ratio", Source = "health" };
        var source = Source(new Uri("http://127.0.0.1:9/"), ErrorRate, health);
        var target = Target("checkout", "prod", "checkout");

        source.Name.ShouldBe("prometheus");
        source.Provides(target, "error_rate").ShouldBeTrue();
        source.Provides(target, "health_check_failure_ratio").ShouldBeFalse();
        source.Provides(target, "unknown_signal").ShouldBeFalse();
    }

    [Fact]
    public async Task ReadAsync_Template_IsRenderedFromTheTargetsVariablesAndName()
    {
        var signal = new SignalOptions { Name = "s", Query = """up{namespace="{{namespace}}",deployment="{{ deployment }}",target="{{target}}"}""" };
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.OneSeries("{}", "1"));
        var source = Source(stub.BaseUrl, signal);

        var values = await source.ReadAsync([new SignalRequest(Target("checkout-prod", "prod", "checkout"), "s")], Ct);

        values.ShouldBe([SignalValue.Of(1)]);
        stub.Queries.Single().Query.ShouldBe("""up{namespace="prod",deployment="checkout",target="checkout-prod"}""");
    }

    [Fact]
    public async Task ReadAsync_VariableWithAQuote_CannotEndTheStringLiteral()
    {
        var signal = new SignalOptions { Name = "s", Query = """up{deployment="{{deployment}}"}""" };
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.OneSeries("{}", "1"));
        var source = Source(stub.BaseUrl, signal);

        await source.ReadAsync([new SignalRequest(Target("t", "prod", """x"} or vector(1) or up{a="\"""), "s")], Ct);

        stub.Queries.Single().Query.ShouldBe("""up{deployment="x\"} or vector(1) or up{a=\"\\"}""");
    }

    [Fact]
    public async Task ReadAsync_MissingVariable_IsAnErrorNamingItAndSendsNoQuery()
    {
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.OneSeries("{}", "1"));
        var source = Source(stub.BaseUrl, ErrorRate);
        var target = new TargetOptions { Name = "checkout", Variables = new Dictionary<string, string> { ["namespace"] = "prod" } };

        var values = await source.ReadAsync([new SignalRequest(target, "error_rate")], Ct);

        values.Single().ErrorMessage.ShouldBe("target 'checkout' has no variable 'deployment' for signal 'error_rate'");
        stub.QueryCount.ShouldBe(0);
    }

    [Fact]
    public async Task ReadAsync_TwoTargetsWithTheSameRenderedQuery_SendItOnce()
    {
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.OneSeries("{}", "3"));
        var source = Source(stub.BaseUrl, ErrorRate);

        var values = await source.ReadAsync(
            [new SignalRequest(Target("a", "prod", "checkout"), "error_rate"), new SignalRequest(Target("b", "prod", "checkout"), "error_rate")], Ct);

        values.ShouldBe([SignalValue.Of(3), SignalValue.Of(3)]);
        stub.QueryCount.ShouldBe(1);
    }

    [Fact]
    public async Task ReadAsync_PerTargetQueries_AnswerEachTargetInRequestOrder()
    {
        await using var stub = await PrometheusStub.StartAsync(query => query.Query!.Contains("payments", StringComparison.Ordinal)
            ? StubAnswer.OneSeries("{}", "0.2")
            : query.Query.Contains("ghost", StringComparison.Ordinal) ? StubAnswer.Vector("") : StubAnswer.OneSeries("{}", "0.05"));
        var source = Source(stub.BaseUrl, ErrorRate);

        var values = await source.ReadAsync(
            [
                new SignalRequest(Target("checkout", "prod", "checkout"), "error_rate"),
                new SignalRequest(Target("ghost", "prod", "ghost"), "error_rate"),
                new SignalRequest(Target("payments", "prod", "payments"), "error_rate"),
            ],
            Ct);

        values.ShouldBe([SignalValue.Of(0.05), SignalValue.NoData, SignalValue.Of(0.2)]);
        stub.QueryCount.ShouldBe(3);
    }

    [Fact]
    public async Task ReadAsync_GroupQuery_IsSentOnceAndEachTargetTakesTheSeriesWithItsLabels()
    {
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.Vector(
            """{"metric":{"namespace":"prod","deployment":"checkout"},"value":[1,"0.05"]},""" +
            """{"metric":{"namespace":"prod","deployment":"payments"},"value":[1,"0.2"]},""" +
            """{"metric":{"namespace":"staging","deployment":"checkout"},"value":[1,"0.9"]}"""));
        var source = Source(stub.BaseUrl, GroupedRate);

        var values = await source.ReadAsync(
            [
                new SignalRequest(Target("payments", "prod", "payments"), "error_rate"),
                new SignalRequest(Target("checkout", "prod", "checkout"), "error_rate"),
                new SignalRequest(Target("checkout-staging", "staging", "checkout"), "error_rate"),
            ],
            Ct);

        values.ShouldBe([SignalValue.Of(0.2), SignalValue.Of(0.05), SignalValue.Of(0.9)]);
        stub.Queries.Single().Query.ShouldBe(GroupedErrorRate);
    }

    [Fact]
    public async Task ReadAsync_GroupQueryWithoutTheTargetsSeries_IsNoDataForThatTarget()
    {
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.Vector("""{"metric":{"namespace":"prod","deployment":"checkout"},"value":[1,"0.05"]}"""));
        var source = Source(stub.BaseUrl, GroupedRate);

        var values = await source.ReadAsync(
            [new SignalRequest(Target("checkout", "prod", "checkout"), "error_rate"), new SignalRequest(Target("ghost", "prod", "ghost"), "error_rate")], Ct);

        values.ShouldBe([SignalValue.Of(0.05), SignalValue.NoData]);
    }

    [Fact]
    public async Task ReadAsync_GroupQueryWithTwoSeriesForOneTarget_IsAnErrorNamingTheirLabels()
    {
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.Vector(
            """{"metric":{"namespace":"prod","deployment":"checkout","pod":"a"},"value":[1,"0.05"]},""" +
            """{"metric":{"namespace":"prod","deployment":"checkout","pod":"b"},"value":[1,"0.07"]},""" +
            """{"metric":{"namespace":"prod","deployment":"payments","pod":"c"},"value":[1,"0.2"]}"""));
        var source = Source(stub.BaseUrl, GroupedRate);

        var values = await source.ReadAsync(
            [new SignalRequest(Target("checkout", "prod", "checkout"), "error_rate"), new SignalRequest(Target("payments", "prod", "payments"), "error_rate")],
            Ct);

        values[0].ErrorMessage.ShouldBe(
            """expected one series for target 'checkout', got 2: {deployment="checkout", namespace="prod", pod="a"}, {deployment="checkout", namespace="prod", pod="b"}""");
        values[1].ShouldBe(SignalValue.Of(0.2));
    }

    [Fact]
    public async Task ReadAsync_GroupQueryAndTargetWithoutAGroupByVariable_IsAnErrorNamingIt()
    {
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.Vector("""{"metric":{"namespace":"prod","deployment":"checkout"},"value":[1,"0.05"]}"""));
        var source = Source(stub.BaseUrl, GroupedRate);
        var target = new TargetOptions { Name = "lonely", Variables = new Dictionary<string, string> { ["namespace"] = "prod" } };

        var values = await source.ReadAsync([new SignalRequest(target, "error_rate")], Ct);

        values.Single().ErrorMessage.ShouldBe("target 'lonely' has no variable 'deployment' to pick its series of signal 'error_rate'");
    }

    [Fact]
    public async Task ReadAsync_GroupQueryFails_EveryTargetGetsPrometheusMessage()
    {
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.Error(422, "execution", "found duplicate series for the match group"));
        var source = Source(stub.BaseUrl, GroupedRate);

        var values = await source.ReadAsync(
            [new SignalRequest(Target("checkout", "prod", "checkout"), "error_rate"), new SignalRequest(Target("payments", "prod", "payments"), "error_rate")],
            Ct);

        values.Select(v => v.ErrorMessage).ShouldBe(["execution: found duplicate series for the match group", "execution: found duplicate series for the match group"]);
    }

    [Fact]
    public async Task ReadAsync_UnknownSignal_IsAnErrorValueInItsPlace()
    {
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.OneSeries("{}", "1"));
        var source = Source(stub.BaseUrl, ErrorRate);

        var values = await source.ReadAsync(
            [new SignalRequest(Target("a", "prod", "a"), "nope"), new SignalRequest(Target("a", "prod", "a"), "error_rate")], Ct);

        values.ShouldBe([SignalValue.Error("signal 'nope' is not a Prometheus signal"), SignalValue.Of(1)]);
    }

    [Fact]
    public async Task ReadAsync_TwentyDistinctQueries_RunConcurrentlyEightAtATime()
    {
        await using var stub = await PrometheusStub.StartAsync(StubAnswer.OneSeries("{}", "1"));
        stub.Delay = TimeSpan.FromMilliseconds(100);
        var source = Source(stub.BaseUrl, ErrorRate);
        var requests = Enumerable.Range(0, 20).Select(i => new SignalRequest(Target($"t{i}", "prod", $"app{i}"), "error_rate")).ToList();

        var values = await source.ReadAsync(requests, Ct);

        values.ShouldAllBe(v => v == SignalValue.Of(1));
        stub.QueryCount.ShouldBe(20);
        stub.MaxInFlight.ShouldBe(8);
    }

    [Fact]
    public async Task ReadAsync_CycleDeadlinePasses_ReturnsErrorValuesInsteadOfThrowing()
    {
        await using var silent = await LoopbackReceiver.StartSilentAsync();
        var source = Source(silent.BaseUrl, ErrorRate);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var values = await source.ReadAsync(
            [new SignalRequest(Target("a", "prod", "a"), "error_rate"), new SignalRequest(Target("b", "prod", "b"), "error_rate")], deadline.Token);

        values.Select(v => v.ErrorMessage).ShouldBe(
            ["cancelled: no answer from Prometheus before the cycle's deadline", "cancelled: no answer from Prometheus before the cycle's deadline"]);
    }

    internal static PrometheusSignalSource Source(Uri url, params SignalOptions[] signals) => new(
        signals.ToDictionary(s => s.Name, StringComparer.Ordinal),
        PrometheusTestClients.Create(url),
        PrometheusTestClients.Quick,
        NullLogger<PrometheusSignalSource>.Instance);

    internal static TargetOptions Target(string name, string @namespace, string deployment) => new()
    {
        Name = name,
        Variables = new Dictionary<string, string>(StringComparer.Ordinal) { ["namespace"] = @namespace, ["deployment"] = deployment },
    };
}
