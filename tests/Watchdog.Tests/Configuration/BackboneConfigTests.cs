using Watchdog.Configuration;
using Watchdog.Incidents.Notifications;

namespace Watchdog.Tests.Configuration;

/// <summary>The configuration of the executor's safety rails, approvals, reports and plan steps.</summary>
public sealed class BackboneConfigTests : IDisposable
{
    private const string Head = ConfigSamples.PrometheusAndMatrix;

    private readonly ConfigScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public void Load_RailsEscalationAndReports_AreBoundWithTargetOverrides()
    {
        var result = _scenario.Load(Head + """

            defaults:
              cooldown: 0s
              max_actions_per_hour: 5
              recovery_window: 2m
              verify_window: 3m
            approvals:
              escalation:
                - {after: 0s, notify: on-call}
                - {after: 10m, notify: [lead, manager]}
            reports:
              directory: reports
            targets:
              - name: checkout
                policy: runbook-matrix
                environment: staging
                cooldown: 15m
                verify_window: 30m
              - name: cart
                policy: runbook-matrix
            """);

        result.Errors.ShouldBeEmpty();
        var options = result.Options!;
        options.Targets[0].Environment.ShouldBe("staging");
        options.Targets[0].Cooldown.ShouldBe(TimeSpan.FromMinutes(15));
        options.Targets[1].Cooldown.ShouldBe(TimeSpan.Zero);
        options.Targets[1].MaxActionsPerHour.ShouldBe(5);
        options.Targets[1].RecoveryWindow.ShouldBe(TimeSpan.FromMinutes(2));
        options.Targets[0].VerifyWindow.ShouldBe(TimeSpan.FromMinutes(30));
        options.Targets[1].VerifyWindow.ShouldBe(TimeSpan.FromMinutes(3));
        options.Approvals.Escalation.Select(l => (l.After, string.Join("+", l.Notify))).ShouldBe([(TimeSpan.Zero, "on-call"), (TimeSpan.FromMinutes(10), "lead+manager")]);
        options.Reports.Directory.ShouldBe(Path.Combine(_scenario.Folder, "reports"));
    }

    [Fact]
    public void Load_ChannelsKeptForSomeNames_AreRead_AndANameNoLevelNotifiesIsAWarning()
    {
        var result = _scenario.Load(Head + """

            notifications:
              - {name: ops, kind: slack, url: "https://hooks.slack.com/services/T/B/X"}
              - {name: cto-pager, kind: webhook, url: "https://pager.example.com/cto", only_for: cto}
              - {name: leads, kind: webhook, url: "https://pager.example.com/leads", only_for: [senior-engineer, cfo]}
            targets: [{name: checkout, policy: runbook-matrix}]
            """);

        result.Errors.ShouldBeEmpty();
        result.Options!.Notifications.Select(n => string.Join("+", n.OnlyFor)).ShouldBe(["", "cto", "senior-engineer+cfo"]);
        result.Warnings.Select(w => w.ToString()).ShouldContain(w => w.EndsWith(
            "notifications[2].only_for: no approvals.escalation level notifies 'cfo': this channel receives nothing for it (levels notify: cto, engineering-manager, on-call, senior-engineer)", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_Delivery_IsBound_AndTheDispatchersLimitsAreErrorsAtTheirKeys()
    {
        var good = _scenario.Load(Head + """

            delivery: {max_attempts: 2, first_retry_delay: 500ms, attempt_timeout: 3s, redelivery_interval: 1m, max_rounds: 30}
            targets: [{name: checkout, policy: runbook-matrix}]
            """);

        good.Errors.ShouldBeEmpty();
        good.Options!.Delivery.ShouldBe(new NotificationDispatchOptions
        {
            MaxAttempts = 2, FirstRetryDelay = TimeSpan.FromMilliseconds(500), AttemptTimeout = TimeSpan.FromSeconds(3), RedeliveryInterval = TimeSpan.FromMinutes(1), MaxRounds = 30,
        });

        var bad = _scenario.Load(Head + """

            delivery: {attempt_timeout: 2h, max_rounds: 0, retries: 3}
            targets: [{name: checkout, policy: runbook-matrix}]
            """);

        bad.Errors.Select(e => e.ToString()).Where(e => e.Contains("delivery", StringComparison.Ordinal)).Count().ShouldBe(3);
        bad.Errors.Select(e => e.ToString()).ShouldContain(e => e.EndsWith("delivery.attempt_timeout: 02:00:00, must be between 10 ms and 1 hour", StringComparison.Ordinal));
        bad.Errors.Select(e => e.ToString()).ShouldContain(e => e.Contains("delivery.max_rounds:", StringComparison.Ordinal));
        bad.Errors.Select(e => e.ToString()).ShouldContain(e => e.Contains("delivery.retries: unknown key", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_NoApprovalsSection_UsesTheRunbookEscalation()
    {
        var result = _scenario.Load(Head + "\ntargets: [{name: checkout, policy: runbook-matrix}]\n");

        result.Options!.Approvals.Escalation.ShouldBe(ApprovalOptions.RunbookEscalation);
        result.Options.Targets[0].Cooldown.ShouldBe(TimeSpan.FromMinutes(10));
        result.Options.Targets[0].MaxActionsPerHour.ShouldBe(3);
        result.Options.Targets[0].RecoveryWindow.ShouldBe(TimeSpan.FromMinutes(5));
        result.Options.Targets[0].VerifyWindow.ShouldBe(TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void Load_BadRailsAndEscalationOrder_AreAllReported()
    {
        var result = _scenario.Load(Head + """

            defaults:
              max_actions_per_hour: none
              recovery_window: 0s
            approvals:
              escalation:
                - {after: 15m, notify: [lead]}
                - {after: 5m, notify: [cto]}
            targets: [{name: checkout, policy: runbook-matrix}]
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe(
        [
            _scenario.At(11, "defaults.max_actions_per_hour: 'none' is not a whole number from 1 to 1000"),
            _scenario.At(12, "defaults.recovery_window: must be greater than 0"),
            _scenario.At(16, "approvals.escalation[1].after: levels must come in rising order of 'after' (5m is not after 15m)"),
        ]);
    }

    [Fact]
    public void Load_AFlagStepsProvider_MustBeOneOfTheConfiguredFlagProviders()
    {
        var result = _scenario.Load(Head + """

            flags:
              - {name: unleash, kind: unleash, url: "http://unleash:4242", environment: production, token: "*:*.t"}
              - {name: flags-api, kind: http, url: "https://flags.internal"}
            targets:
              - name: checkout
                policy: runbook-matrix
                plans:
                  rollback:
                    - action: flag-reduce
                      flag: checkout
                      provider: unlesh
                    - action: flag-disable
                      flag: checkout
                    - action: flag-disable
                      flag: checkout
                      provider: flags-api
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe(
        [
            _scenario.At(20, "targets[0].plans.rollback[0].provider: unknown flag provider 'unlesh' (configured: unleash, flags-api) (did you mean 'unleash'?)"),
            _scenario.At(21, "targets[0].plans.rollback[1].action: several flag providers are configured (unleash, flags-api): name one with provider:"),
        ]);
    }

    [Fact]
    public void Load_PlanSteps_AreCheckedAgainstTheRegisteredActions()
    {
        var result = _scenario.Load(Head + """

            targets:
              - name: checkout
                policy: runbook-matrix
                plans:
                  rollback:
                    - action: webhok
                      url: http://ci/job
                    - action: webhook
                      url: not-a-url
                    - action: flag-disable
                      flag: checkout
                    - action: flag-reduce
                      flag: checkout
                      steps: 50,60
                  investigate:
                    - action: notify-only
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe(
        [
            _scenario.At(15, "targets[0].plans.rollback[0].action: unknown action 'webhok' (available: webhook, notify-only, flag-reduce, flag-disable, deployment-undo, scale, stop-writes, restore-replicas, rollout-wait, configmap-patch, rollout-restart, service-selector-switch, virtualservice-weights, statefulset-undo, daemonset-undo) (did you mean 'webhook'?)"),
            _scenario.At(17, "targets[0].plans.rollback[1]: url: required, an absolute http:// or https:// URL"),
            _scenario.At(19, "targets[0].plans.rollback[2].action: no flag provider is configured: add one under flags:"),
            _scenario.At(21, "targets[0].plans.rollback[3]: steps: must go strictly down (50 then 60): a reduction never raises a flag"),
            _scenario.At(21, "targets[0].plans.rollback[3].action: no flag provider is configured: add one under flags:"),
        ]);
        result.Warnings.ShouldNotContain(w => w.Message.Contains("flag-", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_KubernetesSection_ResolvesTheKubeconfigAndRefusesTwoSourcesAtOnce()
    {
        _scenario.Write("kube/config", "apiVersion: v1\nkind: Config\n");
        var ok = _scenario.Load(Head + "\nkubernetes: {kubeconfig: kube/config, context: sandbox}\ntargets: [{name: checkout, policy: runbook-matrix}]\n");

        ok.Errors.ShouldBeEmpty();
        ok.Options!.Kubernetes.Kubeconfig.ShouldBe(Path.Combine(_scenario.Folder, "kube", "config"));
        ok.Options.Kubernetes.Context.ShouldBe("sandbox");

        var both = _scenario.Load(Head + "\nkubernetes: {kubeconfig: kube/config, in_cluster: true}\ntargets: [{name: checkout, policy: runbook-matrix}]\n");
        both.Errors.Select(e => e.Message).ShouldBe(["set in_cluster or kubeconfig, not both"]);
    }
}
