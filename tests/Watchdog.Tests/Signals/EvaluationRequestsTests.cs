using Watchdog.Signals;

namespace Watchdog.Tests.Signals;

public sealed class EvaluationRequestsTests
{
    [Fact]
    public async Task Request_WakesTheWaiter_AndTakeGivesTheTargets()
    {
        var requests = new EvaluationRequests();
        var waiting = requests.WaitAsync(CancellationToken.None);
        var before = waiting.IsCompleted;

        requests.Request(["checkout", "cart"]);
        await waiting;

        before.ShouldBeFalse("nothing was asked yet");
        requests.Take().Order(StringComparer.Ordinal).ShouldBe(["cart", "checkout"]);
    }

    [Fact]
    public void Take_AfterABurstForOneTarget_GivesItOnce_AndThenNothingUntilAskedAgain()
    {
        var requests = new EvaluationRequests();
        requests.Request(["checkout"]);
        requests.Request(["checkout"]);
        requests.Request(["checkout"]);

        var first = requests.Take();
        var second = requests.Take();
        requests.Request(["checkout"]);
        var third = requests.Take();

        first.ShouldBe(["checkout"]);
        second.ShouldBeEmpty();
        third.ShouldBe(["checkout"]);
    }

    [Fact]
    public async Task WaitAsync_AfterTheRequestsWereTaken_WaitsForTheNextRequest()
    {
        var requests = new EvaluationRequests();
        requests.Request(["checkout"]);
        requests.Take();

        var waiting = requests.WaitAsync(CancellationToken.None);
        var afterTake = waiting.IsCompleted;
        requests.Request(["checkout"]);

        afterTake.ShouldBeFalse("the wake-up went with the names it brought");
        // The channel completes the wait on another thread, so not necessarily before Request returns.
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
