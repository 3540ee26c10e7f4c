using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Watchdog.Configuration;
using Watchdog.Incidents;
using Watchdog.Incidents.Notifications;
using Watchdog.Records;
using Watchdog.Tests.Fakes;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Incidents.Notifications;

/// <summary>The dispatcher against real HTTP receivers on 127.0.0.1.</summary>
public sealed class NotificationDispatcherHttpTests
{
    private const string EventKey = "incident/1/run/2/in-progress";

    private static readonly NotificationMessage InProgress = RollbackMessages.InProgress(
        "Production", "abc1234", "def5678", "error rate 12% > 10%", new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(5));

    [Fact]
    public async Task Slack_ReceivesTheRunbookBlockInACodeBlock_WithTheEventKeyAsIdempotencyKey()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(200);
        await using var scenario = NotificationScenario.Create([NotificationScenario.Slack(receiver.Url("/services/T0/B0/secret"))]);
        await scenario.EnqueueAsync(await scenario.OpenIncidentAsync(), EventKey, InProgress);

        var summary = await scenario.Dispatcher.RunOnceAsync(CancellationToken.None);

        summary.ShouldBe(new NotificationDispatchSummary(1, 0));
        var request = receiver.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("POST");
        request.Path.ShouldBe("/services/T0/B0/secret");
        request.ContentType.ShouldBe("application/json; charset=utf-8");
        request.IdempotencyKey.ShouldBe(EventKey);
        using var json = JsonDocument.Parse(request.Body);
        json.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["text"]);
        json.RootElement.GetProperty("text").GetString().ShouldBe("""
            ```
            ROLLBACK IN PROGRESS
            ━━━━━━━━━━━━━━━━━━━━
            Environment: Production
            Previous Version: abc1234
            Rolling Back To: def5678
            Reason: error rate 12% > 10%
            Started: 12:00:00 UTC
            ETA: 5m00s
            ```
            """);
    }

    [Fact]
    public async Task Webhook_ReceivesTheMessageAsJson_WithFieldsInOrder_AndTheEventKeyAsIdempotencyKey()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(204);
        await using var scenario = NotificationScenario.Create([NotificationScenario.Webhook(receiver.Url("/hook"))]);
        var incidentId = await scenario.OpenIncidentAsync();
        await scenario.EnqueueAsync(incidentId, "incident/1/run/2/complete", RollbackMessages.Complete("Production", "def5678"));

        await scenario.Dispatcher.RunOnceAsync(CancellationToken.None);

        var request = receiver.Requests.ShouldHaveSingleItem();
        request.IdempotencyKey.ShouldBe("incident/1/run/2/complete");
        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        root.EnumerateObject().Select(p => p.Name).ShouldBe(["event_key", "kind", "title", "fields", "text", "incident_id", "created_at"]);
        root.GetProperty("event_key").GetString().ShouldBe("incident/1/run/2/complete");
        root.GetProperty("kind").GetString().ShouldBe("rollback-complete");
        root.GetProperty("title").GetString().ShouldBe("ROLLBACK COMPLETE");
        root.GetProperty("fields").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}")
            .ShouldBe(["Environment=Production", "Current Version=def5678", "Status=Operational"]);
        root.GetProperty("text").GetString().ShouldBe("All health checks passing");
        root.GetProperty("incident_id").GetInt64().ShouldBe(incidentId);
        root.GetProperty("created_at").GetString().ShouldBe("2025-06-01T12:00:00Z");
    }

    [Fact]
    public async Task Retries_WaitOneTwoAndFourSecondsOnTheInjectedClock_BeforeGivingUpAfterFourAttempts()
    {
        // The waits are the HTTP client's resilience handler's, on the clock the host registers.
        var clock = new TimerWatchingClock();
        await using var receiver = await LoopbackReceiver.StartAsync(503);
        await using var scenario = NotificationScenario.Create([NotificationScenario.Webhook(receiver.Url("/hook"))], new NotificationDispatchOptions(), clock);
        await scenario.EnqueueAsync(await scenario.OpenIncidentAsync(), EventKey, InProgress);
        var start = clock.GetUtcNow();
        var seenAt = new List<DateTimeOffset>();

        using var abandon = new CancellationTokenSource();
        var run = scenario.Dispatcher.RunOnceAsync(abandon.Token);
        try
        {
            foreach (var (attempts, wait) in new[] { (1, 1), (2, 2), (3, 4) })
            {
                await Eventually.HoldsAsync(() => receiver.Requests.Count == attempts, $"attempt {attempts} was made");
                seenAt.Add(clock.GetUtcNow());
                run.IsCompleted.ShouldBeFalse();
                // The clock moves only once the backoff's timer is on it (each wait is a different length, so its own).
                await Eventually.HoldsAsync(() => clock.TimersDueAfter(TimeSpan.FromSeconds(wait)) == 1, $"the {wait} s backoff began");
                clock.Advance(TimeSpan.FromSeconds(wait));
            }
        }
        catch (Exception)
        {
            // A failed check leaves the run in a backoff on the fake clock, and disposing the client's pipeline waits
            // for runs in flight: end the run first, or the test hangs instead of failing.
            await abandon.CancelAsync();
            await Task.WhenAny(run);
            throw;
        }

        var summary = await run;
        seenAt.Add(clock.GetUtcNow());

        summary.ShouldBe(new NotificationDispatchSummary(0, 1));
        receiver.Requests.Count.ShouldBe(4);
        seenAt.Select(at => (at - start).TotalSeconds).ShouldBe([0, 1, 3, 7]);
        scenario.Logs.Logger.Entries.Where(e => e.EventId == 402).Select(e => e.Fields["Delay"]).ShouldBe(
            ["1s", "2s", "4s"]);
        var notification = await scenario.SingleNotificationAsync();
        notification.Status.ShouldBe(NotificationStatus.Deferred); // a 503 may pass: sent again at the next redelivery
        notification.Attempts.ShouldBe(4);
    }

    [Fact]
    public async Task Retry_After503WithRetryAfterOfAMinute_WaitsTheConfiguredSecondOnTheInjectedClock_NotTheMinute()
    {
        // The library's retry would wait out Retry-After by default; a minute would hold every message queued behind this one.
        var clock = new TimerWatchingClock();
        await using var receiver = await LoopbackReceiver.StartScriptedAsync(
            new ReceiverAnswer(503) { RetryAfter = TimeSpan.FromSeconds(60) }, new ReceiverAnswer(200));
        await using var scenario = NotificationScenario.Create([NotificationScenario.Webhook(receiver.Url("/hook"))], new NotificationDispatchOptions(), clock);
        await scenario.EnqueueAsync(await scenario.OpenIncidentAsync(), EventKey, InProgress);
        var retries = () => scenario.Logs.Logger.Entries.Where(e => e.EventId == 402).Select(e => e.Fields["Delay"]).ToList();

        using var abandon = new CancellationTokenSource();
        var run = scenario.Dispatcher.RunOnceAsync(abandon.Token);
        try
        {
            // The clock moves only once the retry's wait is on it: its timer, created after the retry's log line.
            await Eventually.HoldsAsync(() => retries().Count == 1, "the 503 was answered with a retry");
            retries().ShouldBe(["1s"]);
            await Eventually.HoldsAsync(() => clock.TimersDueAfter(TimeSpan.FromSeconds(1)) == 1, "the 1 s backoff began");
            receiver.Requests.Count.ShouldBe(1);
            clock.Advance(TimeSpan.FromSeconds(1));
            await Eventually.HoldsAsync(() => receiver.Requests.Count == 2, "the second attempt was made one second later");
        }
        catch (Exception)
        {
            // A failed check leaves the run in the retry's wait, and disposing the client's pipeline waits for runs in
            // flight on the same fake clock: end the run first, or the test hangs instead of failing.
            await abandon.CancelAsync();
            await Task.WhenAny(run);
            throw;
        }

        var summary = await run;

        summary.ShouldBe(new NotificationDispatchSummary(1, 0));
        (clock.GetUtcNow() - TestClock.Start).ShouldBe(TimeSpan.FromSeconds(1));
        var notification = await scenario.SingleNotificationAsync();
        notification.Status.ShouldBe(NotificationStatus.Sent);
        notification.Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task ReceiverThatFailsFirst_GetsTheMessageOnceMore_AndItIsMarkedSentAfterTwoAttempts()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(500, 200);
        await using var scenario = NotificationScenario.Create([NotificationScenario.Webhook(receiver.Url("/hook"))]);
        var incidentId = await scenario.OpenIncidentAsync();
        await scenario.EnqueueAsync(incidentId, EventKey, InProgress);

        var summary = await scenario.Dispatcher.RunOnceAsync(CancellationToken.None);

        summary.ShouldBe(new NotificationDispatchSummary(1, 0));
        receiver.Requests.Count.ShouldBe(2);
        receiver.Requests.ShouldAllBe(r => r.IdempotencyKey == EventKey);
        var notification = await scenario.SingleNotificationAsync();
        notification.Status.ShouldBe(NotificationStatus.Sent);
        notification.Attempts.ShouldBe(2);
        notification.SentAt.ShouldNotBeNull();
        notification.LastError.ShouldBeNull();
        var sent = (await scenario.TimelineAsync(incidentId)).ShouldHaveSingleItem();
        sent.Kind.ShouldBe(IncidentEventKind.NotificationSent);
        sent.Summary.ShouldContain("pager");
    }

    [Fact]
    public async Task ReceiverThatAlwaysFails_IsDeferredAfterTheConfiguredAttempts_AndTheFailureIsOnTheTimeline()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(503);
        await using var scenario = NotificationScenario.Create([NotificationScenario.Webhook(receiver.Url("/hook"))]);
        var incidentId = await scenario.OpenIncidentAsync();
        await scenario.EnqueueAsync(incidentId, EventKey, InProgress);

        var summary = await scenario.Dispatcher.RunOnceAsync(CancellationToken.None);

        summary.ShouldBe(new NotificationDispatchSummary(0, 1));
        receiver.Requests.Count.ShouldBe(NotificationScenario.FastRetries.MaxAttempts);
        var notification = await scenario.SingleNotificationAsync();
        notification.Status.ShouldBe(NotificationStatus.Deferred); // may pass: sent again at the next redelivery
        notification.Attempts.ShouldBe(3);
        notification.SentAt.ShouldBeNull();
        notification.LastError.ShouldBe("HTTP 503 Service Unavailable: receiver says no");
        var failed = (await scenario.TimelineAsync(incidentId)).ShouldHaveSingleItem();
        failed.Kind.ShouldBe(IncidentEventKind.NotificationFailed);
        failed.Summary.ShouldContain("pager");
        failed.Summary.ShouldContain("HTTP 503");
        using var detail = JsonDocument.Parse(failed.Detail!);
        detail.RootElement.GetProperty("channel").GetString().ShouldBe("pager");
        detail.RootElement.GetProperty("error").GetString().ShouldBe("HTTP 503 Service Unavailable: receiver says no");
        detail.RootElement.GetProperty("attempts").GetInt32().ShouldBe(3);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(502)]
    public async Task TransientRefusal_IsRetried(int status)
    {
        await using var receiver = await LoopbackReceiver.StartAsync(status, 200);
        await using var scenario = NotificationScenario.Create([NotificationScenario.Webhook(receiver.Url("/hook"))]);
        await scenario.EnqueueAsync(null, EventKey, InProgress);

        await scenario.Dispatcher.RunOnceAsync(CancellationToken.None);

        receiver.Requests.Count.ShouldBe(2);
        (await scenario.SingleNotificationAsync()).Status.ShouldBe(NotificationStatus.Sent);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    public async Task ClientError_IsNotRetried_AndIsMarkedFailedAfterOneAttempt(int status)
    {
        await using var receiver = await LoopbackReceiver.StartAsync(status, 200);
        await using var scenario = NotificationScenario.Create([NotificationScenario.Slack(receiver.Url("/hook"))]);
        await scenario.EnqueueAsync(null, EventKey, InProgress);

        await scenario.Dispatcher.RunOnceAsync(CancellationToken.None);

        receiver.Requests.Count.ShouldBe(1);
        var notification = await scenario.SingleNotificationAsync();
        notification.Status.ShouldBe(NotificationStatus.Failed);
        notification.Attempts.ShouldBe(1);
        notification.LastError.ShouldStartWith($"HTTP {status} ");
    }

    [Fact]
    public async Task UnreachableReceiver_IsDeferredWithTheConnectionError_AfterTheConfiguredAttempts()
    {
        await using var scenario = NotificationScenario.Create([NotificationScenario.Webhook(ClosedPortUrl())]);
        var incidentId = await scenario.OpenIncidentAsync();
        await scenario.EnqueueAsync(incidentId, EventKey, InProgress);

        var summary = await scenario.Dispatcher.RunOnceAsync(CancellationToken.None);

        summary.ShouldBe(new NotificationDispatchSummary(0, 1));
        var notification = await scenario.SingleNotificationAsync();
        notification.Status.ShouldBe(NotificationStatus.Deferred); // may pass: sent again at the next redelivery
        notification.Attempts.ShouldBe(3);
        notification.LastError.ShouldNotBeNull().ShouldContain("Connection refused");
        (await scenario.TimelineAsync(incidentId)).ShouldHaveSingleItem().Kind.ShouldBe(IncidentEventKind.NotificationFailed);
    }

    [Fact]
    public async Task ReceiverThatNeverAnswers_TimesOutEachAttempt_AndIsDeferred()
    {
        await using var receiver = await LoopbackReceiver.StartSilentAsync();
        // 900 ms, not 200: at load 19 a 200 ms attempt could end before the receiver's handler had even seen it.
        var dispatch = NotificationScenario.FastRetries with { MaxAttempts = 2, AttemptTimeout = TimeSpan.FromMilliseconds(900) };
        await using var scenario = NotificationScenario.Create([NotificationScenario.Webhook(receiver.Url("/hook"))], dispatch);
        await scenario.EnqueueAsync(null, EventKey, InProgress);

        await scenario.Dispatcher.RunOnceAsync(CancellationToken.None);

        receiver.Requests.Count.ShouldBe(2);
        var notification = await scenario.SingleNotificationAsync();
        notification.Status.ShouldBe(NotificationStatus.Deferred); // may pass: sent again at the next redelivery
        notification.Attempts.ShouldBe(2);
        notification.LastError.ShouldBe("no answer within 900ms");
    }

    [Fact]
    public async Task RunAfterSent_DoesNotSendAgain()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(200);
        await using var scenario = NotificationScenario.Create([NotificationScenario.Webhook(receiver.Url("/hook"))]);
        await scenario.EnqueueAsync(null, EventKey, InProgress);
        await scenario.Dispatcher.RunOnceAsync(CancellationToken.None);

        var second = await scenario.Dispatcher.RunOnceAsync(CancellationToken.None);

        second.ShouldBe(NotificationDispatchSummary.None);
        receiver.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task TheSameEventQueuedAgainAfterSending_IsNotSentAgain()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(200);
        await using var scenario = NotificationScenario.Create([NotificationScenario.Webhook(receiver.Url("/hook"))]);
        await scenario.EnqueueAsync(null, EventKey, InProgress);
        await scenario.Dispatcher.RunOnceAsync(CancellationToken.None);

        (await scenario.EnqueueAsync(null, EventKey, InProgress)).ShouldBe(0);
        await scenario.Dispatcher.RunOnceAsync(CancellationToken.None);

        receiver.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task EveryChannel_GetsTheMessage_AndAFailingOneDoesNotStopTheOther()
    {
        await using var slack = await LoopbackReceiver.StartAsync(200);
        await using var pager = await LoopbackReceiver.StartAsync(400);
        await using var scenario = NotificationScenario.Create(
            [NotificationScenario.Slack(slack.Url("/slack")), NotificationScenario.Webhook(pager.Url("/pager"))]);
        var incidentId = await scenario.OpenIncidentAsync();
        await scenario.EnqueueAsync(incidentId, EventKey, InProgress);

        var summary = await scenario.Dispatcher.RunOnceAsync(CancellationToken.None);

        summary.ShouldBe(new NotificationDispatchSummary(1, 1));
        slack.Requests.Count.ShouldBe(1);
        pager.Requests.Count.ShouldBe(1);
        (await scenario.TimelineAsync(incidentId)).Select(e => e.Kind)
            .ShouldBe([IncidentEventKind.NotificationSent, IncidentEventKind.NotificationFailed], ignoreOrder: true);
    }

    [Fact]
    public async Task Logs_NameTheChannel_NeverTheWebhookUrl()
    {
        const string Secret = "XoXbSeCrEtToKeN";
        await using var receiver = await LoopbackReceiver.StartAsync(500, 200);
        await using var scenario = NotificationScenario.Create([NotificationScenario.Slack(receiver.Url($"/services/T0/B0/{Secret}"))]);
        await scenario.EnqueueAsync(null, EventKey, InProgress);

        await scenario.Dispatcher.RunOnceAsync(CancellationToken.None);

        var entries = scenario.Logs.Logger.Entries.ToList();
        entries.ShouldContain(e => e.Message.Contains("ops-slack", StringComparison.Ordinal) && e.Message.Contains("sent", StringComparison.Ordinal));
        entries.ShouldContain(e => e.Message.Contains("retrying", StringComparison.Ordinal));
        entries.ShouldAllBe(e => !e.Message.Contains(Secret) && !e.Fields.Values.Any(v => v != null && v.ToString()!.Contains(Secret)));
    }

    [Fact]
    public async Task HostedLoop_DeliversWhatIsQueued_WithoutBeingCalled()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(200);
        await using var scenario = NotificationScenario.Create([NotificationScenario.Webhook(receiver.Url("/hook"))]);
        var loop = scenario.Services.GetServices<IHostedService>().OfType<NotificationDispatchLoop>().ShouldHaveSingleItem();
        await loop.StartAsync(CancellationToken.None);
        try
        {
            await scenario.EnqueueAsync(null, EventKey, InProgress);

            await Eventually.HoldsAsync(async () => (await scenario.SingleNotificationAsync()).Status == NotificationStatus.Sent, "the loop has sent it");
            receiver.Requests.Count.ShouldBe(1);
        }
        finally
        {
            await loop.StopAsync(CancellationToken.None);
        }
    }

    // A port that was just free and is now closed: connecting to it is refused at once.
    private static Uri ClosedPortUrl() => new($"http://127.0.0.1:{LoopbackPorts.Free()}/hook");
}
