using Watchdog.Signals;

namespace Watchdog.Tests.Signals.Alerts;

/// <summary>The intake asks for the targets of each alert it takes to be evaluated now, not at their next interval.</summary>
public sealed class AlertEvaluationRequestTests
{
    [Fact]
    public async Task Intake_AFiringAlert_AsksForTheTargetsItMatches_AndItsRepeatAsksNothing()
    {
        await using var server = await AlertIntakeServer.StartAsync();
        var requests = server.Service<EvaluationRequests>();

        await server.PostOkAsync(AlertFixtures.Firing);
        var asked = requests.Take();
        var repeat = await server.PostOkAsync(AlertFixtures.Firing);

        asked.Order(StringComparer.Ordinal).ShouldBe(["checkout", "prod"]);
        repeat.GetProperty("duplicates").GetInt32().ShouldBe(1);
        requests.Take().ShouldBeEmpty("a repeat (Alertmanager's repeat_interval) changes no signal: its targets keep their schedule");
    }

    [Fact]
    public async Task Intake_TheAlertResolved_AsksAgain()
    {
        await using var server = await AlertIntakeServer.StartAsync();
        var requests = server.Service<EvaluationRequests>();
        await server.PostOkAsync(AlertFixtures.Firing);
        requests.Take();

        await server.PostOkAsync(AlertFixtures.Resolved);

        requests.Take().Order(StringComparer.Ordinal).ShouldBe(["checkout", "prod"]);
    }
}
