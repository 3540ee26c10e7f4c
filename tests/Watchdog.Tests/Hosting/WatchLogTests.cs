using Watchdog.Hosting;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Hosting;

/// <summary>The watch loop's log lines read as words: counts with their noun, durations as 1s, decisions without empty fields.</summary>
public sealed class WatchLogTests
{
    private readonly RecordingLogger<WatchLoop> _log = new();

    [Theory]
    [InlineData(1, 1, "Watching 1 target, checking every 1s")]
    [InlineData(3, 15, "Watching 3 targets, checking every 15s")]
    [InlineData(2, 90, "Watching 2 targets, checking every 1m30s")]
    public void Watching_SaysHowManyTargetsInWords_AndTheIntervalAsAHumanDuration(int targets, int seconds, string expected)
    {
        WatchLog.Watching(_log, targets, TimeSpan.FromSeconds(seconds));

        var entry = _log.Entries.ShouldHaveSingleItem();
        entry.Message.ShouldBe(expected);
        entry.Fields["TargetCount"].ShouldBe(targets);
    }

    [Theory]
    [InlineData("none", "automatic", "none", true, "decision: none (inconclusive): error_rate unknown")]
    [InlineData("none", "automatic", "none", false, "decision: none: error_rate unknown")]
    [InlineData("rollback", "automatic", "error-rate-critical", false, "decision: rollback (automatic), rule error-rate-critical: error_rate unknown")]
    [InlineData("investigate", "on-call", "slow", true, "decision: investigate (on-call), rule slow, inconclusive: error_rate unknown")]
    public void DecisionChanged_NamesTheDecisionInPlainWords(string action, string authority, string rule, bool inconclusive, string expected)
    {
        WatchLog.DecisionChanged(_log, "checkout", "runbook-matrix", action, authority, rule, inconclusive, "error_rate unknown");

        var entry = _log.Entries.ShouldHaveSingleItem();
        entry.Message.ShouldBe($"Target checkout (policy runbook-matrix) {expected}");
        entry.Fields["Target"].ShouldBe("checkout");
        entry.Fields["Action"].ShouldBe(action);
    }
}
