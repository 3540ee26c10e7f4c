using Watchdog.IntegrationTests.Servers;

namespace Watchdog.IntegrationTests.Faults;

/// <summary>
/// A configuration with mistakes in the main file and in a policy, and one from an environment override: the real
/// <c>watchdog validate</c> lists every one at once as <c>file:line path: message</c> and exits 1, and <c>watchdog run</c>
/// refuses to start on them: it prints them, exits 1 by itself and never listens.
/// </summary>
[Trait("Suite", "Faults")]
public sealed class ConfigErrorTests : IDisposable
{
    private static readonly TimeSpan VerbTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();
    private readonly string _config;
    private readonly string _policy;

    public ConfigErrorTests()
    {
        _policy = _dir.Write("policy.yaml", """
            name: runbook-matrix
            matrix:
              - id: high
                when: error_rate > 0.10
                for: 30x
                action: rollbak
                authority: automatic
            """);
        _config = _dir.Write("watchdog.yaml", """
            store: {path: watchdog.db}
            sources:
              prometheus: {url: "not-a-url", timeout: 2s}
            signals:
              error_rate: {source: prometheus, query: 'error_rate{target="{{target}}"}'}
            policies: [policy.yaml]
            defaults: {interval: fast, dry_run: false}
            targets:
              - name: web
                policy: runbok-matrix
                dry_rn: true
                plans:
                  rollback: [{action: deployment-undo, deployment: "Web_App"}]
            """);
    }

    private string[] ExpectedErrors =>
    [
        $"{_config}:3 sources.prometheus.url: 'not-a-url' is not an absolute http:// or https:// URL",
        $"{_config}:7 defaults.interval: 'fast' is not a duration (write e.g. 15s, 1m30s, 250ms)",
        $"{_config}:10 targets[0].policy: unknown policy 'runbok-matrix'",
        $"{_config}:11 targets[0].dry_rn: unknown key (did you mean 'dry_run'?)",
        $"{_config}:13 targets[0].plans.rollback[0]: deployment: 'Web_App' is not an object name",
        $"{_policy}:5 matrix[0].for: '30x' is not a duration",
        $"{_policy}:6 matrix[0].action: unknown action 'rollbak'",
    ];

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ConfigWithErrorsInTheFileAndAPolicy_ValidateListsEveryErrorWithFileLineAndPath_AndExits1()
    {
        var result = await DaemonProcess.RunToExitAsync(["validate", "--config", _config], _dir.Path, VerbTimeout);

        result.ExitCode.ShouldBe(1, result.Output + result.Errors);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var expected in ExpectedErrors)
        {
            lines.ShouldContain(line => line.StartsWith(expected, StringComparison.Ordinal), $"'{expected}' in:\n{result.Output}");
        }

        lines[^1].ShouldBe($"{_config}: 7 errors");
    }

    [Fact]
    public async Task ConfigErrorFromAnEnvironmentOverride_ValidateNamesTheVariable_AndExits1()
    {
        var result = await DaemonProcess.RunToExitAsync(["validate", "--config", _config], _dir.Path, VerbTimeout,
            new Dictionary<string, string> { ["WATCHDOG__DEFAULTS__COOLDOWN"] = "soon" });

        result.ExitCode.ShouldBe(1);
        result.Output.ShouldContain("env defaults.cooldown: 'soon' is not a duration");
        result.Output.ShouldContain("(from WATCHDOG__DEFAULTS__COOLDOWN)");
    }

    [Fact]
    public async Task ConfigWithErrors_RunPrintsThemAndExits1_WithoutEverListening()
    {
        var port = LoopbackPorts.Free();
        var result = await DaemonProcess.RunToExitAsync(["run", "--config", _config], _dir.Path, VerbTimeout,
            new Dictionary<string, string> { ["WATCHDOG__HTTP__LISTEN"] = $"http://127.0.0.1:{port}" });

        result.ExitCode.ShouldBe(1, "it exits by itself, not killed at the time limit");
        foreach (var expected in ExpectedErrors)
        {
            result.Errors.ShouldContain(expected, Case.Sensitive);
        }

        result.Errors.ShouldContain($"{_config}: 7 errors; not starting");
        result.Output.ShouldNotContain("Now listening");
        result.Errors.ShouldNotContain("Now listening");
        result.Output.ShouldNotContain("Store ready", Case.Sensitive, "nothing is opened on an invalid configuration");
        File.Exists(Path.Combine(_dir.Path, "watchdog.db")).ShouldBeFalse("no store was created");
    }

    [Fact]
    public async Task ConfigEndingInAnUnclosedBracket_IsAFileLineYamlError_AndRunExits1()
    {
        // A '{' left open on the last setting but one: the next key at the start of a line is where YamlDotNet's
        // scanner gives up, with an InvalidOperationException rather than a YamlException.
        var config = _dir.Write("open-bracket.yaml", """
            store: {path: open-bracket.db}
            policies: [policy.yaml]
            defaults: {interval: 1s, dry_run: true,
            targets: []
            """);
        var policy = _dir.Write("open-policy.yaml", """
            name: open
            matrix: [
            id: high
            """);
        var policyConfig = _dir.Write("open-policy-config.yaml", """
            store: {path: open-policy.db}
            policies: [open-policy.yaml]
            """);

        var validate = await DaemonProcess.RunToExitAsync(["validate", "--config", config], _dir.Path, VerbTimeout);

        validate.ExitCode.ShouldBe(1, validate.Output + validate.Errors);
        validate.Output.ShouldStartWith($"{config}:4: not valid YAML: ", Case.Sensitive, validate.Output + validate.Errors);
        validate.Output.ShouldContain("not closed", Case.Sensitive);
        (validate.Output + validate.Errors).ShouldNotContain("   at ", Case.Sensitive, "no stack trace");

        var port = LoopbackPorts.Free();
        var run = await DaemonProcess.RunToExitAsync(["run", "--config", config], _dir.Path, VerbTimeout,
            new Dictionary<string, string> { ["WATCHDOG__HTTP__LISTEN"] = $"http://127.0.0.1:{port}" });

        run.ExitCode.ShouldBe(1, "it exits by itself, not killed at the time limit");
        run.Errors.ShouldContain($"{config}:4: not valid YAML: ", Case.Sensitive, run.Output + run.Errors);
        run.Errors.ShouldContain($"{config}: 1 error; not starting", Case.Sensitive);
        (run.Output + run.Errors).ShouldNotContain("   at ", Case.Sensitive, "no stack trace");

        var policyValidate = await DaemonProcess.RunToExitAsync(["validate", "--config", policyConfig], _dir.Path, VerbTimeout);

        policyValidate.ExitCode.ShouldBe(1, policyValidate.Output + policyValidate.Errors);
        policyValidate.Output.ShouldContain($"{policy}:3: not valid YAML: ", Case.Sensitive, policyValidate.Output + policyValidate.Errors);
        (policyValidate.Output + policyValidate.Errors).ShouldNotContain("   at ", Case.Sensitive, "no stack trace");
    }

    [Fact]
    public async Task MisspeltSignalInAPolicy_IsAnErrorAtItsPathWithDidYouMean()
    {
        var policy = _dir.Write("misspelt-policy.yaml", """
            name: misspelt
            matrix:
              - id: high
                when: eror_rate > 0.1
                action: rollback
                authority: automatic
            """);
        var config = _dir.Write("misspelt.yaml", """
            store: {path: misspelt.db}
            sources:
              prometheus: {url: "http://127.0.0.1:9", timeout: 2s}
            signals:
              error_rate: {source: prometheus, query: 'error_rate{target="{{target}}"}'}
            policies: [misspelt-policy.yaml]
            targets:
              - {name: web, policy: misspelt, plans: {rollback: [{action: notify-only}]}}
            """);

        var validate = await DaemonProcess.RunToExitAsync(["validate", "--config", config], _dir.Path, VerbTimeout);

        validate.ExitCode.ShouldBe(1, validate.Output + validate.Errors);
        validate.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(
            [$"{policy}:4 matrix[0].when: unknown signal 'eror_rate' (did you mean 'error_rate'?)", $"{config}: 1 error"],
            validate.Output + validate.Errors);

        var port = LoopbackPorts.Free();
        var run = await DaemonProcess.RunToExitAsync(["run", "--config", config], _dir.Path, VerbTimeout,
            new Dictionary<string, string> { ["WATCHDOG__HTTP__LISTEN"] = $"http://127.0.0.1:{port}" });

        run.ExitCode.ShouldBe(1, "it exits by itself, not killed at the time limit");
        run.Errors.ShouldContain($"{policy}:4 matrix[0].when: unknown signal 'eror_rate' (did you mean 'error_rate'?)", Case.Sensitive, run.Output + run.Errors);
    }
}
