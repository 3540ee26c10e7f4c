using Microsoft.Extensions.Logging.Abstractions;
using Watchdog.Configuration;
using Watchdog.Incidents.Approvals;
using Watchdog.Rules;

namespace Watchdog.Tests.Incidents.Approvals;

public sealed class ApprovalEscalationLoopTests
{
    [Fact]
    public async Task Loop_TicksAtOnceAndThenAsTheClockMoves()
    {
        var scenario = new ApprovalScenario();
        var approval = await scenario.RequestAsync(Authority.OnCall);
        scenario.Time.Advance(TimeSpan.FromMinutes(15));
        var tokens = ApiTokenAuthenticator.Create(Array.Empty<ApiTokenOptions>());
        using var loop = new ApprovalEscalationLoop(scenario.Service(), tokens, scenario.Time, NullLogger<ApprovalEscalationLoop>.Instance);

        await loop.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(async () => (await scenario.StoredAsync(approval.Id)).EscalationLevel == 1, "the first tick escalated at once");

        // Moved a minute at a time, so it does not matter exactly when the loop armed its timer.
        await Eventually.HoldsAsync(
            async () =>
            {
                scenario.Time.Advance(TimeSpan.FromMinutes(1));
                return (await scenario.StoredAsync(approval.Id)).EscalationLevel == 2;
            },
            "a later tick escalated to the top level");
        await loop.StopAsync(CancellationToken.None);

        scenario.Outbox.Calls.Count.ShouldBe(3);
    }
}
