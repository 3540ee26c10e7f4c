using System.Globalization;
using System.Text;
using System.Text.Json;
using Watchdog.Incidents;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.IntegrationTests.Signals.Alerts;

/// <summary>
/// A real Alertmanager 0.25 sends to Watchdog's intake. Alerts are injected through Alertmanager's own API
/// (<c>POST /api/v2/alerts</c>, delivered about 10 ms later with group_wait 0s); each test uses its own alert
/// name, so that its group is its own.
/// </summary>
[Collection(AlertmanagerTestGroup.Name)]
public sealed class AlertmanagerWebhookTests(AlertmanagerChain chain) : IDisposable
{
    private readonly HttpClient _alertmanager = new() { BaseAddress = chain.Alertmanager.Url };

    private IntakeHost Intake => chain.Intake;

    public void Dispose() => _alertmanager.Dispose();

    [Fact]
    public async Task AlertSentThroughAlertmanager_IsStoredByTheIntakeAndIsASignalUntilResolved()
    {
        const string name = "E2eStored";

        await FireAsync(name);
        await Eventually.HoldsAsync(async () => (await StoredAsync(name, "firing")).Count == 1, $"the intake stored {name} firing");
        var firing = await Intake.SignalAsync($"alert:{name}");
        await ResolveAsync(name);
        await Eventually.HoldsAsync(async () => (await StoredAsync(name, "resolved")).Count == 1, $"the intake stored {name} resolved");
        var resolved = await Intake.SignalAsync($"alert:{name}");

        firing.ShouldBe(SignalValue.Of(1));
        resolved.ShouldBe(SignalValue.Of(0));
        var stored = (await StoredAsync(name, "firing")).Single();
        stored.Target.ShouldBe("checkout");
        stored.Fingerprint.ShouldNotBeNullOrWhiteSpace();
        JsonDocument.Parse(stored.Payload).RootElement.GetProperty("labels").GetProperty("service").GetString().ShouldBe("checkout");
        var first = Intake.DeliveriesOf(name)[0];
        first.UserAgent.ShouldBe("Alertmanager/0.25.0");
        first.Answer.ShouldBe(200);
    }

    [Fact]
    public async Task IntakeAnswering503BecauseTheStoreFails_AlertmanagerRetriesWithinTheFlushAndTheAlertIsStoredOnce()
    {
        const string name = "E2eRetry";
        Intake.Store.FailAlertInserts = true;
        try
        {
            await FireAsync(name);
            await Eventually.HoldsAsync(() => Intake.DeliveriesOf(name).Count(d => d.Answer == 503) >= 2, $"Alertmanager sent {name} again after a 503");
            (await StoredAsync(name, "firing")).ShouldBeEmpty("a 503 means nothing was kept");
        }
        finally
        {
            Intake.Store.FailAlertInserts = false;
        }

        await Eventually.HoldsAsync(async () => (await StoredAsync(name, "firing")).Count == 1, $"a retry of {name} was stored");

        var failed = Intake.DeliveriesOf(name).Where(d => d.Answer == 503).ToArray();
        // A retry within the same flush comes after a backoff of about 0.4 s; the next flush only after group_interval.
        (failed[1].At - failed[0].At).ShouldBeLessThan(AlertmanagerChain.GroupInterval * 0.75, "the second attempt is a retry, not the next group_interval");
        (await Intake.SignalAsync($"alert:{name}")).ShouldBe(SignalValue.Of(1));
    }

    [Fact]
    public async Task IntakeAnswering400_AlertmanagerDoesNotRetryButSendsAgainAtTheNextGroupInterval()
    {
        const string name = "E2eRejected";
        Intake.Answer(name, 400);
        try
        {
            await FireAsync(name);
            await Eventually.HoldsAsync(() => Intake.DeliveriesOf(name).Count >= 2, $"Alertmanager sent {name} a second time");
        }
        finally
        {
            Intake.StopAnswering(name);
        }

        var rejected = Intake.DeliveriesOf(name).Take(2).ToArray();
        rejected.ShouldAllBe(d => d.Answer == 400);
        (rejected[1].At - rejected[0].At).ShouldBeGreaterThan(AlertmanagerChain.GroupInterval * 0.75, "no retry within the flush after a 4xx: the next attempt is the next group_interval's");
        (await StoredAsync(name, "firing")).ShouldBeEmpty();

        // Nothing was recorded as sent, so the notification keeps coming each group_interval until it is accepted.
        await Eventually.HoldsAsync(async () => (await StoredAsync(name, "firing")).Count == 1, $"{name} was stored once accepted");
    }

    [Fact]
    public async Task NotificationRepeatedAfterRepeatInterval_IsAnsweredAsADuplicateAndStoresNothingNew()
    {
        const string name = "E2eRepeat";

        await FireAsync(name);
        await Eventually.HoldsAsync(() => Intake.DeliveriesOf(name).Any(d => d.Answer == 200), $"{name} was delivered");
        await Eventually.HoldsAsync(() => Intake.DeliveriesOf(name).Count(d => d.Answer == 200) >= 2, $"Alertmanager repeated {name} after repeat_interval");

        var deliveries = Intake.DeliveriesOf(name);
        JsonDocument.Parse(deliveries[0].AnswerBody).RootElement.GetRawText().ShouldBe("""{"received":1,"stored":1,"duplicates":0,"unmatched":0}""");
        JsonDocument.Parse(deliveries[1].AnswerBody).RootElement.GetRawText().ShouldBe("""{"received":1,"stored":0,"duplicates":1,"unmatched":0}""");
        (deliveries[1].At - deliveries[0].At).ShouldBeGreaterThanOrEqualTo(AlertmanagerChain.RepeatInterval * 0.9);
        (await StoredAsync(name, "firing")).Count.ShouldBe(1);
    }

    private async Task FireAsync(string name) => await PostToAlertmanagerAsync(name, endsAt: null);

    private async Task ResolveAsync(string name) => await PostToAlertmanagerAsync(name, TimeProvider.System.GetUtcNow());

    private async Task PostToAlertmanagerAsync(string name, DateTimeOffset? endsAt)
    {
        var ends = endsAt is { } at ? $",\"endsAt\":\"{at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}\"" : "";
        var body = $$"""[{"labels":{"alertname":"{{name}}","service":"checkout","severity":"critical"},"annotations":{"summary":"injected by a test"},"generatorURL":"http://127.0.0.1/test"{{ends}}}]""";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _alertmanager.PostAsync(new Uri("/api/v2/alerts", UriKind.Relative), content);
        ((int)response.StatusCode).ShouldBe(200, await response.Content.ReadAsStringAsync());
    }

    private async Task<IReadOnlyList<ReceivedAlert>> StoredAsync(string name, string status) =>
        [.. (await Intake.Store.ListAlertsAsync(1000, CancellationToken.None)).Where(a => a.AlertName == name && a.Status == status)];
}
