using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Sandbox;
using Watchdog.Sandbox.Kubernetes;
using Watchdog.Signals;
using Watchdog.Telemetry;
using Watchdog.Tests.Fakes;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Telemetry;

/// <summary>
/// The whole daemon with the in-memory exporter: one watch cycle that decides a rollback, the run it queues, its
/// steps (a deployment undo against the Kubernetes simulator, then a webhook) and their HTTP calls form one trace,
/// the PATCH reaches the API server with that trace's <c>traceparent</c>, and the incident report names the trace.
/// </summary>
public sealed class WatchCycleTraceTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeSignalSource _signals = new();
    private readonly LockedCollection<Activity> _spans = new();
    private readonly HttpClient _http = new();
    private KubernetesSimulator _simulator = null!;
    private LoopbackReceiver _ci = null!;
    private WebApplication _app = null!;
    private int _setUpRequests;

    public async Task InitializeAsync()
    {
        _simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(SyncInterval: TimeSpan.FromMilliseconds(20)), CancellationToken.None);
        _simulator.Create(SandboxCommand.CheckoutDeployment);
        await _simulator.SettleAsync(CancellationToken.None);
        await _simulator.SetImageAsync("default", "checkout", "checkout", "checkout:2.0");
        await _simulator.SettleAsync(CancellationToken.None);
        _setUpRequests = _simulator.Requests.Count; // the test's own deploy above is a PATCH too
        _ci = await LoopbackReceiver.StartAsync(200);
        _signals.Values = (_, _) => SignalValue.Of(0.5);
        _dir.Write("policy.yaml", """
            name: traced
            matrix:
              - {id: errors-critical, when: "error_rate > 0.1", action: rollback, authority: automatic}
            """);
        var config = WatchdogConfigLoader.Load(_dir.Write("watchdog.yaml", $$"""
            http: {listen: http://127.0.0.1:0}
            store: {path: watchdog.db}
            policies: [policy.yaml]
            kubernetes: {server: "{{_simulator.Url.AbsoluteUri}}"}
            defaults: {interval: 200ms, cooldown: 10m}
            targets:
              - name: checkout
                policy: traced
                plans:
                  rollback:
                    - {action: deployment-undo, deployment: checkout, namespace: default}
                    - {action: webhook, url: "{{_ci.Url("/jobs/rollback?token=ci-secret")}}"}
            """), WatchdogPlugins.Registry(), new Dictionary<string, string?>());
        config.Errors.ShouldBeEmpty(string.Join("\n", config.Errors));
        _app = WatchdogHost.Build(config, [], services =>
        {
            services.AddSingleton<ISignalSource>(_signals);
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans));
        });
        await _app.StartAsync();
        _http.BaseAddress = new Uri(_app.Urls.First());
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _ci.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task ACycleThatRollsBack_IsOneTrace_FromTheCycleToTheKubernetesPatch()
    {
        // The SDK listens to the source process-wide, so daemons of tests running alongside export here too: this
        // daemon's run is the one whose webhook step has this test's receiver.
        var webhook = _ci.Url("/jobs/rollback?token=***").AbsoluteUri;
        bool Ours(Activity run, IReadOnlyList<Activity> all) => all.Any(s => s.TraceId == run.TraceId && Equals(s.GetTagItem("watchdog.step.parameter.url"), webhook));
        await Eventually.HoldsAsync(() => _spans.Snapshot() is var all && all.Any(s => s.OperationName == WatchdogActivities.ActionRun && Ours(s, all)), "the run's span ended");
        var spans = _spans.Snapshot();
        var run = spans.Single(s => s.OperationName == WatchdogActivities.ActionRun && Ours(s, spans));
        var trace = spans.Where(s => s.TraceId == run.TraceId).ToList();
        Activity ParentOf(Activity span) => trace.Single(s => s.SpanId == span.ParentSpanId);

        // The cycle is the root; the target's span under it, and under that the decision and the run it queued.
        var target = ParentOf(run);
        target.OperationName.ShouldBe(WatchdogActivities.WatchTarget);
        target.GetTagItem("watchdog.target").ShouldBe("checkout");
        var cycle = ParentOf(target);
        cycle.OperationName.ShouldBe(WatchdogActivities.WatchCycle);
        cycle.ParentSpanId.ShouldBe(default);
        var read = trace.Single(s => s.OperationName == WatchdogActivities.SourceRead);
        ParentOf(read).ShouldBeSameAs(cycle);
        read.GetTagItem("watchdog.source").ShouldBe(_signals.Name);
        var decide = trace.Single(s => s.OperationName == WatchdogActivities.Decide);
        ParentOf(decide).ShouldBeSameAs(target);
        decide.GetTagItem("watchdog.decision.action").ShouldBe("rollback");
        decide.GetTagItem("watchdog.decision.rule").ShouldBe("errors-critical");
        run.GetTagItem("watchdog.action").ShouldBe("rollback");
        run.GetTagItem("watchdog.run.status").ShouldBe("succeeded");
        run.Status.ShouldBe(ActivityStatusCode.Unset);

        // Each step under the run, its parameters as attributes, the webhook's token not among them.
        var steps = trace.Where(s => s.OperationName == WatchdogActivities.ActionStep).OrderBy(s => s.GetTagItem("watchdog.step.number")).ToList();
        steps.Select(s => s.GetTagItem("watchdog.step.action")).ShouldBe(["deployment-undo", "webhook"]);
        steps.ShouldAllBe(s => s.ParentSpanId == run.SpanId);
        steps[0].GetTagItem("watchdog.step.parameter.deployment").ShouldBe("checkout");
        steps[1].GetTagItem("watchdog.step.parameter.url").ShouldBe(webhook);
        trace.SelectMany(s => s.TagObjects).Select(tag => tag.Value as string ?? "").Where(text => text.Contains("ci-secret", StringComparison.Ordinal)).ShouldBeEmpty();

        // The Kubernetes calls are client spans under the undo step; the server got the PATCH's own span as parent.
        var patch = trace.Single(s => s.Kind == ActivityKind.Client && Equals(s.GetTagItem("http.request.method"), "PATCH"));
        ParentOf(patch).ShouldBeSameAs(steps[0]);
        var received = _simulator.Requests.Skip(_setUpRequests).Single(r => r.Method == "PATCH");
        var traceParent = received.TraceParent!.Split('-');
        traceParent[..3].ShouldBe(["00", run.TraceId.ToHexString(), patch.SpanId.ToHexString()]);
        (Convert.ToInt32(traceParent[3], 16) & 1).ShouldBe(1, "the sampled flag"); // .NET 10 also sets W3C level 2's random-id flag (2)
        trace.Where(s => s.Kind == ActivityKind.Client && s.ParentSpanId == steps[1].SpanId).ShouldHaveSingleItem().GetTagItem("server.port").ShouldBe(_ci.BaseUrl.Port);
        _simulator.ImageOf("default", "checkout").ShouldBe("checkout:1.0");

        // The incident report names the trace the run was carried out in.
        var stored = (await _app.Services.GetRequiredService<IWatchdogStore>().ListRunsAsync(new RunQuery(Target: "checkout"), CancellationToken.None)).Single();
        using var report = JsonDocument.Parse(await _http.GetStringAsync($"/api/v1/incidents/{stored.IncidentId}"));
        report.RootElement.GetProperty("runs")[0].GetProperty("traceId").GetString().ShouldBe(run.TraceId.ToHexString());
        (await _http.GetStringAsync($"/api/v1/incidents/{stored.IncidentId}?format=md")).ShouldContain($"- Trace: `{run.TraceId.ToHexString()}`");
    }
}
