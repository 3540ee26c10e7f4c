using Microsoft.Extensions.Configuration;
using Watchdog.Configuration;

namespace Watchdog.Telemetry;

/// <summary>
/// Whether traces leave the process, and to where: to <c>telemetry.otlp.endpoint</c> when the configuration file
/// gives one, else to the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or its traces-only variant), else nowhere.
/// </summary>
/// <param name="Endpoint">The configured base URL; null when only the environment names one (the exporter reads it there itself).</param>
/// <param name="Protocol">The configured protocol; null leaves it to <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> (default grpc).</param>
internal sealed record TracingExport(Uri? Endpoint, string? Protocol)
{
    public static readonly string[] EnvironmentEndpoints = ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"];

    /// <returns>Null when no endpoint is configured anywhere: spans are still made (logs carry their ids), never sent.</returns>
    public static TracingExport? From(TelemetryOptions telemetry, IConfiguration environment)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(environment);
        if (telemetry.OtlpEndpoint is { } endpoint)
        {
            return new TracingExport(endpoint, telemetry.OtlpProtocol);
        }

        return EnvironmentEndpoints.Any(name => !string.IsNullOrWhiteSpace(environment[name]))
            ? new TracingExport(null, telemetry.OtlpProtocol)
            : null;
    }
}
