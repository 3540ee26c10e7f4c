namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// <c>GET /api/v1/alerts</c> past its 1,000 a page: a script follows each answer's <c>Link rel="next"</c> and reads
/// every alert once, newest first.
/// </summary>
[Trait("Suite", "Faults")]
public sealed class AlertsPagingTests(IntakeDaemon intake) : IClassFixture<IntakeDaemon>
{
    private const int Notifications = 250;
    private const int AlertsPerNotification = 10;

    [Fact]
    public async Task AlertsList_PagesPastAThousand()
    {
        var burst = new AlertBurst("paging", AlertsPerNotification);
        var api = intake.Api;
        for (var number = 0; number < Notifications; number++)
        {
            // One at a time, so that receipt order is notification order and "newest first" is checkable.
            (await api.PostAsync("api/v1/alerts", burst.Body(number), IntakeDaemon.Token)).Status.ShouldBe(200);
        }

        var (alerts, pages) = await api.AllAlertsAsync(IntakeDaemon.Token, limit: 1000);

        var fingerprints = alerts.Select(a => a.GetProperty("fingerprint").GetString()!).ToList();
        fingerprints.Count.ShouldBe(Notifications * AlertsPerNotification, "every alert, over the pages");
        fingerprints.Distinct(StringComparer.Ordinal).Count().ShouldBe(fingerprints.Count, "none twice across pages");
        pages.ShouldBe(3, "1,000 + 1,000 + 500, and no empty page after the last");
        var ids = alerts.Select(a => a.GetProperty("id").GetInt64()).ToList();
        ids.ShouldBe([.. ids.OrderDescending()], "newest first across the pages");
        fingerprints[^1].ShouldStartWith("paging-00000-", Case.Sensitive, "the oldest last");

        (await api.GetAsync("api/v1/alerts?before=not-a-cursor", IntakeDaemon.Token)).Status.ShouldBe(400);
    }
}
