using System.Text.Json;
using Watchdog.Configuration;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Signals;
using Watchdog.Store;
using Watchdog.Tests.Fakes;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Signals.Alerts;

public sealed class AlertSignalSourceTests
{
    private const string Signal = "alert:HighErrorRatio";

    [Fact]
    public async Task Signal_FiringThenResolved_FlipsFromOneToZero()
    {
        await using var server = await AlertIntakeServer.StartAsync();
        var neverSeen = await server.SignalAsync(AlertIntakeServer.Checkout, Signal);

        await server.PostOkAsync(AlertFixtures.Firing);
        var firing = await server.SignalAsync(AlertIntakeServer.Checkout, Signal);
        await server.PostOkAsync(AlertFixtures.Resolved);
        var resolved = await server.SignalAsync(AlertIntakeServer.Checkout, Signal);

        neverSeen.ShouldBe(SignalValue.NoData);
        firing.ShouldBe(SignalValue.Of(1));
        resolved.ShouldBe(SignalValue.Of(0));
    }

    [Fact]
    public async Task Signal_LateRetryOfTheFiringAfterTheResolution_StaysResolved()
    {
        await using var server = await AlertIntakeServer.StartAsync();
        await server.PostOkAsync(AlertFixtures.Resolved);

        var late = await server.PostOkAsync(AlertFixtures.Firing);

        late.GetProperty("stored").GetInt32().ShouldBe(1, "a firing notice is news to the store");
        (await server.SignalAsync(AlertIntakeServer.Checkout, Signal)).ShouldBe(SignalValue.Of(0));
    }

    [Fact]
    public async Task Signal_FiringAgainWithALaterStart_IsOneAgain()
    {
        await using var server = await AlertIntakeServer.StartAsync();
        await server.PostOkAsync(AlertFixtures.Firing);
        await server.PostOkAsync(AlertFixtures.Resolved);

        await server.PostOkAsync(AlertFixtures.Firing.Replace("2026-11-22T05:25:21.836Z", "2026-11-22T05:40:00.5Z", StringComparison.Ordinal));

        (await server.SignalAsync(AlertIntakeServer.Checkout, Signal)).ShouldBe(SignalValue.Of(1));
    }

    [Fact]
    public async Task Signal_FiringAlertPastTheEndAlertmanagerAnnounced_IsZeroByTheInjectedClock()
    {
        await using var server = await AlertIntakeServer.StartAsync();
        var endsSoon = AlertFixtures.Firing.Replace("0001-01-01T00:00:00Z", "2026-11-22T05:30:00Z", StringComparison.Ordinal);
        await server.PostOkAsync(endsSoon);

        var before = await server.SignalAsync(AlertIntakeServer.Checkout, Signal);
        server.Time.Advance(TimeSpan.FromMinutes(5));
        var after = await server.SignalAsync(AlertIntakeServer.Checkout, Signal);

        before.ShouldBe(SignalValue.Of(1));
        after.ShouldBe(SignalValue.Of(0));
    }

    [Fact]
    public async Task Signal_TwoAlertsOfOneNameForOneTarget_IsOneUntilBothResolve()
    {
        await using var server = await AlertIntakeServer.StartAsync();
        var podA = AlertFixtures.Firing;
        var podB = AlertFixtures.Firing.Replace(AlertFixtures.Fingerprint, "bbbbbbbbbbbbbbbb", StringComparison.Ordinal);
        await server.PostOkAsync(podA);
        await server.PostOkAsync(podB);

        await server.PostOkAsync(AlertFixtures.Resolved);
        var oneStillFiring = await server.SignalAsync(AlertIntakeServer.Checkout, Signal);
        await server.PostOkAsync(AlertFixtures.Resolved.Replace(AlertFixtures.Fingerprint, "bbbbbbbbbbbbbbbb", StringComparison.Ordinal));
        var bothResolved = await server.SignalAsync(AlertIntakeServer.Checkout, Signal);

        oneStillFiring.ShouldBe(SignalValue.Of(1));
        bothResolved.ShouldBe(SignalValue.Of(0));
    }

    [Fact]
    public async Task Signal_AlertMatchingTwoTargets_IsASignalOfEach()
    {
        await using var server = await AlertIntakeServer.StartAsync();

        await server.PostOkAsync(AlertFixtures.Firing);

        var values = await server.Source.ReadAsync(
            [
                new SignalRequest(AlertIntakeServer.Checkout, Signal),
                new SignalRequest(AlertIntakeServer.Prod, Signal),
                new SignalRequest(AlertIntakeServer.Cart, Signal),
                new SignalRequest(AlertIntakeServer.Checkout, "alert:OtherAlert"),
            ],
            CancellationToken.None);
        values.ShouldBe([SignalValue.Of(1), SignalValue.Of(1), SignalValue.NoData, SignalValue.NoData]);
    }

    [Fact]
    public async Task Signal_AfterARestartOnTheSameSqliteFile_IsLoadedFromTheStore()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "watchdog.db");
        await using (var store = await OpenSqliteAsync(path))
        await using (var first = await AlertIntakeServer.StartAsync(store))
        {
            await first.PostOkAsync(AlertFixtures.Firing);
            await first.PostOkAsync(AlertFixtures.FiringFor("cart", "0000000000000c01").Replace("\"rollback\": \"true\"", "\"namespace\": \"shop\"", StringComparison.Ordinal));
            await first.PostOkAsync(AlertFixtures.Resolved);
        }

        await using var reopened = await OpenSqliteAsync(path);
        await using var second = await AlertIntakeServer.StartAsync(reopened);
        var values = await second.Source.ReadAsync(
            [new SignalRequest(AlertIntakeServer.Checkout, Signal), new SignalRequest(AlertIntakeServer.Cart, Signal), new SignalRequest(AlertIntakeServer.Prod, Signal)],
            CancellationToken.None);

        values.ShouldBe([SignalValue.Of(0), SignalValue.Of(1), SignalValue.Of(0)]);
    }

    [Fact]
    public async Task Signal_WhenTheStoreCannotBeReadAtFirst_IsAnErrorValueAndLoadsOnTheNextRead()
    {
        var store = new UnreadableStore(new InMemoryWatchdogStore());
        await using var server = await AlertIntakeServer.StartAsync(store);
        await server.PostOkAsync(AlertFixtures.Firing);

        store.Unreadable = true;
        var outage = await server.SignalAsync(AlertIntakeServer.Checkout, Signal);
        store.Unreadable = false;
        var recovered = await server.SignalAsync(AlertIntakeServer.Checkout, Signal);

        outage.State.ShouldBe(SignalState.Error);
        outage.ErrorMessage.ShouldBe("alert state could not be loaded from the store: the store cannot be read (UnreadableStore)");
        recovered.ShouldBe(SignalValue.Of(1));
    }

    [Fact]
    public async Task Provides_AlertSignalsOfTargetsWithMatchersOnly()
    {
        await using var server = await AlertIntakeServer.StartAsync();

        server.Source.Name.ShouldBe("alertmanager");
        server.Source.Provides(AlertIntakeServer.Checkout, Signal).ShouldBeTrue();
        server.Source.Provides(AlertIntakeServer.Checkout, "error_rate").ShouldBeFalse();
        server.Source.Provides(AlertIntakeServer.Silent, Signal).ShouldBeFalse();
    }

    [Fact]
    public async Task List_ShowsReceivedAlertsNewestFirstWithTheirTargets()
    {
        await using var server = await AlertIntakeServer.StartAsync();
        await server.PostOkAsync(AlertFixtures.Firing);
        server.Time.Advance(TimeSpan.FromSeconds(2));
        await server.PostOkAsync(AlertFixtures.Resolved);

        var all = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri("/api/v1/alerts", UriKind.Relative))).RootElement;
        var newest = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri("/api/v1/alerts?limit=1", UriKind.Relative))).RootElement;

        all.GetArrayLength().ShouldBe(2);
        all[0].GetProperty("status").GetString().ShouldBe("resolved");
        all[0].GetProperty("endsAt").GetDateTimeOffset().ShouldBe(AlertFixtures.ResolvedEndsAt);
        all[1].GetProperty("status").GetString().ShouldBe("firing");
        all[1].GetProperty("endsAt").ValueKind.ShouldBe(JsonValueKind.Null);
        all[1].GetProperty("alertName").GetString().ShouldBe("HighErrorRatio");
        all[1].GetProperty("targets").EnumerateArray().Select(t => t.GetString()).ShouldBe(["checkout", "prod"]);
        all[1].GetProperty("alert").GetProperty("labels").GetProperty("severity").GetString().ShouldBe("critical");
        newest.GetArrayLength().ShouldBe(1);
        newest[0].GetProperty("status").GetString().ShouldBe("resolved");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("ten")]
    public async Task List_WithABadLimit_Is400(string limit)
    {
        await using var server = await AlertIntakeServer.StartAsync();

        using var response = await server.Http.GetAsync(new Uri($"/api/v1/alerts?limit={limit}", UriKind.Relative));

        ((int)response.StatusCode).ShouldBe(400);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()
            .ShouldBe($"limit: expected a whole number from 1 to 1000, got '{limit}'");
    }

    [Fact]
    public async Task List_WithoutTheCredentialsTheIntakeNeeds_Is401()
    {
        await using var server = await AlertIntakeServer.StartAsync(intake: new AlertmanagerIntakeOptions { BearerToken = "s3cret-token" });

        using var response = await server.Http.GetAsync(new Uri("/api/v1/alerts", UriKind.Relative));

        ((int)response.StatusCode).ShouldBe(401);
    }

    private static async Task<IWatchdogStore> OpenSqliteAsync(string path)
    {
        var store = WatchdogStoreFactory.OpenSqlite(path);
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }
}
