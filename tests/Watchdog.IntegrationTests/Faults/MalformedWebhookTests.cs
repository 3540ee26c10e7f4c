using System.Text.Json;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// Webhook calls that are not what Alertmanager sends: no credentials, not JSON, another payload version, an alert
/// missing its fingerprint, a label that is no text (a lone surrogate), a body over the limit. Each gets a clear 4xx
/// (which Alertmanager does not retry), nothing of the call is stored, not even its good alerts, and the next good call
/// is stored as usual.
/// </summary>
[Trait("Suite", "Faults")]
public sealed class MalformedWebhookTests(IntakeDaemon daemon) : IClassFixture<IntakeDaemon>
{
    private DaemonApi Api => daemon.Api;

    [Fact]
    public Task WebhookWithoutCredentials_Answers401_AndStoresNothing() =>
        AssertRefusedAsync(Webhook("unauthenticated-1"), token: null, 401, "missing or wrong credentials");

    [Fact]
    public Task WebhookWithTheWrongToken_Answers401_AndStoresNothing() =>
        AssertRefusedAsync(Webhook("unauthenticated-2"), token: "guessed-token", 401, "missing or wrong credentials");

    [Fact]
    public Task WebhookBodyIsNotJson_Answers400WithTheParserMessage_AndStoresNothing() =>
        AssertRefusedAsync("""{"version":"4","alerts":[{"fingerprint":"cut-off-1",""", IntakeDaemon.Token, 400, "malformed JSON: ");

    [Fact]
    public Task WebhookOfAnotherPayloadVersion_Answers400SayingSo_AndStoresNothing() =>
        AssertRefusedAsync(Webhook("version-3").Replace("\"version\":\"4\"", "\"version\":\"3\"", StringComparison.Ordinal), IntakeDaemon.Token, 400,
            "version: unsupported webhook version \"3\"; Watchdog reads Alertmanager webhook payloads of version \"4\"");

    [Fact]
    public Task WebhookWithOneAlertMissingItsFingerprint_Answers400NamingIt_AndStoresNoneOfTheCallsAlerts() =>
        AssertRefusedAsync(Webhook("good-neighbour", "\"fingerprint\":\"\""), IntakeDaemon.Token, 400, "alerts[1].fingerprint: expected a non-empty string");

    [Fact]
    public Task AlertLabelWithALoneSurrogate_Answers400WithTheParserMessage_AndStoresNothing() =>
        // The JSON escape of half a surrogate pair is well-formed JSON but no text: System.Text.Json throws reading it.
        AssertRefusedAsync(
            Webhook("lone-surrogate").Replace("\"alertname\":\"CheckoutSlow\",", "\"alertname\":\"CheckoutSlow\",\"note\":\"half \\ud800 a pair\",", StringComparison.Ordinal),
            IntakeDaemon.Token, 400, "alerts[1].labels.note: malformed JSON string: ");

    [Fact]
    public Task WebhookBodyOverTheLimit_Answers413_AndStoresNothing() =>
        AssertRefusedAsync(Webhook("oversized", padding: new string('x', IntakeDaemon.MaxBodyBytes)), IntakeDaemon.Token, 413,
            $"the body is larger than {IntakeDaemon.MaxBodyBytes} bytes");

    private async Task AssertRefusedAsync(string body, string? token, int status, string message)
    {
        var before = await daemon.StoredFingerprintsAsync();

        var (answered, text) = await Api.PostAsync("api/v1/alerts", body, token);

        answered.ShouldBe(status, text);
        using (var error = JsonDocument.Parse(text))
        {
            error.RootElement.GetProperty("error").GetString().ShouldNotBeNull().ShouldContain(message, Case.Sensitive);
        }

        var good = $"after-{Guid.NewGuid():N}";
        var (accepted, receipt) = await Api.PostAsync("api/v1/alerts", Webhook(good), IntakeDaemon.Token);
        accepted.ShouldBe(200, receipt);
        var after = await daemon.StoredFingerprintsAsync();
        after.Except(before).Order(StringComparer.Ordinal).ToArray().ShouldBe([good + "-a", good + "-b"], "only the good call's alerts were stored");
    }

    /// <summary>A version 4 notification of two alerts, fingerprints <c>NAME-a</c> and <c>NAME-b</c>; the second may be spoilt.</summary>
    private static string Webhook(string name, string? secondFingerprint = null, string padding = "") => $$$"""
        {"receiver":"watchdog","status":"firing","version":"4","groupKey":"{}:{}","truncatedAlerts":0,"externalURL":"http://127.0.0.1:9093",
         "groupLabels":{},"commonLabels":{},"commonAnnotations":{"padding":"{{{padding}}}"},
         "alerts":[
          {"status":"firing","labels":{"alertname":"CheckoutDown","service":"checkout"},"annotations":{},"startsAt":"2026-01-01T00:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://127.0.0.1/","fingerprint":"{{{name}}}-a"},
          {"status":"firing","labels":{"alertname":"CheckoutSlow","service":"checkout"},"annotations":{},"startsAt":"2026-01-01T00:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://127.0.0.1/",{{{secondFingerprint ?? $"\"fingerprint\":\"{name}-b\""}}}}]}
        """;
}
