using System.Text.Json;
using Watchdog.IntegrationTests.Faults.Fakes;
using Watchdog.IntegrationTests.Servers;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// The receivers of Watchdog's messages misbehave during a rollback: one answers 500 twice before it takes the
/// message, one never answers at all. The rollback runs as if nothing were wrong; the flaky channel gets each message
/// once, after retries that carry the same Idempotency-Key; the silent one's failure is on the incident's timeline.
/// </summary>
[Trait("Suite", "Faults")]
public sealed class NotificationReceiverFaultTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private FakePrometheus _prometheus = null!;
    private RecordingReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _prometheus = await FakePrometheus.StartAsync();
        _prometheus.Default = PrometheusAnswer.Vector(0.5);
        _receiver = await RecordingReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _prometheus.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task NotificationReceiverFailsTwiceThenRecovers_EachMessageIsDeliveredOnce_RetriesCarryTheSameIdempotencyKey()
    {
        // Tries to spare and a generous time per try: on a loaded machine a slow try must not use up the round.
        await using var daemon = await StartDaemonAsync(
            _receiver.Endpoint("flaky", ReceiverAnswer.Fail(500), ReceiverAnswer.Fail(503), ReceiverAnswer.Ok),
            "{max_attempts: 6, first_retry_delay: 100ms, attempt_timeout: 10s}");
        using var api = new DaemonApi(daemon);

        (await api.RunOfAsync("web", "succeeded", "failed", "interrupted")).GetProperty("status").GetString().ShouldBe("succeeded");
        await api.UntilAsync(() => Task.FromResult(_receiver.RequestsTo("flaky").Any(r => Title(r) == "ROLLBACK IN PROGRESS" && r.Answered == 200)), "ROLLBACK IN PROGRESS was delivered");

        var requests = _receiver.RequestsTo("flaky");
        var first = requests.Where(r => r.IdempotencyKey == requests[0].IdempotencyKey).ToList();
        first.Select(r => r.Answered).ShouldBe([500, 503, 200], "the first message was tried again until it was taken");
        first.Select(r => r.Body).Distinct().Count().ShouldBe(1, "the same message each time");
        requests.Where(r => r.Answered == 200).GroupBy(r => r.IdempotencyKey).ShouldAllBe(g => g.Count() == 1, "no message was delivered twice");
    }

    [Fact]
    public async Task NotificationReceiverNeverAnswers_TheRollbackRunsAnyway_AndTheFailureIsOnTheTimeline()
    {
        await using var daemon = await StartDaemonAsync(_receiver.Endpoint("silent", ReceiverAnswer.Hang), "{max_attempts: 3, first_retry_delay: 100ms, attempt_timeout: 500ms}");
        using var api = new DaemonApi(daemon);

        var run = await api.RunOfAsync("web", "succeeded", "failed", "interrupted");
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        _receiver.RequestsTo("step").Count.ShouldBe(1);

        await api.UntilAsync(async () => DaemonApi.Timeline((await api.ReportOfAsync("web"))!.Value, "notification-failed").Count > 0, "the failed notification is on the timeline");
        var failure = DaemonApi.Timeline((await api.ReportOfAsync("web"))!.Value, "notification-failed")[0];
        failure.ShouldBe("Notifying on-call failed after 3 attempt(s): no answer within 500ms; sending it again every 5m00s");
        _receiver.RequestsTo("silent").ShouldAllBe(r => r.Answered == null);
    }

    [Fact]
    public async Task NotificationReceiverAnswerIsReadBounded()
    {
        // A receiver refusing with a 200 MB body (a proxy's dump, a stack trace page): only an excerpt is read.
        _prometheus.Default = PrometheusAnswer.Vector(0.01);
        var channel = _receiver.Endpoint("dumping", ReceiverAnswer.Fail(500) with { StreamedBytes = 200L << 20 });
        await using var daemon = await StartDaemonAsync(channel, "{max_attempts: 3, first_retry_delay: 100ms, attempt_timeout: 10s}");
        using var api = new DaemonApi(daemon);
        await api.EvaluatedAsync("web", 4);
        var before = daemon.ResidentBytes();

        _prometheus.Default = PrometheusAnswer.Vector(0.5);

        (await api.RunOfAsync("web", "succeeded", "failed", "interrupted")).GetProperty("status").GetString().ShouldBe("succeeded");
        await api.UntilAsync(async () => DaemonApi.Timeline((await api.ReportOfAsync("web"))!.Value, "notification-failed").Count > 0, "the refused notification is on the timeline");
        var failure = DaemonApi.Timeline((await api.ReportOfAsync("web"))!.Value, "notification-failed")[0];
        failure.ShouldContain("failed after 3 attempt(s)");
        failure.ShouldContain("500");
        failure.Length.ShouldBeLessThan(2_000, "the error quotes an excerpt, not the body");
        var grown = daemon.ResidentBytes() - before;
        output.WriteLine($"resident set grew by {grown / 1024.0 / 1024.0:0.0} MiB over three 200 MiB answers");
        grown.ShouldBeLessThan(32L << 20, "a bounded read keeps the resident set flat");
    }

    private static string? Title(ReceivedRequest request)
    {
        using var body = JsonDocument.Parse(request.Body);
        return body.RootElement.GetProperty("title").GetString();
    }

    private Task<DaemonProcess> StartDaemonAsync(Uri channel, string delivery)
    {
        _dir.Write("policy.yaml", FaultFiles.ThresholdPolicy());
        var config = _dir.Write("watchdog.yaml", $$$"""
            store: {path: watchdog.db}
            sources:
              prometheus: {url: "{{{_prometheus.Url}}}", timeout: 2s}
            signals:
              error_rate: {source: prometheus, query: 'error_rate{target="{{target}}"}'}
            policies: [policy.yaml]
            notifications:
              - {name: on-call, kind: webhook, url: "{{{channel}}}"}
            delivery: {{{delivery}}}
            defaults: {interval: 500ms, dry_run: false}
            targets:
              - {name: web, policy: error-rate, plans: {rollback: [{action: webhook, url: "{{{_receiver.Endpoint("step")}}}"}]}}
            """);
        return DaemonProcess.StartAsync(config, output);
    }
}
