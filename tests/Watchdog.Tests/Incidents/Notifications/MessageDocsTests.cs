using Watchdog.Incidents.Notifications;
using Watchdog.Records;
using Watchdog.Rules;

namespace Watchdog.Tests.Incidents.Notifications;

/// <summary>The message blocks in docs/incidents.md are the texts sent, composed the way the daemon composes them.</summary>
public sealed class MessageDocsTests
{
    private static readonly DateTimeOffset Started = new(2025, 6, 1, 12, 30, 5, TimeSpan.Zero);

    // As the undo steps leave it: what ran before, and what runs after the controller renumbered the restored template.
    private static readonly Incident Incident = new()
    {
        Target = "checkout", Policy = "runbook-matrix", Environment = "production", DetectedAt = Started,
        TriggerRule = "error-rate-critical", TriggerAction = DecisionAction.Rollback, TriggerAuthority = Authority.Automatic,
        TriggerSummary = "error_rate 0.12 > 0.10 for 30s",
    };

    private static readonly ActionRun Run = new()
    {
        Id = 2, IncidentId = 1, Target = "checkout", Action = DecisionAction.Rollback, Authority = Authority.Automatic,
        Rule = "error-rate-critical", Status = ActionRunStatus.Running, CreatedAt = Started,
    };

    private static async Task DocsShowAsync(NotificationMessage message)
    {
        var docs = await File.ReadAllTextAsync(RepositoryPaths.Of("docs", "incidents.md"));
        docs.ReplaceLineEndings("\n").ShouldContain($"```text\n{NotificationText.Render(message)}\n```\n");
    }

    [Fact]
    public Task InProgress_OfARerunWithEarlierRuns_IsTheDocsBlock() =>
        DocsShowAsync(RunMessages.InProgress(Incident with { BeforeState = "checkout:v2-bad (revision 3)" }, Run, Started, TimeSpan.FromSeconds(70)));

    [Fact]
    public Task Complete_WithTheRevisionTheUndoRenumbered_IsTheDocsBlock() =>
        DocsShowAsync(RunMessages.Complete(Incident with { BeforeState = "checkout:v2-bad (revision 3)", AfterState = "checkout:v1 (revision 4, was 1)" }));

    [Fact]
    public Task ApprovalRequested_WithItsAbsoluteLink_IsTheDocsBlock() =>
        DocsShowAsync(ApprovalMessages.Requested(
            new Approval
            {
                Id = 42, RunId = 7, IncidentId = 3, Target = "checkout", Action = DecisionAction.Rollback, Required = Authority.TeamLead,
                RequestedAt = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero),
            },
            "error-rate-high",
            "error_rate 0.12 > 0.10 for 30s",
            new ApprovalLinks("https://watchdog.example.com")));

    [Fact]
    public Task FlagReductionStep_IsTheDocsBlock() =>
        DocsShowAsync(RunMessages.StepProgress(Incident, "Reducing checkout-v2: 50 % → 25 % (step 1 of 4)", Started));

    [Fact]
    public Task FlagReductionPause_IsTheDocsBlock() =>
        DocsShowAsync(RunMessages.StepProgress(Incident, "error_rate <= 0.02 holds (error_rate 0.012): pausing rollback at 10 %", Started + TimeSpan.FromMinutes(4)));
}
