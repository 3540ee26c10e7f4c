using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Rules;
using Watchdog.Signals;
using Watchdog.Telemetry;
using Watchdog.Tests.Fakes;
using Watchdog.Tests.Hosting;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Telemetry;

/// <summary>Spans leave the process over OTLP only when an endpoint is configured, in the file or the standard variables.</summary>
public sealed class TracingExportTests
{
    [Fact]
    public void From_NoEndpointAnywhere_ExportsNothing()
    {
        TracingExport.From(new TelemetryOptions { OtlpProtocol = "grpc" }, Environment()).ShouldBeNull();
    }

    [Fact]
    public void From_TheFilesEndpoint_IsTheExport()
    {
        var export = TracingExport.From(new TelemetryOptions { OtlpEndpoint = new Uri("http://collector:4318"), OtlpProtocol = "http/protobuf" }, Environment());

        export.ShouldBe(new TracingExport(new Uri("http://collector:4318"), "http/protobuf"));
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")]
    public void From_TheStandardVariable_Exports_LeavingTheEndpointToTheExporter(string variable)
    {
        TracingExport.From(new TelemetryOptions(), Environment((variable, "http://collector:4317"))).ShouldBe(new TracingExport(null, null));
    }

    [Fact]
    public async Task Host_WithoutAnEndpoint_RegistersNoExporter_WithOneItDoes()
    {
        var without = OtlpRegistrations(Options(null), []);
        var withFile = OtlpRegistrations(Options(new Uri("http://127.0.0.1:4318")), []);
        var withVariable = OtlpRegistrations(Options(null), ["--OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4317"]);

        (await without).ShouldBe(0);
        (await withFile).ShouldBeGreaterThan(0);
        (await withVariable).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Host_WithTheFilesEndpoint_SendsTheCyclesSpans_ToTheCollector()
    {
        await using var collector = await LoopbackReceiver.StartAsync(200);
        await AssertExportsAsync(Options(collector.BaseUrl, "http/protobuf"), [], collector);
    }

    [Fact]
    public async Task Host_WithTheStandardVariables_SendsTheCyclesSpans_ToTheCollector()
    {
        await using var collector = await LoopbackReceiver.StartAsync(200);
        await AssertExportsAsync(Options(null), [$"--OTEL_EXPORTER_OTLP_ENDPOINT={collector.BaseUrl.AbsoluteUri.TrimEnd('/')}", "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"], collector);
    }

    [Theory]
    [InlineData(null, "watchdog")]
    [InlineData("payments-watchdog", "payments-watchdog")]
    public async Task Host_ServiceName_IsWatchdog_UnlessOtelServiceNameSaysOtherwise(string? variable, string expected)
    {
        string[] args = variable is null ? [] : [$"--OTEL_SERVICE_NAME={variable}"];
        await using var app = WatchdogHost.Build(new ConfigLoadResult(Options(null), TestPolicies.ErrorRateOnly(), [], []), args);

        var resource = app.Services.GetRequiredService<TracerProvider>().GetResource();

        resource.Attributes.Single(a => a.Key == "service.name").Value.ShouldBe(expected);
    }

    private static async Task AssertExportsAsync(WatchdogOptions options, string[] args, LoopbackReceiver collector)
    {
        var signals = new FakeSignalSource { Values = (_, _) => SignalValue.Of(0.01) };
        await using var app = WatchdogHost.Build(new ConfigLoadResult(options, TestPolicies.ErrorRateOnly(), [], []), args, services => services.AddSingleton<ISignalSource>(signals));
        await app.StartAsync();
        try
        {
            var tracing = app.Services.GetRequiredService<TracerProvider>();
            await Eventually.HoldsAsync(
                () => tracing.ForceFlush(5_000) && collector.Requests.Any(r => r is { Method: "POST", Path: "/v1/traces", ContentType: "application/x-protobuf" }),
                "the collector received spans");
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private static async Task<int> OtlpRegistrations(WatchdogOptions options, string[] args)
    {
        var count = -1;
        await using var app = WatchdogHost.Build(
            new ConfigLoadResult(options, TestPolicies.ErrorRateOnly(), [], []),
            args,
            services => count = services.Count(d => d.ServiceType.FullName!.Contains("Otlp", StringComparison.Ordinal)
                || d.ServiceType.GenericTypeArguments.Any(t => t.FullName!.Contains("Otlp", StringComparison.Ordinal))));
        return count;
    }

    private static WatchdogOptions Options(Uri? endpoint, string? protocol = null) => new()
    {
        Http = new HttpOptions { Listen = "http://127.0.0.1:0" },
        Store = new StoreOptions { Path = Path.Combine(Path.GetTempPath(), "watchdog-tests", $"export-{Guid.NewGuid():N}.db") },
        Targets = [new TargetOptions { Name = "checkout", Policy = TestPolicies.ErrorRate, Interval = TimeSpan.FromMilliseconds(200) }],
        Telemetry = new TelemetryOptions { OtlpEndpoint = endpoint, OtlpProtocol = protocol },
    };

    private static IConfiguration Environment(params (string Name, string Value)[] variables) =>
        new ConfigurationBuilder().AddInMemoryCollection(variables.Select(v => new KeyValuePair<string, string?>(v.Name, v.Value))).Build();
}
