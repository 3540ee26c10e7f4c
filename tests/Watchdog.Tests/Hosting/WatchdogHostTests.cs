using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Watchdog.Actions;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Rules;
using Watchdog.Signals;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Hosting;

public sealed class WatchdogHostTests
{
    [Fact]
    public async Task Host_OnLoopback_IsLiveAtOnceAndReadyOnlyAfterTheFirstWatchCycle()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = new FakeSignalSource { Gate = gate.Task };
        await using var app = WatchdogHost.Build(Config(), [], services => services.AddSingleton<ISignalSource>(reader));
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

            using var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
            health.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await health.Content.ReadAsStringAsync()).ShouldBe("ok");

            using var notReady = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
            notReady.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            var report = JsonDocument.Parse(await notReady.Content.ReadAsStringAsync()).RootElement;
            report.GetProperty("status").GetString().ShouldBe("not ready");
            report.GetProperty("reason").GetString()!.ShouldContain("first cycle");

            gate.SetResult();
            await Eventually.HoldsAsync(
                async () =>
                {
                    using var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
                    return ready.StatusCode == HttpStatusCode.OK;
                },
                "/readyz answers 200");
            reader.CallsFor("checkout").ShouldBeGreaterThanOrEqualTo(1);
        }
        finally
        {
            gate.TrySetResult();
            await app.StopAsync();
        }
    }

    [Theory]
    [InlineData("json", ConsoleFormatterNames.Json)]
    [InlineData("text", TextLogFormatter.FormatterName)]
    public async Task Host_LoggingFormat_PicksTheConsoleFormatter(string format, string formatter)
    {
        await using var app = WatchdogHost.Build(Config() with { Options = Options() with { Logging = new LoggingOptions { Format = format } } }, []);

        var console = app.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;

        console.FormatterName.ShouldBe(formatter);
    }

    [Fact]
    public async Task Host_TextLogging_IsOneLinePerEntryWithUtcTimestamps()
    {
        await using var app = WatchdogHost.Build(Config(), []);

        var text = app.Services.GetRequiredService<IOptionsMonitor<ConsoleFormatterOptions>>().CurrentValue;
        var formatter = app.Services.GetServices<ConsoleFormatter>().Single(f => f.Name == TextLogFormatter.FormatterName);
        using var written = new StringWriter();
        formatter.Write(
            new Microsoft.Extensions.Logging.Abstractions.LogEntry<string>(LogLevel.Warning, "Watchdog.Signals.Alerts.AlertIntake", new EventId(571), "Alert Esc\u001b[31mRed\nfake: line", null, (state, _) => state),
            null,
            written);

        text.UseUtcTimestamp.ShouldBeTrue();
        written.ToString().ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z warn: Watchdog\.Signals\.Alerts\.AlertIntake\[571\] Alert Esc\\u001b\[31mRed\\nfake: line\n$");
    }

    [Fact]
    public async Task Host_Logging_KeepsAspNetCoreRequestLogsToWarningsAndAbove()
    {
        await using var app = WatchdogHost.Build(Config(), []);

        var filters = app.Services.GetRequiredService<IOptions<LoggerFilterOptions>>().Value;

        filters.Rules.ShouldContain(rule => rule.CategoryName == "Microsoft.AspNetCore" && rule.LogLevel == LogLevel.Warning);
    }

    [Fact]
    public async Task Host_Logging_KeepsHttpClientRequestLinesOutAtInformation()
    {
        await using var server = await LoopbackServer.StartAsync(_ => Task.CompletedTask);
        var logs = new RecordingLoggerProvider();
        var config = Config();
        config = config with { Options = config.Options! with { Logging = new LoggingOptions { Level = LogLevel.Information } } };
        await using var app = WatchdogHost.Build(config, [], services => services.AddSingleton<ILoggerProvider>(logs));

        var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient(Watchdog.Signals.Health.HealthProbeSource.HttpClientName);
        using var answer = await client.GetAsync(server.UrlOf("/health"));

        answer.StatusCode.ShouldBe(HttpStatusCode.OK);
        logs.Logger.Entries.ShouldNotContain(e => e.Message.Contains("HTTP request", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(LogLevel.Warning)]
    [InlineData(LogLevel.Debug)]
    public async Task Host_LoggingLevel_IsTheConfiguredMinimum(LogLevel level)
    {
        var config = Config();
        config = config with { Options = config.Options! with { Logging = new LoggingOptions { Level = level } } };
        await using var app = WatchdogHost.Build(config, []);

        var logger = app.Services.GetRequiredService<ILogger<WatchdogHostTests>>();

        logger.IsEnabled(level).ShouldBeTrue();
        logger.IsEnabled(level - 1).ShouldBeFalse();
    }

    [Fact]
    public async Task Host_RegistersTheSystemClockTheOptionsAndTheWatchCycle()
    {
        var config = Config();
        await using var app = WatchdogHost.Build(config, []);

        app.Services.GetRequiredService<TimeProvider>().ShouldBeSameAs(TimeProvider.System);
        app.Services.GetRequiredService<WatchdogOptions>().ShouldBeSameAs(config.Options);
        app.Services.GetRequiredService<IOptions<WatchdogOptions>>().Value.ShouldBeSameAs(config.Options);
        app.Services.GetRequiredService<WatchCycle>().TargetCount.ShouldBe(1);
    }

    [Fact]
    public async Task Host_GivesStepsTheWatchCyclesSignals_WithoutADependencyCycle()
    {
        await using var app = WatchdogHost.Build(Config(), []);

        // The cycle needs the actions (through the decision handler) and flag-reduce needs the signals: resolving
        // both, and asking, shows the cycle is resolved late. Nothing is evaluated yet, so no evaluation is found.
        app.Services.GetServices<IRollbackAction>().Select(a => a.Name).ShouldContain("flag-reduce");
        var signals = app.Services.GetRequiredService<ITargetSignals>();
        (await signals.EvaluatedAfterAsync("checkout", DateTimeOffset.MinValue, TimeSpan.Zero, CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task Host_StartsTheStoreMigrationBeforeEveryOtherHostedService()
    {
        await using var app = WatchdogHost.Build(Config(), []);

        // Hosted services start in registration order; one of Watchdog's started before the migration reads a new
        // database's tables before they exist (the store gauge sampler did, and warned on every first start).
        // OpenTelemetry puts its own first; it reads no store.
        // With SQLite the file's process lock comes first: a second daemon on the same file must not even migrate it.
        var ours = app.Services.GetServices<IHostedService>().Where(service => service.GetType().Assembly == typeof(WatchdogHost).Assembly).ToList();
        ours[0].ShouldBeOfType<Watchdog.Store.SqliteProcessLock>();
        ours[1].ShouldBeOfType<Watchdog.Store.StoreStartup>();
    }

    [Fact]
    public void Build_InvalidConfig_Throws()
    {
        var invalid = new ConfigLoadResult(null, new Dictionary<string, CompiledPolicy>(), [new ConfigError("x.yaml", 1, "http", "bad")], []);

        Should.Throw<ArgumentException>(() => WatchdogHost.Build(invalid, []));
    }

    private static WatchdogOptions Options() => new()
    {
        Http = new HttpOptions { Listen = "http://127.0.0.1:0" },
        Store = new StoreOptions { Path = Path.Combine(Path.GetTempPath(), "watchdog-tests", $"host-{Guid.NewGuid():N}.db") },
        // A minute: the gated first cycle must not end on its deadline (capped by the interval) before the test asks /readyz.
        Sources = new SourcesOptions { Deadline = TimeSpan.FromMinutes(1) },
        Targets = [new TargetOptions { Name = "checkout", Policy = TestPolicies.ErrorRate, Interval = TimeSpan.FromMinutes(1) }],
    };

    private static ConfigLoadResult Config() => new(Options(), TestPolicies.ErrorRateOnly(), [], []);
}
