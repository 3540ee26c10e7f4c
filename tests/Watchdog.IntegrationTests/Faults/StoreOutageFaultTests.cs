using System.Text.Json;
using Watchdog.IntegrationTests.Faults.Fakes;
using Watchdog.IntegrationTests.Servers;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// The daemon's PostgreSQL (a server of this test's own) stops while a rollback runs, and starts again. The step's
/// end cannot be written: the write is tried again until the store is back (said in the log), and the run then goes
/// on with its next step, instead of staying "running" with nothing said until a restart. While the store is away
/// the read API answers 503 with an error and <c>/readyz</c> says not ready.
/// </summary>
[Trait("Suite", "Faults")]
public sealed class StoreOutageFaultTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private readonly PostgresServer _postgres = new();
    private readonly TempDirectory _dir = new();
    private FakePrometheus _prometheus = null!;
    private RecordingReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        _prometheus = await FakePrometheus.StartAsync();
        _prometheus.Default = PrometheusAnswer.Vector(0.5);
        _receiver = await RecordingReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _prometheus.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task PostgresDownWhileAStepRuns_TheJournalWriteIsRetried_AndTheRunContinuesOrIsReported()
    {
        // A 12 s restore job, then a second step; PostgreSQL stops 4 s into the job and is back 14 s later.
        await using var daemon = await StartDaemonAsync(_receiver.Endpoint("restore", ReceiverAnswer.Ok with { Delay = TimeSpan.FromSeconds(12) }));
        using var api = new DaemonApi(daemon);
        await api.StepAsync("web", 0, "started");
        await Task.Delay(TimeSpan.FromSeconds(4));
        await _postgres.PauseAsync();
        await Task.Delay(TimeSpan.FromSeconds(14));
        await _postgres.ResumeAsync();

        var run = await api.RunOfAsync("web", "succeeded", "failed", "interrupted");
        output.WriteLine(run.ToString());
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("status").GetString()).ShouldBe(["succeeded", "succeeded"]);
        _receiver.RequestsTo("restore").Count.ShouldBe(1, "the job ran once");
        _receiver.RequestsTo("after").Count.ShouldBe(1, "the plan went on once the store was back");
        daemon.Log.ShouldContain("The store did not take step 1 finished");
    }

    [Fact]
    public async Task StoreOutage_TargetsAndIncidentsAnswer503WithAnError_AndReadyzSaysNotReady()
    {
        await using var daemon = await StartDaemonAsync(_receiver.Endpoint("restore", ReceiverAnswer.Ok));
        using var api = new DaemonApi(daemon);
        await api.RunOfAsync("web", "succeeded", "failed", "interrupted");
        (await api.GetAsync("readyz")).Status.ShouldBe(200);

        await _postgres.PauseAsync();
        try
        {
            foreach (var path in new[] { "api/v1/targets", "api/v1/incidents" })
            {
                var (status, body) = await api.GetAsync(path);
                output.WriteLine($"{path}: {status} {body}");
                status.ShouldBe(503, body);
                JsonDocument.Parse(body).RootElement.GetProperty("error").GetString().ShouldNotBeNull().ShouldStartWith("the store does not answer");
            }

            var (readyStatus, ready) = await api.GetAsync("readyz");
            readyStatus.ShouldBe(503, ready);
            JsonDocument.Parse(ready).RootElement.GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain("store");
            (await api.GetAsync("healthz")).Status.ShouldBe(200, "the process itself is alive");
        }
        finally
        {
            await _postgres.ResumeAsync();
        }

        await api.UntilAsync(async () => (await api.GetAsync("readyz")).Status == 200, "ready again once the store is back");
        (await api.GetAsync("api/v1/targets")).Status.ShouldBe(200);
    }

    private async Task<DaemonProcess> StartDaemonAsync(Uri restore)
    {
        var database = await _postgres.CreateDatabaseAsync();
        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy());
        var config = _dir.Write("watchdog.yaml", $$$"""
            store: {kind: postgres, connection_string: "{{{database}}}"}
            sources:
              prometheus: {url: "{{{_prometheus.Url}}}", timeout: 2s}
            signals:
              error_rate: {source: prometheus, query: 'error_rate{target="{{target}}"}'}
            policies: [policy.yaml]
            defaults: {interval: 1s, dry_run: false}
            targets:
              - name: web
                policy: error-rate
                plans:
                  rollback:
                    - {action: webhook, url: "{{{restore}}}", timeout: 30s}
                    - {action: webhook, url: "{{{_receiver.Endpoint("after", ReceiverAnswer.Ok)}}}"}
            """);
        return await DaemonProcess.StartAsync(config, output);
    }
}
