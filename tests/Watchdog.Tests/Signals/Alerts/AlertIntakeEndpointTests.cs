using System.Net;
using System.Text;
using System.Text.Json;
using Watchdog.Configuration;
using Watchdog.Rules;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Signals.Alerts;

public sealed class AlertIntakeEndpointTests
{
    [Fact]
    public async Task Post_CapturedFiringPayload_IsStoredWithItsTargetsBeforeThe200()
    {
        await using var server = await AlertIntakeServer.StartAsync();

        var receipt = await server.PostOkAsync(AlertFixtures.Firing);

        receipt.GetRawText().ShouldBe("""{"received":1,"stored":1,"duplicates":0,"unmatched":0}""");
        var stored = (await server.Store.ListAlertsAsync(10, CancellationToken.None)).ShouldHaveSingleItem();
        stored.Fingerprint.ShouldBe(AlertFixtures.Fingerprint);
        stored.Status.ShouldBe("firing");
        stored.AlertName.ShouldBe("HighErrorRatio");
        stored.StartsAt.ShouldBe(AlertFixtures.StartsAt);
        stored.EndsAt.ShouldBeNull("Go's zero time means no end");
        stored.ReceivedAt.ShouldBe(server.Time.GetUtcNow());
        stored.Target.ShouldBe("checkout,prod");
        JsonDocument.Parse(stored.Payload).RootElement.GetProperty("annotations").GetProperty("summary").GetString().ShouldBe("5xx ratio 7.906% on checkout");
    }

    [Fact]
    public async Task Post_CapturedResolvedPayload_IsStoredWithItsEnd()
    {
        await using var server = await AlertIntakeServer.StartAsync();

        var receipt = await server.PostOkAsync(AlertFixtures.Resolved);

        receipt.GetProperty("stored").GetInt32().ShouldBe(1);
        var stored = (await server.Store.ListAlertsAsync(10, CancellationToken.None)).ShouldHaveSingleItem();
        stored.Status.ShouldBe("resolved");
        stored.StartsAt.ShouldBe(AlertFixtures.StartsAt);
        stored.EndsAt.ShouldBe(AlertFixtures.ResolvedEndsAt);
    }

    [Fact]
    public async Task Post_CapturedRawBodyWithItsTrailingNewline_IsStored()
    {
        await using var server = await AlertIntakeServer.StartAsync();
        AlertFixtures.FiringRaw.ShouldEndWith("}\n");

        var receipt = await server.PostOkAsync(AlertFixtures.FiringRaw);

        receipt.GetProperty("stored").GetInt32().ShouldBe(1);
        (await server.Store.ListAlertsAsync(10, CancellationToken.None)).ShouldHaveSingleItem().Fingerprint.ShouldBe(AlertFixtures.Fingerprint);
    }

    [Fact]
    public async Task Post_SameNotificationTwice_IsADuplicateTheSecondTime_AndOnlyRenewsItsLastSeenTime()
    {
        await using var server = await AlertIntakeServer.StartAsync();
        await server.PostOkAsync(AlertFixtures.Firing);
        var before = await server.Store.ListAlertsAsync(10, CancellationToken.None);

        server.Time.Advance(TimeSpan.FromMinutes(1));
        var repeat = await server.PostOkAsync(AlertFixtures.Firing.Replace("7.906%", "8.1%", StringComparison.Ordinal));

        repeat.GetRawText().ShouldBe("""{"received":1,"stored":0,"duplicates":1,"unmatched":0}""");
        (await server.Store.ListAlertsAsync(10, CancellationToken.None)).ShouldBe([before[0] with { LastSeenAt = server.Time.GetUtcNow() }]);
    }

    [Fact]
    public async Task Post_MalformedJson_Is400WithTheParseErrorAndStoresNothing()
    {
        await using var server = await AlertIntakeServer.StartAsync();

        var (response, body) = await server.PostAsync(AlertFixtures.Firing[..200]);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error").GetString();
        error.ShouldStartWith("malformed JSON: ");
        error.ShouldContain("LineNumber: ");
        (await server.Store.ListAlertsAsync(10, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Post_Version3Payload_Is400NamingTheVersionAndStoresNothing()
    {
        await using var server = await AlertIntakeServer.StartAsync();

        var (response, body) = await server.PostAsync(AlertFixtures.Firing.Replace("\"version\": \"4\"", "\"version\": \"3\"", StringComparison.Ordinal));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()
            .ShouldBe("version: unsupported webhook version \"3\"; Watchdog reads Alertmanager webhook payloads of version \"4\"");
        (await server.Store.ListAlertsAsync(10, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Post_InvalidAlertAmongValidOnes_Is400NamingItAndStoresNoneOfThem()
    {
        await using var server = await AlertIntakeServer.StartAsync();
        using var fixture = JsonDocument.Parse(AlertFixtures.Firing);
        var alert = fixture.RootElement.GetProperty("alerts")[0].GetRawText();
        var broken = alert.Replace("\"2026-11-22T05:25:21.836Z\"", "\"yesterday\"", StringComparison.Ordinal);
        var payload = $$"""{"version":"4","status":"firing","alerts":[{{alert}},{{broken}}]}""";

        var (response, body) = await server.PostAsync(payload);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        JsonDocument.Parse(body).RootElement.GetProperty("error").GetString().ShouldBe("alerts[1].startsAt: expected an RFC 3339 time");
        (await server.Store.ListAlertsAsync(10, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Post_BodyLargerThanTheLimit_Is413AndStoresNothing()
    {
        await using var server = await AlertIntakeServer.StartAsync(intake: new AlertmanagerIntakeOptions { MaxBodyBytes = 512 });
        Encoding.UTF8.GetByteCount(AlertFixtures.Firing).ShouldBeGreaterThan(512);

        var (response, body) = await server.PostAsync(AlertFixtures.Firing);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        JsonDocument.Parse(body).RootElement.GetProperty("error").GetString().ShouldBe("the body is larger than 512 bytes (sources.alertmanager.max_body_bytes)");
        (await server.Store.ListAlertsAsync(10, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Post_ChunkedBodyWithoutLengthGrowingPastTheLimit_Is413WhileReading()
    {
        await using var server = await AlertIntakeServer.StartAsync(intake: new AlertmanagerIntakeOptions { MaxBodyBytes = 64 * 1024 });
        var padding = new string(' ', 200 * 1024);
        using var content = new ChunkedContent(Encoding.UTF8.GetBytes(AlertFixtures.Firing.Insert(1, padding)));
        content.Headers.ContentType = new("application/json");

        var (response, _) = await server.SendAsync(content);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await server.Store.ListAlertsAsync(10, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Post_BodyExactlyAtTheLimit_IsAccepted()
    {
        var size = Encoding.UTF8.GetByteCount(AlertFixtures.Firing);
        await using var server = await AlertIntakeServer.StartAsync(intake: new AlertmanagerIntakeOptions { MaxBodyBytes = size });

        var receipt = await server.PostOkAsync(AlertFixtures.Firing);

        receipt.GetProperty("stored").GetInt32().ShouldBe(1);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token")]
    [InlineData("Bearer ")]
    [InlineData("Basic YWxlcnRtYW5hZ2VyOnMzY3JldC10b2tlbg==")]
    [InlineData("s3cret-token")]
    public async Task Post_WithoutTheBearerToken_Is401WithABearerChallengeAndStoresNothing(string? authorization)
    {
        await using var server = await AlertIntakeServer.StartAsync(intake: new AlertmanagerIntakeOptions { BearerToken = "s3cret-token" });

        var (response, body) = await server.PostAsync(AlertFixtures.Firing, authorization);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer realm=\"watchdog\"");
        body.ShouldNotContain("s3cret");
        (await server.Store.ListAlertsAsync(10, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Post_WithTheBearerToken_IsStored()
    {
        await using var server = await AlertIntakeServer.StartAsync(intake: new AlertmanagerIntakeOptions { BearerToken = "s3cret-token" });

        var receipt = await server.PostOkAsync(AlertFixtures.Firing, "Bearer s3cret-token");

        receipt.GetProperty("stored").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Post_WithBasicAuth_AcceptsOnlyTheRightUserAndPassword()
    {
        await using var server = await AlertIntakeServer.StartAsync(
            intake: new AlertmanagerIntakeOptions { BasicUsername = "alertmanager", BasicPassword = "p@ss:word" });

        var (wrongPassword, _) = await server.PostAsync(AlertFixtures.Firing, AlertIntakeServer.Basic("alertmanager", "p@ss:wrong"));
        var (wrongUser, _) = await server.PostAsync(AlertFixtures.Firing, AlertIntakeServer.Basic("someone", "p@ss:word"));
        var (notBase64, _) = await server.PostAsync(AlertFixtures.Firing, "Basic %%%");
        var receipt = await server.PostOkAsync(AlertFixtures.Firing, AlertIntakeServer.Basic("alertmanager", "p@ss:word"));

        wrongPassword.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        wrongPassword.Headers.WwwAuthenticate.ToString().ShouldBe("Basic realm=\"watchdog\", charset=\"UTF-8\"");
        wrongUser.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        notBase64.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        receipt.GetProperty("stored").GetInt32().ShouldBe(1);
        (await server.Store.ListAlertsAsync(10, CancellationToken.None)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Post_WhenTheStoreFailsMidway_Is503AndNothingOfTheNotificationIsStored()
    {
        var store = new FailingAlertStore(new InMemoryWatchdogStore()) { FailAlertInserts = true };
        await using var server = await AlertIntakeServer.StartAsync(store);
        var twoAlerts = TwoAlerts();

        var (response, body) = await server.PostAsync(twoAlerts);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        JsonDocument.Parse(body).RootElement.GetProperty("error").GetString().ShouldBe("the alerts could not be stored; nothing was kept, send them again");
        store.Failures.ShouldBe(1);
        (await store.ListAlertsAsync(10, CancellationToken.None)).ShouldBeEmpty();
        (await server.SignalAsync(AlertIntakeServer.Checkout, "alert:HighErrorRatio")).ShouldBe(SignalValue.NoData);

        store.FailAlertInserts = false;
        var retry = await server.PostOkAsync(twoAlerts);

        retry.GetRawText().ShouldBe("""{"received":2,"stored":2,"duplicates":0,"unmatched":0}""");
        (await server.SignalAsync(AlertIntakeServer.Checkout, "alert:HighErrorRatio")).ShouldBe(SignalValue.Of(1));
    }

    [Fact]
    public async Task Post_AlertMatchingNoTarget_IsStoredWithoutTargetAndCountedUnmatched()
    {
        await using var server = await AlertIntakeServer.StartAsync();
        var unknown = AlertFixtures.Firing
            .Replace("\"service\": \"checkout\"", "\"service\": \"search\"", StringComparison.Ordinal)
            .Replace("\"rollback\": \"true\"", "\"rollback\": \"false\"", StringComparison.Ordinal);

        var receipt = await server.PostOkAsync(unknown);

        receipt.GetRawText().ShouldBe("""{"received":1,"stored":1,"duplicates":0,"unmatched":1}""");
        (await server.Store.ListAlertsAsync(10, CancellationToken.None)).ShouldHaveSingleItem().Target.ShouldBeNull();
        (await server.SignalAsync(AlertIntakeServer.Checkout, "alert:HighErrorRatio")).ShouldBe(SignalValue.NoData);
        (await server.SignalAsync(AlertIntakeServer.Prod, "alert:HighErrorRatio")).ShouldBe(SignalValue.NoData);
    }

    [Fact]
    public async Task Post_AlertMatchesOnlyTargetsWhoseEveryMatcherIsAmongItsLabels()
    {
        await using var server = await AlertIntakeServer.StartAsync();

        // Cart needs service=cart and namespace=shop; this alert has the first only.
        var receipt = await server.PostOkAsync(AlertFixtures.FiringFor("cart", "0000000000000c01"));

        receipt.GetProperty("unmatched").GetInt32().ShouldBe(0);
        (await server.Store.ListAlertsAsync(10, CancellationToken.None)).ShouldHaveSingleItem().Target.ShouldBe("prod");
        (await server.SignalAsync(AlertIntakeServer.Cart, "alert:HighErrorRatio")).ShouldBe(SignalValue.NoData);
        (await server.SignalAsync(AlertIntakeServer.Prod, "alert:HighErrorRatio")).ShouldBe(SignalValue.Of(1));
    }

    private static string TwoAlerts()
    {
        using var fixture = JsonDocument.Parse(AlertFixtures.Firing);
        var alert = fixture.RootElement.GetProperty("alerts")[0].GetRawText();
        var other = alert.Replace(AlertFixtures.Fingerprint, "1111111111111111", StringComparison.Ordinal);
        return $$"""{"version":"4","status":"firing","receiver":"daemon","alerts":[{{alert}},{{other}}]}""";
    }
}
