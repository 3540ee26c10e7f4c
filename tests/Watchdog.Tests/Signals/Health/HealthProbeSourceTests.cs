using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Watchdog.Configuration;
using Watchdog.Rules;
using Watchdog.Signals;
using Watchdog.Signals.Health;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Signals.Health;

public sealed class HealthProbeSourceTests : IAsyncLifetime
{
    private const string Ratio = HealthSources.Ratio;

    private HealthEndpointServer _server = null!;

    public async Task InitializeAsync() => _server = await HealthEndpointServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Read_AllEndpointsUp_IsZero()
    {
        var value = await ReadOneAsync(Target(Endpoint("/up"), Endpoint("/up")));

        value.ShouldBe(SignalValue.Of(0));
    }

    [Fact]
    public async Task Read_OneOfTwoEndpointsFailing_IsOneHalf()
    {
        var value = await ReadOneAsync(Target(Endpoint("/up"), Endpoint("/down")));

        value.ShouldBe(SignalValue.Of(0.5, $"1/2 failed: {_server.Url("/down")} status 503, expected 200-299"));
    }

    [Fact]
    public async Task Read_AllEndpointsUnreachable_IsOneNotNoData()
    {
        var target = Target(
            new HealthCheckOptions { Url = HealthEndpointServer.Unreachable() },
            new HealthCheckOptions { Url = HealthEndpointServer.Unreachable() });

        var value = await ReadOneAsync(target);

        value.Number.ShouldBe(1);
        value.Note.ShouldBe($"2/2 failed: {target.Health[0].Url} connection refused; {target.Health[1].Url} connection refused");
    }

    [Fact]
    public async Task Read_StatusOutsideTheExpectedRange_FailsTheProbe_AndInsideItPasses()
    {
        var outsideDefaultRange = await ReadOneAsync(Target(Endpoint("/teapot")));
        var expected418 = await ReadOneAsync(Target(Endpoint("/teapot") with { ExpectStatus = new StatusCodeRange(418, 418) }));
        var upButExpected204 = await ReadOneAsync(Target(Endpoint("/up") with { ExpectStatus = new StatusCodeRange(204, 204) }));

        outsideDefaultRange.ShouldBe(SignalValue.Of(1, $"1/1 failed: {_server.Url("/teapot")} status 418, expected 200-299"));
        expected418.ShouldBe(SignalValue.Of(0));
        upButExpected204.ShouldBe(SignalValue.Of(1, $"1/1 failed: {_server.Url("/up")} status 200, expected 204"));
    }

    [Fact]
    public async Task Read_BodyWithoutTheExpectedText_FailsTheProbe_AndWithItPasses()
    {
        var missing = await ReadOneAsync(Target(Endpoint("/up") with { BodyContains = "status: HEALTHY" }));
        var present = await ReadOneAsync(Target(Endpoint("/up") with { BodyContains = "status: UP" }));

        missing.Number.ShouldBe(1);
        missing.Note!.ShouldContain("body does not contain the expected text");
        present.ShouldBe(SignalValue.Of(0));
    }

    [Fact]
    public async Task Read_EndpointSilentPastItsTimeout_FailsTheProbeWhenTheInjectedClockPassesIt()
    {
        var time = TestClock.Create();
        using var services = Services(time);
        var source = services.GetRequiredService<HealthProbeSource>();
        var target = Target(Endpoint("/hang") with { Timeout = TimeSpan.FromSeconds(3) }, Endpoint("/up"));

        var reading = source.ReadAsync([new SignalRequest(target, Ratio)], CancellationToken.None);
        await Eventually.HoldsAsync(() => _server.Requests.Contains("GET /hang"), "the silent endpoint was asked");
        time.Advance(TimeSpan.FromSeconds(2));
        await Task.Delay(50);
        reading.IsCompleted.ShouldBeFalse("the timeout has not passed yet");
        time.Advance(TimeSpan.FromSeconds(1));
        var values = await reading.WaitAsync(TimeSpan.FromSeconds(10));

        values.ShouldBe([SignalValue.Of(0.5, $"1/2 failed: {_server.Url("/hang")} no answer within 3000 ms")]);
    }

    [Fact]
    public async Task Read_ProbesUseTheConfiguredMethod()
    {
        await ReadOneAsync(Target(Endpoint("/up") with { Method = "HEAD" }, Endpoint("/up") with { Method = "POST" }));

        _server.Requests.ShouldBe(["HEAD /up", "POST /up"], ignoreOrder: true);
    }

    [Fact]
    public void ATargetWithoutEndpoints_IsNotProvided_SoItsHealthRulesAreNotApplicable()
    {
        using var services = HealthSources.Services(TimeProvider.System);
        var source = services.GetRequiredService<HealthProbeSource>();

        source.Provides(Target(), Ratio).ShouldBeFalse();
        source.Provides(Target(Endpoint("/up")), Ratio).ShouldBeTrue();
        WatchedSignals.IsWatched(HealthSources.Options(), Target(), Ratio).ShouldBeFalse();
        WatchedSignals.IsWatched(HealthSources.Options(), Target(Endpoint("/up")), Ratio).ShouldBeTrue();
    }

    [Fact]
    public async Task Read_TargetWithoutEndpoints_IsNoData()
    {
        var value = await ReadOneAsync(Target());

        value.ShouldBe(SignalValue.NoData);
    }

    [Fact]
    public async Task Read_EndpointsOfOneTarget_AreProbedAtTheSameTime()
    {
        // The gate answers only when both probes are inside it at once; probed one after the other, both would fail.
        var value = await ReadOneAsync(Target(Endpoint("/gate"), Endpoint("/gate")));

        value.ShouldBe(SignalValue.Of(0));
    }

    [Fact]
    public async Task Read_EndpointsOfDifferentTargets_AreProbedAtTheSameTime()
    {
        using var services = Services(TimeProvider.System);
        var source = services.GetRequiredService<HealthProbeSource>();

        var values = await source.ReadAsync(
            [new SignalRequest(Target(Endpoint("/gate")) with { Name = "cart" }, Ratio), new SignalRequest(Target(Endpoint("/gate")), Ratio)],
            CancellationToken.None);

        values.ShouldBe([SignalValue.Of(0), SignalValue.Of(0)]);
    }

    [Fact]
    public async Task Read_TwoSignalsOfOneTarget_ProbeItOnceAndAnswerBothInOrder()
    {
        using var services = Services(TimeProvider.System);
        var source = services.GetRequiredService<HealthProbeSource>();
        var checkout = Target(Endpoint("/up"), Endpoint("/down"));
        var empty = Target() with { Name = "empty" };

        var values = await source.ReadAsync(
            [new SignalRequest(checkout, Ratio), new SignalRequest(empty, Ratio), new SignalRequest(checkout, "other_health")],
            CancellationToken.None);

        var half = SignalValue.Of(0.5, $"1/2 failed: {_server.Url("/down")} status 503, expected 200-299");
        values.ShouldBe([half, SignalValue.NoData, half]);
        _server.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public void Provides_OnlySignalsTheCatalogueMeasuresByHealthProbes()
    {
        using var services = Services(TimeProvider.System);
        var source = services.GetRequiredService<HealthProbeSource>();
        var target = Target(Endpoint("/up"));

        source.Name.ShouldBe("health");
        source.Provides(target, Ratio).ShouldBeTrue();
        source.Provides(target, "error_rate").ShouldBeFalse();
        source.Provides(target, "not_in_catalogue").ShouldBeFalse();
    }

    private static ServiceProvider Services(TimeProvider time) => HealthSources.Services(time);

    private static TargetOptions Target(params HealthCheckOptions[] endpoints) => HealthSources.Target(endpoints);

    private HealthCheckOptions Endpoint(string path) => new() { Url = _server.Url(path), Timeout = TimeSpan.FromSeconds(30) };

    private static Task<SignalValue> ReadOneAsync(TargetOptions target) => HealthSources.ReadOneAsync(target);
}
