using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Tests.Fakes;
using Watchdog.Tests.Hosting;

namespace Watchdog.Tests.Telemetry;

/// <summary>A log entry written under a span names its trace and span, in both log formats, as the host configures them.</summary>
public sealed class TraceIdLoggingTests
{
    [Fact]
    public async Task TextLog_UnderASpan_CarriesTraceAndSpanIdAfterTheEventId()
    {
        await using var app = WatchdogHost.Build(Config("text"), []);
        var formatter = app.Services.GetServices<ConsoleFormatter>().Single(f => f.Name == TextLogFormatter.FormatterName);
        using var span = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        using var written = new StringWriter();

        formatter.Write(Entry(), null, written);

        written.ToString().ShouldEndWith($" warn: Watchdog.Hosting.WatchCycle[7] trace_id={span.TraceId.ToHexString()} span_id={span.SpanId.ToHexString()} decision changed\n");
    }

    [Fact]
    public async Task TextLog_OutsideAnySpan_HasNoTraceFields()
    {
        await using var app = WatchdogHost.Build(Config("text"), []);
        var formatter = app.Services.GetServices<ConsoleFormatter>().Single(f => f.Name == TextLogFormatter.FormatterName);
        using var written = new StringWriter();

        formatter.Write(Entry(), null, written);

        written.ToString().ShouldEndWith(" warn: Watchdog.Hosting.WatchCycle[7] decision changed\n");
    }

    [Fact]
    public async Task JsonLog_UnderASpan_CarriesTraceAndSpanIdInItsScopes()
    {
        var provider = new ScopeCapturingLoggerProvider();
        await using var app = WatchdogHost.Build(Config("json"), [], services => services.AddSingleton<ILoggerProvider>(provider));
        _ = app.Services.GetRequiredService<ILoggerFactory>();
        var formatter = app.Services.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Json);
        using var span = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        using var written = new StringWriter();

        formatter.Write(Entry(), provider.Scopes, written);

        using var json = JsonDocument.Parse(written.ToString());
        var scope = json.RootElement.GetProperty("Scopes").EnumerateArray().Single(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("TraceId", out _));
        scope.GetProperty("TraceId").GetString().ShouldBe(span.TraceId.ToHexString());
        scope.GetProperty("SpanId").GetString().ShouldBe(span.SpanId.ToHexString());
    }

    private static LogEntry<string> Entry() =>
        new(LogLevel.Warning, "Watchdog.Hosting.WatchCycle", new EventId(7), "decision changed", null, (state, _) => state);

    private static ConfigLoadResult Config(string format) => new(
        new WatchdogOptions
        {
            Http = new HttpOptions { Listen = "http://127.0.0.1:0" },
            Logging = new LoggingOptions { Format = format },
            Store = new StoreOptions { Path = Path.Combine(Path.GetTempPath(), "watchdog-tests", $"logs-{Guid.NewGuid():N}.db") },
            Targets = [new TargetOptions { Name = "checkout", Policy = TestPolicies.ErrorRate, Interval = TimeSpan.FromMinutes(1) }],
        },
        TestPolicies.ErrorRateOnly(),
        [],
        []);
}
