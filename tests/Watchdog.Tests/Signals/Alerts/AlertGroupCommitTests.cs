using Watchdog.Rules;
using Watchdog.Signals.Alerts;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Signals.Alerts;

/// <summary>
/// Group commit: webhook calls that wait while another is being written are written together in one transaction, each
/// answered only after that commit, and a group whose transaction fails fails every call in it.
/// </summary>
public sealed class AlertGroupCommitTests
{
    [Fact]
    public async Task Ingest_CallsQueuedBehindAWriter_AreWrittenInOneTransaction_AndDuplicatesAreStillFound()
    {
        using var gate = new SemaphoreSlim(0);
        var store = new FailingAlertStore(new InMemoryWatchdogStore()) { AlertGate = gate };
        await using var server = await AlertIntakeServer.StartAsync(store);
        var intake = server.Service<AlertIntake>();

        var first = intake.IngestAsync([Alert("fp-0")], CancellationToken.None);
        var queued = new[] { "fp-1", "fp-2", "fp-3", "fp-1", "fp-4" }
            .Select(fingerprint => intake.IngestAsync([Alert(fingerprint)], CancellationToken.None))
            .ToList();
        gate.Release(6); // enough for a transaction per call, so that a broken grouping fails here rather than hangs
        var receipts = await Task.WhenAll(queued.Prepend(first));

        store.AlertTransactions.ShouldBe(2, "the first call alone, then the five that queued behind it in one transaction");
        receipts.Select(r => (r.Stored, r.Duplicates)).ShouldBe([(1, 0), (1, 0), (1, 0), (1, 0), (0, 1), (1, 0)]);
        (await store.ListAlertsAsync(10, CancellationToken.None)).Select(a => a.Fingerprint).Order(StringComparer.Ordinal)
            .ShouldBe(["fp-0", "fp-1", "fp-2", "fp-3", "fp-4"]);
    }

    [Fact]
    public async Task Ingest_TheGroupsTransactionFails_FailsEveryCallInIt_AndStoresNothingOfIt()
    {
        using var gate = new SemaphoreSlim(0);
        var store = new FailingAlertStore(new InMemoryWatchdogStore()) { AlertGate = gate };
        await using var server = await AlertIntakeServer.StartAsync(store);
        var intake = server.Service<AlertIntake>();
        var first = intake.IngestAsync([Alert("fp-0")], CancellationToken.None);
        var queued = new[] { "fp-1", "fp-2", "fp-3" }
            .Select(fingerprint => intake.IngestAsync([Alert(fingerprint)], CancellationToken.None))
            .ToList();

        gate.Release();
        var written = await first;
        store.FailAlertInserts = true;
        gate.Release(queued.Count);

        written.Stored.ShouldBe(1);
        foreach (var call in queued)
        {
            await Should.ThrowAsync<InvalidOperationException>(call);
        }

        store.AlertTransactions.ShouldBe(2);
        store.Failures.ShouldBe(1, "the group's one transaction failed at its second alert");
        (await store.ListAlertsAsync(10, CancellationToken.None)).ShouldHaveSingleItem().Fingerprint.ShouldBe("fp-0");
        (await server.SignalAsync(AlertIntakeServer.Checkout, "alert:HighErrorRatio")).ShouldBe(SignalValue.Of(1), "fp-0 only");

        store.FailAlertInserts = false;
        gate.Release();
        (await intake.IngestAsync([Alert("fp-1")], CancellationToken.None)).Stored.ShouldBe(1, "the failed group left the writer free");
    }

    private static WebhookAlert Alert(string fingerprint) => new(
        fingerprint,
        WebhookAlert.Firing,
        "HighErrorRatio",
        new Dictionary<string, string>(StringComparer.Ordinal) { ["alertname"] = "HighErrorRatio", ["service"] = "checkout" },
        AlertFixtures.StartsAt,
        null,
        $$"""{"fingerprint":"{{fingerprint}}"}""");
}
