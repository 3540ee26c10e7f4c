using System.Globalization;
using System.Text;
using System.Text.Json;
using Watchdog.IntegrationTests.Servers;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// Alertmanager delivers at least once: it retries after an error and repeats a firing notification every
/// repeat_interval. The daemon answers every copy 200 and stores each alert once, counting the copies as duplicates.
/// </summary>
[Trait("Suite", "Faults")]
public sealed class WebhookDuplicateTests(IntakeDaemon daemon) : IClassFixture<IntakeDaemon>
{
    private DaemonApi Api => daemon.Api;

    [Fact]
    public async Task SameWebhookDeliveredTwice_IsAnswered200BothTimes_AndItsAlertsAreStoredOnce()
    {
        var burst = new AlertBurst($"dup-{Guid.NewGuid():N}");

        var first = await Api.PostAsync("api/v1/alerts", burst.Body(0), IntakeDaemon.Token);
        var second = await Api.PostAsync("api/v1/alerts", burst.Body(0), IntakeDaemon.Token);

        first.Status.ShouldBe(200, first.Body);
        Receipt(first.Body).ShouldBe("""{"received":2,"stored":2,"duplicates":0,"unmatched":2}""");
        second.Status.ShouldBe(200, second.Body);
        Receipt(second.Body).ShouldBe("""{"received":2,"stored":0,"duplicates":2,"unmatched":2}""");
        var stored = await daemon.StoredFingerprintsAsync();
        burst.Fingerprints(0).ShouldAllBe(f => stored.Count(s => s == f) == 1);
    }

    [Fact]
    public async Task AlertmanagerRepeatsItsNotification_EveryCopyIsAnswered200_AndTheAlertIsStoredOnce()
    {
        var name = $"Repeated{Guid.NewGuid():N}";
        await using var alertmanager = await AlertmanagerServer.StartAsync(new Uri(daemon.Daemon.Url, "api/v1/alerts"), new Dictionary<string, string>
        {
            ["GROUP_WAIT"] = "0s",
            ["GROUP_INTERVAL"] = "500ms",
            ["REPEAT_INTERVAL"] = "1s",
            ["RECEIVER_AUTH"] = IntakeDaemon.Token,
        });
        using var am = new HttpClient { BaseAddress = alertmanager.Url };
        using var alert = new StringContent($$"""[{"labels":{"alertname":"{{name}}","service":"checkout"},"annotations":{"summary":"repeated by Alertmanager"},"generatorURL":"http://127.0.0.1/"}]""", Encoding.UTF8, "application/json");
        (await am.PostAsync(new Uri("api/v2/alerts", UriKind.Relative), alert)).EnsureSuccessStatusCode();

        await Api.UntilAsync(async () => await WebhookNotificationsAsync(am, "alertmanager_notifications_total") >= 3, "Alertmanager sent the notification three times (once, then two repeats)");

        (await WebhookNotificationsAsync(am, "alertmanager_notifications_failed_total")).ShouldBe(0, "every copy was answered 200");
        var stored = (await Api.AlertsAsync(IntakeDaemon.Token)).Where(a => a.GetProperty("alertName").GetString() == name).ToList();
        stored.Count.ShouldBe(1);
        stored[0].GetProperty("targets").EnumerateArray().Select(t => t.GetString()).ShouldBe(["checkout"]);
    }

    private static string Receipt(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetRawText();
    }

    /// <summary>A counter of Alertmanager's own /metrics for the webhook integration.</summary>
    private static async Task<double> WebhookNotificationsAsync(HttpClient alertmanager, string metric)
    {
        var text = await alertmanager.GetStringAsync(new Uri("metrics", UriKind.Relative));
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(metric + "{", StringComparison.Ordinal) && l.Contains("integration=\"webhook\"", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }
}
