using Watchdog.Incidents;
using Watchdog.Incidents.Reports;
using Watchdog.Records;
using Watchdog.Rules;
using Watchdog.Tests.Fakes;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Incidents.Reports;

public sealed class IncidentReportMarkdownTests
{
    /// <summary>Also the README's sample: docs/sample-incident-report.md must stay exactly this.</summary>
    public const string ClosedRollbackReport = """
        # Rollback Incident Report

        **Incident:** #1 — checkout (production)

        **Date:** 2025-06-01T12:00:00Z

        **Duration:** 9m00s

        **Impact:** rule error-rate-critical fired (error_rate 12.5% > 10% for 30s); action rollback, authority on-call; checkout:v5-bad (revision 5) → checkout:v4 (revision 6, was 4)

        **Root Cause:** [TO BE DETERMINED]

        ## Timeline

        - T+0: Issue detected (error_rate 12.5% > 10% for 30s)
        - T+0: Decision (rollback by on-call: error-rate-critical)
        - T+5s: Approval requested (rollback needs on-call or above)
        - T+6s: Notification sent (approval request to ops-alerts)
        - T+1m50s: Approved (alice approved rollback)
        - T+2m05s: Rollback initiated (run #5, rollback, approved by alice)
        - T+2m05s: Step started (flag-reduce checkout-v2)
        - T+2m09s: Step succeeded (flag checkout-v2 50% → 0%)
        - T+2m09s: Step started (deployment-undo checkout)
        - T+3m30s: Step succeeded (deployment/checkout revision 5 → 4)
        - T+3m30s: Rollback completed (rollback succeeded, 2 steps)
        - T+3m31s: Notification sent (ROLLBACK COMPLETE to ops-alerts)
        - T+8m30s: Verified healthy (healthy for 5m after the last action)
        - T+8m30s: Incident closed (recovered)

        ## Durations

        - Breach → detected: 30s
        - Detected → action started: 2m05s
        - Action started → action done: 1m25s
        - Action done → recovered: 5m00s
        - Total: 9m00s

        ## Actions

        ### Run #5: rollback — succeeded

        - Authority: on-call
        - Approved by: alice
        - Rule: error-rate-critical
        - Started: 2025-06-01T12:02:05Z
        - Completed: 2025-06-01T12:03:30Z (took 1m25s)
        - Steps:
          1. flag-reduce (flag=checkout-v2, percent=0) — succeeded: `{"before":50,"after":0}`
          2. deployment-undo (deployment=checkout) — succeeded: `{"fromRevision":5,"toRevision":4}`

        ## Action Items

        - [ ] Root cause analysis
        - [ ] Fix forward plan
        - [ ] Process improvements

        """;

    [Fact]
    public async Task Render_ClosedRollbackIncident_IsTheRunbookTemplateFilledIn()
    {
        var report = await ClosedRollbackAsync();

        IncidentReportMarkdown.Render(report).ShouldBe(ClosedRollbackReport);
    }

    [Fact]
    public async Task Render_AnyIncident_HasEverySectionOfTheRunbookTemplateInItsOrder()
    {
        var markdown = IncidentReportMarkdown.Render(await ClosedRollbackAsync());

        string[] template =
        [
            "# Rollback Incident Report\n", "**Date:** ", "**Duration:** ", "**Impact:** ", "**Root Cause:** [TO BE DETERMINED]\n",
            "## Timeline\n", "- T+0: Issue detected", "## Action Items\n",
            "- [ ] Root cause analysis\n", "- [ ] Fix forward plan\n", "- [ ] Process improvements\n",
        ];
        var positions = template.Select(part => markdown.IndexOf(part, StringComparison.Ordinal)).ToList();
        positions.ShouldAllBe(p => p >= 0);
        positions.ShouldBeInOrder(SortDirection.Ascending);
    }

    [Fact]
    public async Task Render_OpenIncidentAwaitingApproval_SaysOngoingAndNotReached()
    {
        await using var store = new InMemoryWatchdogStore();
        var id = await IncidentScenario.SeedOpenAwaitingApprovalAsync(store, IncidentScenario.T0);
        var report = (await new IncidentReportBuilder(store).BuildAsync(id, default))!;

        IncidentReportMarkdown.Render(report).ShouldBe("""
            # Rollback Incident Report

            **Incident:** #1 — payments

            **Date:** 2025-06-01T12:00:00Z

            **Duration:** ongoing (open)

            **Impact:** rule latency-p99-high fired (latency_p99 2.4s > 1s for 2m); action rollback, authority team-lead

            **Root Cause:** [TO BE DETERMINED]

            ## Timeline

            - T+0: Issue detected (latency_p99 2.4s > 1s for 2m)
            - T+2s: Approval requested (rollback needs team-lead or above)
            - T+15m02s: Approval escalated (no answer after 15m; escalated to level 1)

            ## Durations

            - Breach → detected: n/a
            - Detected → action started: n/a
            - Action started → action done: n/a
            - Action done → recovered: n/a
            - Total: n/a

            ## Actions

            ### Run #3: rollback — awaiting-approval

            - Authority: team-lead
            - Approved by: pending (team-lead or above)
            - Rule: latency-p99-high
            - Steps: none

            ## Action Items

            - [ ] Root cause analysis
            - [ ] Fix forward plan
            - [ ] Process improvements

            """);
    }

    [Fact]
    public void Render_IncidentWithoutEvents_TakesTheTemplateAnchorsFromTheIncidentItself()
    {
        var incident = new Incident
        {
            Id = 9,
            Target = "search",
            Policy = "search-slo",
            Status = IncidentStatus.Closed,
            DetectedAt = IncidentScenario.T0,
            TriggerRule = "error-rate-critical",
            TriggerAction = DecisionAction.ScaleThenRollback,
            TriggerAuthority = Authority.Automatic,
            TriggerSummary = "error_rate 30%\nabove 10%",
            ActionStartedAt = IncidentScenario.T0.AddSeconds(45),
            ActionCompletedAt = IncidentScenario.T0.AddHours(1).AddMinutes(2).AddSeconds(5),
            ClosedAt = IncidentScenario.T0.AddHours(1).AddMinutes(10),
        };

        var markdown = IncidentReportMarkdown.Render(new IncidentReport(incident, [], [], [], []));

        markdown.ShouldContain("""
            ## Timeline

            - T+0: Issue detected (error-rate-critical: error_rate 30% above 10%)
            - T+45s: Rollback initiated (scale-then-rollback)
            - T+1h02m: Rollback completed

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        markdown.ShouldContain("- Action done → recovered: n/a\n- Total: 1h10m\n");
        markdown.ShouldContain("## Actions\n\nNo action was run.\n");
    }

    [Fact]
    public async Task SampleReportInDocs_IsTheGoldenReport()
    {
        var sample = await File.ReadAllTextAsync(RepositoryPaths.Of("docs", "sample-incident-report.md"));

        sample.ShouldBe(ClosedRollbackReport);
    }

    [Fact]
    public async Task StepStoredBeforeRedaction_ShowsItsSecretsAsStars()
    {
        var report = await ClosedRollbackAsync();
        var run = report.Runs[0];
        var step = run.Steps[0] with
        {
            Action = "webhook",
            Parameters = new Dictionary<string, string> { ["url"] = "https://ci.internal/hook?token=old-t0k", ["api_key"] = "old-k3y", ["job"] = "restore" },
        };

        var markdown = IncidentReportMarkdown.Render(report with { Runs = [run with { Steps = [step] }] });

        markdown.ShouldContain("webhook (api_key=***, job=restore, url=https://ci.internal/hook?token=***)");
        markdown.ShouldNotContain("old-t0k");
        markdown.ShouldNotContain("old-k3y");
    }

    private static async Task<IncidentReport> ClosedRollbackAsync()
    {
        await using var store = new InMemoryWatchdogStore();
        var id = await IncidentScenario.SeedClosedRollbackAsync(store);
        return (await new IncidentReportBuilder(store).BuildAsync(id, default))!;
    }
}
