using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Watchdog.Configuration;

namespace Watchdog.Telemetry;

internal static class TracingServiceCollectionExtensions
{
    // Probed every few seconds by kubelets and scrapers: a trace each would bury the cycles that matter.
    private static readonly PathString[] Unrecorded = ["/healthz", "/readyz", "/metrics"];

    /// <summary>
    /// Traces: Watchdog's own spans (<see cref="WatchdogActivities"/>), outgoing HTTP (which puts W3C
    /// <c>traceparent</c> on every request, the Kubernetes client's too), incoming API requests and PostgreSQL
    /// commands. Exported over OTLP only when <see cref="TracingExport.From"/> finds an endpoint; otherwise spans are
    /// made for the log records' trace ids and for propagation, and dropped.
    /// </summary>
    /// <param name="environment">Where the standard <c>OTEL_*</c> variables are read (the host's configuration holds the environment).</param>
    public static IServiceCollection AddWatchdogTracing(this IServiceCollection services, WatchdogOptions options, IConfiguration environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var export = TracingExport.From(options.Telemetry, environment);
        var version = typeof(WatchdogActivities).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(environment["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "watchdog", serviceVersion: version))
            .WithTracing(tracing =>
            {
                tracing.AddSource(WatchdogActivities.SourceName)
                    .AddHttpClientInstrumentation()
                    .AddAspNetCoreInstrumentation(aspNet => aspNet.Filter = http => !Array.Exists(Unrecorded, path => http.Request.Path.StartsWithSegments(path)))
                    .AddNpgsql();
                if (export is not null)
                {
                    tracing.AddOtlpExporter(otlp => Configure(otlp, export));
                }
            });
        return services;
    }

    // The environment's settings are bound before this runs; the file's win where it gives them.
    private static void Configure(OtlpExporterOptions otlp, TracingExport export)
    {
        if (export.Protocol is { } protocol)
        {
            otlp.Protocol = protocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        }

        if (export.Endpoint is { } endpoint)
        {
            // Given in code, the exporter uses an HTTP endpoint as the full URL; the file gives the base URL, as the
            // environment variable does, so the signal's path is added here as the SDK adds it to the variable's.
            otlp.Endpoint = otlp.Protocol == OtlpExportProtocol.HttpProtobuf
                ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/v1/traces")
                : endpoint;
        }
    }
}
