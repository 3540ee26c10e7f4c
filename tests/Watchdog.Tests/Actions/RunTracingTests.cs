using System.Diagnostics;
using Watchdog.Actions;
using Watchdog.Telemetry;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Actions;

/// <summary>A run's span continues the trace it was queued in and says how the run ended; a failed step's span says why.</summary>
public sealed class RunTracingTests : IDisposable
{
    private readonly ExecutorScenario _s = new();
    private readonly LockedCollection<Activity> _ended = new();
    private readonly ActivityListener _listener;

    public RunTracingTests()
    {
        _listener = WatchdogActivities.Listen(_ended.Add);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task AFailedStep_MarksItsSpanAndTheRunsSpanAsErrors_InTheTraceThatQueuedTheRun()
    {
        var failing = new RecordingAction("flag-reduce", behaviour: (_, _) => Task.FromResult(ActionResult.Failure("flag server answered 503")));
        var executor = _s.Executor(failing, new RecordingAction("deployment-undo"));
        var incident = await _s.OpenIncidentAsync();
        long runId;
        ActivityTraceId queuedIn;
        using (var cycle = new Activity("watch target").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            queuedIn = cycle.TraceId;
            runId = (await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None))!.Id;
        }

        using (RunTracing.StartRun(runId, _s.Ready.TakeQueuedIn(runId)))
        {
            await executor.ExecuteRunAsync(runId, CancellationToken.None);
        }

        var trace = _ended.Snapshot().Where(s => s.TraceId == queuedIn).ToList();
        var run = trace.Single(s => s.OperationName == WatchdogActivities.ActionRun);
        run.GetTagItem("watchdog.run.id").ShouldBe(runId);
        run.GetTagItem("watchdog.run.status").ShouldBe("failed");
        run.Status.ShouldBe(ActivityStatusCode.Error);
        run.StatusDescription.ShouldBe("step 1 (flag-reduce) failed: flag server answered 503");
        var step = trace.Single(s => s.OperationName == WatchdogActivities.ActionStep);
        step.ParentSpanId.ShouldBe(run.SpanId);
        step.GetTagItem("watchdog.step.parameter.flag").ShouldBe("checkout-v2");
        step.Status.ShouldBe(ActivityStatusCode.Error);
        step.StatusDescription.ShouldBe("flag server answered 503");
    }

    [Fact]
    public async Task AStepWhosePlugInThrows_IsAnErrorSpan_SayingWhatItThrew()
    {
        var throwing = new RecordingAction("flag-reduce", behaviour: (_, _) => throw new InvalidOperationException("bug in the plug-in"));
        var executor = _s.Executor(throwing, new RecordingAction("deployment-undo"));
        var incident = await _s.OpenIncidentAsync();
        var runId = (await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None))!.Id;
        ActivityTraceId traceId;

        using (var run = RunTracing.StartRun(runId, default))
        {
            traceId = run!.TraceId;
            await executor.ExecuteRunAsync(runId, CancellationToken.None);
        }

        var step = _ended.Snapshot().Single(s => s.TraceId == traceId && s.OperationName == WatchdogActivities.ActionStep);
        step.Status.ShouldBe(ActivityStatusCode.Error);
        step.StatusDescription.ShouldBe("flag-reduce threw InvalidOperationException: bug in the plug-in");
    }

    [Fact]
    public void ARunQueuedOutsideAnySpan_StartsATraceOfItsOwn()
    {
        var ready = new ReadyRuns();
        ready.Enqueue(7);

        ready.TakeQueuedIn(7).ShouldBe(default);
    }
}
