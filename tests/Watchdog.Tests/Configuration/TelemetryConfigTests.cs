using Watchdog.Configuration;

namespace Watchdog.Tests.Configuration;

/// <summary><c>telemetry.otlp</c>: read when given, nothing by default, and errors at their paths.</summary>
public sealed class TelemetryConfigTests : IDisposable
{
    private readonly ConfigScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public void Load_WithoutTelemetry_ExportsNowhere()
    {
        var result = _scenario.Load("http: {listen: http://127.0.0.1:8080}");

        result.Errors.ShouldBeEmpty();
        result.Options!.Telemetry.ShouldBe(new TelemetryOptions());
        result.Options.Telemetry.OtlpEndpoint.ShouldBeNull();
    }

    [Fact]
    public void Load_OtlpEndpointAndProtocol_AreRead()
    {
        var result = _scenario.Load("""
            telemetry:
              otlp: {endpoint: "http://collector.observability:4318", protocol: http/protobuf}
            """);

        result.Errors.ShouldBeEmpty();
        result.Options!.Telemetry.OtlpEndpoint.ShouldBe(new Uri("http://collector.observability:4318"));
        result.Options.Telemetry.OtlpProtocol.ShouldBe("http/protobuf");
    }

    [Fact]
    public void Load_BadOtlpSettings_AreErrorsAtTheirPaths_AllAtOnce()
    {
        var result = _scenario.Load("""
            telemetry:
              otlp:
                endpoint: "collector:4317"
                protocol: thrift
                headers: x
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe(
        [
            _scenario.At(3, "telemetry.otlp.endpoint: 'collector:4317' is not an absolute http:// or https:// URL"),
            _scenario.At(4, "telemetry.otlp.protocol: unknown value 'thrift' (expected grpc or http/protobuf)"),
            _scenario.At(5, "telemetry.otlp.headers: unknown key (expected one of: endpoint, protocol)"),
        ], ignoreOrder: true);
    }

    [Fact]
    public void Load_OtlpEndpointWithAPassword_IsRefused()
    {
        var result = _scenario.Load("""
            telemetry:
              otlp: {endpoint: "https://user:pw@collector:4318"}
            """);

        result.Errors.ShouldHaveSingleItem().ToString().ShouldContain("telemetry.otlp.endpoint: a user name or password in the URL is refused");
    }
}
