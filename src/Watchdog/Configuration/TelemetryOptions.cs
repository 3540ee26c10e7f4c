namespace Watchdog.Configuration;

/// <summary>Where Watchdog's traces go (<c>telemetry:</c>); nothing is exported unless an OTLP endpoint is given here or in <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
internal sealed record TelemetryOptions
{
    /// <summary><c>telemetry.otlp.endpoint</c>: the collector's base URL, as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> takes it; null exports nothing.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary><c>telemetry.otlp.protocol</c>: <c>grpc</c> (the SDK's default, port 4317) or <c>http/protobuf</c> (port 4318); null leaves it to <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>.</summary>
    public string? OtlpProtocol { get; init; }
}
