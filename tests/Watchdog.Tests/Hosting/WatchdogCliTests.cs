using System.Reflection;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Rules;

namespace Watchdog.Tests.Hosting;

public sealed class WatchdogCliTests : IDisposable
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private readonly List<string> _loadedPaths = [];

    [Fact]
    public async Task Version_PrintsTheInformationalVersionAndExitsZero()
    {
        var expected = typeof(WatchdogCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        var exit = await Invoke(new WatchdogCli(), "--version");

        exit.ShouldBe(0);
        _output.ToString().Trim().ShouldBe(expected);
        expected.ShouldStartWith("0.1.0");
    }

    [Theory]
    [InlineData("", "Watchdog: watches releases")]
    [InlineData("run", "Run the daemon")]
    [InlineData("validate", "Check the configuration")]
    [InlineData("test-rules", "Run policy unit test files")]
    [InlineData("demo", "Play the runbook's scenarios")]
    [InlineData("status", "Every target: its decision")]
    [InlineData("incidents", "Incidents, newest first")]
    [InlineData("approvals", "Approval requests waiting")]
    [InlineData("approve", "Approve a pending approval request")]
    [InlineData("reject", "Reject a pending approval request")]
    public async Task Help_OnEveryVerb_PrintsItsUsageAndExitsZero(string verb, string description)
    {
        string[] args = verb.Length == 0 ? ["--help"] : [verb, "--help"];

        var exit = await Invoke(new WatchdogCli(), args);

        exit.ShouldBe(0);
        _output.ToString().ShouldContain("Usage:");
        _output.ToString().ShouldContain(description);
    }

    [Fact]
    public async Task UnknownVerb_FailsAndNamesWhatItDidNotRecognise()
    {
        var exit = await Invoke(new WatchdogCli(), "frobnicate");

        exit.ShouldNotBe(0);
        _error.ToString().ShouldContain("frobnicate");
    }

    [Fact]
    public async Task Validate_ValidConfig_PrintsWarningsThenOkWithCountsAndExitsZero()
    {
        var warning = new ConfigError("config/watchdog.yaml", 7, "notifications", "no channel configured");
        var cli = new WatchdogCli(loadConfig: Loads(Valid() with { Warnings = [warning] }));

        var exit = await Invoke(cli, "validate");

        exit.ShouldBe(0);
        _loadedPaths.ShouldBe(["config/watchdog.yaml"]);
        Lines().ShouldBe([
            "warning: config/watchdog.yaml:7 notifications: no channel configured",
            "config/watchdog.yaml: ok (2 targets, 2 policies)",
        ]);
    }

    [Fact]
    public async Task Validate_InvalidConfig_PrintsEveryErrorWithItsPathAndExitsOne()
    {
        ConfigError[] errors =
        [
            new("bad.yaml", 3, "http.listen", "not a URL"),
            new("bad.yaml", 14, "targets[0].policy", "unknown policy 'runbok-matrix'"),
            new("bad.yaml", null, "targets[1].interval", "must be positive"),
        ];
        var cli = new WatchdogCli(loadConfig: Loads(new ConfigLoadResult(null, new Dictionary<string, CompiledPolicy>(), errors, [])));

        var exit = await Invoke(cli, "validate", "--config", "bad.yaml");

        exit.ShouldBe(1);
        _loadedPaths.ShouldBe(["bad.yaml"]);
        Lines().ShouldBe([
            "bad.yaml:3 http.listen: not a URL",
            "bad.yaml:14 targets[0].policy: unknown policy 'runbok-matrix'",
            "bad.yaml targets[1].interval: must be positive",
            "bad.yaml: 3 errors",
        ]);
    }

    [Fact]
    public async Task Validate_MissingFile_PrintsTheLoadersErrorAndExitsOne()
    {
        var missing = new ConfigError("nowhere.yaml", null, "", "cannot read configuration file: not found");
        var cli = new WatchdogCli(loadConfig: Loads(new ConfigLoadResult(null, new Dictionary<string, CompiledPolicy>(), [missing], [])));

        var exit = await Invoke(cli, "validate", "-c", "nowhere.yaml");

        exit.ShouldBe(1);
        _output.ToString().ShouldContain("nowhere.yaml: cannot read configuration file: not found");
    }

    [Fact]
    public async Task TestRules_PassesEveryFileToTheRunnerAndExitsWithItsCode()
    {
        IReadOnlyList<string>? seen = null;
        var cli = new WatchdogCli(runPolicyTests: (files, output) =>
        {
            seen = files;
            output.WriteLine("3 passed, 1 failed");
            return 1;
        });

        var exit = await Invoke(cli, "test-rules", "a.yaml", "b.yaml");

        exit.ShouldBe(1);
        seen.ShouldBe(["a.yaml", "b.yaml"]);
        _output.ToString().ShouldContain("3 passed, 1 failed");
    }

    [Fact]
    public async Task TestRules_WithoutFiles_FailsWithoutRunningAnything()
    {
        var ran = false;
        var cli = new WatchdogCli(runPolicyTests: (_, _) =>
        {
            ran = true;
            return 0;
        });

        var exit = await Invoke(cli, "test-rules");

        exit.ShouldNotBe(0);
        ran.ShouldBeFalse();
    }

    [Theory]
    [InlineData("run", "--config", "broken.yaml")]
    [InlineData("--config", "broken.yaml")]
    public async Task Run_AndNoVerb_WithAnInvalidConfig_PrintEveryErrorAndExitOneWithoutStarting(params string[] args)
    {
        ConfigError[] errors =
        [
            new("broken.yaml", 2, "http.listen", "not a URL"),
            new("broken.yaml", 9, "targets[0].name", "empty"),
        ];
        var cli = new WatchdogCli(loadConfig: Loads(new ConfigLoadResult(null, new Dictionary<string, CompiledPolicy>(), errors, [])));

        var exit = await Invoke(cli, args);

        exit.ShouldBe(1);
        _loadedPaths.ShouldBe(["broken.yaml"]);
        var error = _error.ToString();
        error.ShouldContain("broken.yaml:2 http.listen: not a URL");
        error.ShouldContain("broken.yaml:9 targets[0].name: empty");
        error.ShouldContain("broken.yaml: 2 errors; not starting");
    }

    public void Dispose()
    {
        _output.Dispose();
        _error.Dispose();
    }

    private static ConfigLoadResult Valid()
    {
        var options = new WatchdogOptions
        {
            Targets =
            [
                new TargetOptions { Name = "checkout", Policy = TestPolicies.ErrorRate },
                new TargetOptions { Name = "search", Policy = TestPolicies.ErrorRate },
            ],
            Signals = new Dictionary<string, SignalOptions>(StringComparer.Ordinal) { ["error_rate"] = new() { Name = "error_rate", Query = "error_rate" } },
        };
        var policies = new Dictionary<string, CompiledPolicy>
        {
            ["error-rate"] = TestPolicies.ErrorRateRollback(),
            ["error-rate-held"] = TestPolicies.ErrorRateRollback(TimeSpan.FromSeconds(30)),
        };
        return new ConfigLoadResult(options, policies, [], []);
    }

    private Func<string, ConfigLoadResult> Loads(ConfigLoadResult result) => path =>
    {
        _loadedPaths.Add(path);
        return result;
    };

    private Task<int> Invoke(WatchdogCli cli, params string[] args) => cli.InvokeAsync(args, _output, _error);

    private string[] Lines() => _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
