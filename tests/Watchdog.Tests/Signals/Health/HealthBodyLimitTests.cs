using Watchdog.Configuration;
using Watchdog.Rules;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Signals.Health;

/// <summary>A health body is read only to find <c>body_contains</c>, and never past <c>max_body_bytes</c>.</summary>
public sealed class HealthBodyLimitTests
{
    private const long KiB = 1024;

    [Fact]
    public async Task Read_BodyLargerThanTheDefault64KiB_IsAnErrorNotAPassOrAFailure()
    {
        await using var server = await StreamingBodyServer.StartAsync(new StreamedAnswer(1024 * KiB, ContentType: "text/plain", Prefix: "status: UP"));
        var endpoint = new HealthCheckOptions { Url = server.Url("/healthz"), BodyContains = "status: UP", Timeout = TimeSpan.FromSeconds(10) };

        var value = await HealthSources.ReadOneAsync(HealthSources.Target(endpoint));

        value.State.ShouldBe(SignalState.Error);
        value.ErrorMessage.ShouldBe($"1/1 health probes could not be judged: {server.Url("/healthz")} answer larger than 64 KiB (max_body_bytes)");
        await Eventually.HoldsAsync(() => server.Finished == 1, "the server stopped sending");
        server.BytesSent.ShouldBeLessThan(512 * KiB, "the rest of the body was never taken");
    }

    [Fact]
    public async Task Read_BodyWithinAConfiguredLimit_IsSearched()
    {
        await using var server = await StreamingBodyServer.StartAsync(new StreamedAnswer(1024 * KiB, ContentType: "text/plain", Prefix: "status: UP"));
        var endpoint = new HealthCheckOptions { Url = server.Url("/healthz"), BodyContains = "status: UP", MaxBodyBytes = 2048 * KiB, Timeout = TimeSpan.FromSeconds(10) };

        var value = await HealthSources.ReadOneAsync(HealthSources.Target(endpoint));

        value.ShouldBe(SignalValue.Of(0));
    }

    [Fact]
    public async Task Read_EndlessSlowBody_FailsAtTheEndpointsTimeout()
    {
        await using var server = await StreamingBodyServer.StartAsync(new StreamedAnswer(null, ContentType: "text/plain", Pause: TimeSpan.FromMilliseconds(20), ChunkSize: 16));
        var endpoint = new HealthCheckOptions { Url = server.Url("/healthz"), BodyContains = "status: UP", Timeout = TimeSpan.FromSeconds(1) };

        var value = await HealthSources.ReadOneAsync(HealthSources.Target(endpoint));

        value.ShouldBe(SignalValue.Of(1, $"1/1 failed: {server.Url("/healthz")} no answer within 1000 ms"));
        await Eventually.HoldsAsync(() => server.Finished == 1, "the endless body was cut off");
    }

    [Fact]
    public async Task Read_HugeBodyWithoutBodyContains_IsNotReadAndPasses()
    {
        await using var server = await StreamingBodyServer.StartAsync(new StreamedAnswer(200 * 1024 * KiB, ContentType: "text/plain"));
        var endpoint = new HealthCheckOptions { Url = server.Url("/healthz"), Timeout = TimeSpan.FromSeconds(10) };

        var value = await HealthSources.ReadOneAsync(HealthSources.Target(endpoint));

        value.ShouldBe(SignalValue.Of(0));
        await Eventually.HoldsAsync(() => server.Finished == 1, "the server stopped sending");
        server.BytesSent.ShouldBeLessThan(100 * 1024 * KiB);
    }
}
