using Watchdog.Configuration;

namespace Watchdog.Tests.Configuration;

/// <summary>The limits on what Watchdog reads from a server: defaults, and errors at their paths.</summary>
public sealed class ResponseLimitConfigTests : IDisposable
{
    private readonly ConfigScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public void Load_PrometheusWithoutALimit_ReadsAtMostTenMebibytes()
    {
        var result = _scenario.Load("""
            sources:
              prometheus: {url: http://127.0.0.1:9090}
            """);

        result.Errors.ShouldBeEmpty();
        result.Options!.Sources.Prometheus!.MaxResponseBytes.ShouldBe(10 * 1024 * 1024);
    }

    [Fact]
    public void Load_PrometheusLimit_IsRead()
    {
        var result = _scenario.Load("""
            sources:
              prometheus:
                url: http://127.0.0.1:9090
                max_response_bytes: 52428800
            """);

        result.Errors.ShouldBeEmpty();
        result.Options!.Sources.Prometheus!.MaxResponseBytes.ShouldBe(50 * 1024 * 1024);
    }

    [Fact]
    public void Load_PrometheusLimitOutOfRange_IsAnErrorAtItsPath()
    {
        var result = _scenario.Load("""
            sources:
              prometheus:
                url: http://127.0.0.1:9090
                max_response_bytes: 10
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe([_scenario.At(4, "sources.prometheus.max_response_bytes: '10' is not a whole number from 1024 to 1073741824")]);
    }
}
