namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// Text from outside (here an alert's name and fingerprint, which the intake logs) reaches the text console log
/// with its control characters escaped: an ESC cannot drive the operator's terminal, a NUL or a CR cannot hide what
/// came before it, and a newline cannot start a log line of its own.
/// </summary>
[Trait("Suite", "Faults")]
public sealed class TextLogTests(IntakeDaemon daemon) : IClassFixture<IntakeDaemon>
{
    [Fact]
    public async Task AlertLabelsWithEscNulCr_AreEscapedInTheTextLog()
    {
        var id = $"ctl-{Guid.NewGuid():N}";

        // JSON escapes, so the body itself is plain text; the parser turns them into the raw characters.
        var body = $$$"""
            {"receiver":"watchdog","status":"firing","version":"4","groupKey":"{}:{}","truncatedAlerts":0,"externalURL":"http://127.0.0.1:9093",
             "groupLabels":{},"commonLabels":{},"commonAnnotations":{},
             "alerts":[{"status":"firing","labels":{"alertname":"Esc\u001b[2J\u001b]0;owned\u0007Nul\u0000Cr\rEnd","service":"checkout"},"annotations":{},
               "startsAt":"2026-01-01T00:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://127.0.0.1/","fingerprint":"{{{id}}}\nfake: a line of its own"}]}
            """;

        var (status, receipt) = await daemon.Api.PostAsync("api/v1/alerts", body, IntakeDaemon.Token);
        status.ShouldBe(200, receipt);
        await daemon.Api.UntilAsync(() => Task.FromResult(daemon.Daemon.Log.Contains(id, StringComparison.Ordinal)), "the alert is logged");

        var log = daemon.Daemon.Log;
        var line = log.Split('\n').Single(l => l.Contains(id, StringComparison.Ordinal));
        line.ShouldContain(@"Alert Esc\u001b[2J\u001b]0;owned\u0007Nul\u0000Cr\rEnd firing for checkout", Case.Sensitive);
        line.ShouldContain($@"(fingerprint {id}\nfake: a line of its own)", Case.Sensitive);
        log.ShouldNotContain('\u001b', "no raw ESC anywhere in the log:\n" + log);
        log.ShouldNotContain('\0', "no raw NUL anywhere in the log:\n" + log);
        log.ShouldNotContain('\r', "no raw CR anywhere in the log:\n" + log);
        log.Split('\n').ShouldNotContain(l => l.StartsWith("fake:", StringComparison.Ordinal), "a value's newline starts no log line");
    }
}
