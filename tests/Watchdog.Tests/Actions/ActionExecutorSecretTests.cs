using Watchdog.Actions;
using Watchdog.Configuration;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Tests.Fakes;

namespace Watchdog.Tests.Actions;

/// <summary>A step's secrets are journalled as <c>***</c>; the action gets them from the configuration, or does not run.</summary>
public sealed class ActionExecutorSecretTests
{
    private const string ApiKey = "k3y-of-the-ci-9d1";
    private const string Url = "https://ci.internal/hooks/restore?token=t0k-77";

    private readonly ExecutorScenario _s = new();
    private readonly RecordingAction _hook = new("webhook", behaviour: (_, _) => Task.FromResult(ActionResult.Success("posted")));

    public ActionExecutorSecretTests() =>
        _s.Target = _s.Target with
        {
            Plans = new Dictionary<DecisionAction, IReadOnlyList<PlanStepOptions>>
            {
                [DecisionAction.Rollback] = [Step()],
            },
        };

    [Fact]
    public async Task SecretStepParameters_AreJournalledAsStars_AndTheActionGetsTheRealValues()
    {
        var executor = _s.Executor(_hook);
        var incident = await _s.OpenIncidentAsync();

        var run = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);
        await executor.ExecuteRunAsync(run!.Id, CancellationToken.None);

        var call = _hook.Calls.ShouldHaveSingleItem();
        call.Parameters["api_key"].ShouldBe(ApiKey);
        call.Parameters["url"].ShouldBe(Url);
        var step = (await _s.Store.GetStepsAsync(run.Id, CancellationToken.None)).ShouldHaveSingleItem();
        step.Status.ShouldBe(StepStatus.Succeeded);
        step.Parameters["api_key"].ShouldBe("***");
        step.Parameters["url"].ShouldBe("https://ci.internal/hooks/restore?token=***");
        step.Parameters["job"].ShouldBe("restore");
        var timeline = await _s.Store.GetTimelineAsync(incident.Id, CancellationToken.None);
        timeline.ShouldAllBe(e => e.Detail == null || (!e.Detail.Contains(ApiKey) && !e.Detail.Contains("t0k-77")));
    }

    [Fact]
    public async Task SecretGoneFromTheConfigurationBeforeTheRun_FailsTheStepWithoutRunningIt()
    {
        var executor = _s.Executor(_hook);
        var incident = await _s.OpenIncidentAsync();
        var run = await executor.ProposeAsync(incident, _s.Target, _s.Decide(), CancellationToken.None);

        // As after a restart on an edited file: the stored step still has its stars, the configuration no key.
        var edited = Step();
        _s.Target = _s.Target with
        {
            Plans = new Dictionary<DecisionAction, IReadOnlyList<PlanStepOptions>>
            {
                [DecisionAction.Rollback] = [edited with { Parameters = edited.Parameters.Where(p => p.Key != "api_key").ToDictionary() }],
            },
        };
        executor = _s.Executor(_hook);
        await executor.ExecuteRunAsync(run!.Id, CancellationToken.None);

        _hook.Calls.ShouldBeEmpty();
        var stored = await _s.Store.GetRunAsync(run.Id, CancellationToken.None);
        stored!.Status.ShouldBe(ActionRunStatus.Failed);
        stored.Reason.ShouldNotBeNull().ShouldContain("the configuration no longer holds the secret parameter(s) api_key");
    }

    private static PlanStepOptions Step() => new()
    {
        Action = "webhook",
        Parameters = new Dictionary<string, string>(StringComparer.Ordinal) { ["url"] = Url, ["api_key"] = ApiKey, ["job"] = "restore" },
    };
}
