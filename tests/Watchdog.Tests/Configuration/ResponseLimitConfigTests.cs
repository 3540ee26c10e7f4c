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

    [Fact]
    public void Load_HealthEndpointWithoutALimit_ReadsAtMost64KiB_AndItsLimitIsRead()
    {
        var result = _scenario.Load("""
            policies: [policies/matrix.yaml]
            targets:
              - name: checkout
                policy: runbook-matrix
                health:
                  - {url: http://127.0.0.1:8080/healthz, body_contains: ok}
                  - {url: http://127.0.0.1:8081/healthz, body_contains: ok, max_body_bytes: 1048576}
            """);

        result.Errors.ShouldBeEmpty();
        result.Options!.Targets[0].Health.Select(h => h.MaxBodyBytes).ShouldBe([64 * 1024, 1024 * 1024]);
    }

    [Fact]
    public void Load_BothLimitsOutOfRange_ReportsBothAtTheirPaths()
    {
        var result = _scenario.Load("""
            sources:
              prometheus:
                url: http://127.0.0.1:9090
                max_response_bytes: lots
            policies: [policies/matrix.yaml]
            targets:
              - name: checkout
                policy: runbook-matrix
                health:
                  - url: http://127.0.0.1:8080/healthz
                    max_body_bytes: 99999999
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe(
            [
                _scenario.At(4, "sources.prometheus.max_response_bytes: 'lots' is not a whole number from 1024 to 1073741824"),
                _scenario.At(11, "targets[0].health[0].max_body_bytes: '99999999' is not a whole number from 1024 to 16777216"),
            ],
            ignoreOrder: true);
    }
}
