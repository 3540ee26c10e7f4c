using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Rules;

namespace Watchdog.Tests.Configuration;

public sealed class WatchdogConfigLoaderTests : IDisposable
{
    private readonly ConfigScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public void Load_FullConfig_BindsEveryField()
    {
        _scenario.Write("secrets/bob", "bob-token");
        _scenario.Write("secrets/prometheus", "prom-token");
        _scenario.Write("secrets/unleash", "*:*.unleash-token");

        var result = _scenario.Load(ConfigSamples.Full);

        result.Errors.ShouldBeEmpty();
        result.Warnings.ShouldBeEmpty();
        result.IsValid.ShouldBeTrue();
        var options = result.Options!;
        options.ConfigPath.ShouldBe(_scenario.ConfigPath);

        options.Http.Listen.ShouldBe("http://127.0.0.1:8081");
        options.Http.Tokens.Count.ShouldBe(2);
        options.Http.Tokens[0].ShouldBe(new ApiTokenOptions { Name = "alice", Role = Authority.OnCall, Token = "s3cret-alice" });
        options.Http.Tokens[1].ShouldBe(new ApiTokenOptions
        {
            Name = "bob", Role = Authority.TeamLead, TokenFile = Path.Combine(_scenario.Folder, "secrets", "bob"),
        });

        options.Logging.ShouldBe(new LoggingOptions { Format = "json", Level = LogLevel.Debug });
        options.Store.Kind.ShouldBe(StoreKind.Sqlite);
        options.Store.Path.ShouldBe(Path.Combine(_scenario.Folder, "data", "test.db"));
        options.Store.ConnectionString.ShouldBeNull();

        var prometheus = options.Sources.Prometheus.ShouldNotBeNull();
        prometheus.Url.ShouldBe(new Uri("http://prometheus:9090"));
        prometheus.Timeout.ShouldBe(TimeSpan.FromSeconds(3));
        prometheus.BearerToken.ShouldBeNull();
        prometheus.BearerTokenFile.ShouldBe(Path.Combine(_scenario.Folder, "secrets", "prometheus"));
        prometheus.Headers.ShouldBe(new Dictionary<string, string> { ["X-Scope-OrgID"] = "tenant-1" });

        options.Signals.Keys.ShouldBe(["error_rate", "health_check_failure_ratio"], ignoreOrder: true);
        options.Signals["error_rate"].Source.ShouldBe("prometheus");
        options.Signals["error_rate"].Query.ShouldBe("rate(errors{namespace=\"{{namespace}}\",app=\"{{target}}\"}[1m])");
        options.Signals["error_rate"].GroupBy.ShouldBe(["namespace", "target"]);
        options.Signals["health_check_failure_ratio"].Source.ShouldBe("health");
        options.Signals["health_check_failure_ratio"].Query.ShouldBeNull();

        options.Policies.ShouldBe([
            Path.Combine(_scenario.Folder, "policies", "matrix.yaml"),
            Path.Combine(_scenario.Folder, "policies", "tree.yaml"),
        ]);
        result.Policies.Keys.ShouldBe(["runbook-matrix", "runbook-tree"], ignoreOrder: true);

        options.Notifications.Select(n => (n.Name, n.Kind, n.Url, n.OnlyFor.Count)).ShouldBe([
            ("incidents", "slack", new Uri("https://hooks.example/T000"), 0),
        ]);
        options.Defaults.ShouldBe(new DefaultsOptions { Interval = TimeSpan.FromSeconds(20), DryRun = true });

        options.Targets.Count.ShouldBe(2);
        var checkout = options.Targets[0];
        checkout.Name.ShouldBe("checkout");
        checkout.Policy.ShouldBe("runbook-matrix");
        checkout.Interval.ShouldBe(TimeSpan.FromSeconds(30));
        checkout.DryRun.ShouldBeFalse();
        checkout.Variables.ShouldBe(new Dictionary<string, string> { ["namespace"] = "production", ["deployment"] = "checkout" }, ignoreOrder: true);
        checkout.Health.ShouldBe([new HealthCheckOptions
        {
            Url = new Uri("http://checkout/healthz"),
            Method = "HEAD",
            ExpectStatus = new StatusCodeRange(204, 204),
            BodyContains = "ok",
            Timeout = TimeSpan.FromSeconds(2),
        }]);
        checkout.Plans.Keys.ShouldBe([DecisionAction.Rollback]);
        var rollback = checkout.Plans[DecisionAction.Rollback];
        rollback.Select(s => s.Action).ShouldBe(["flag-reduce", "deployment-undo"]);
        rollback[0].Parameters.ShouldBe(new Dictionary<string, string> { ["flag"] = "checkout-v2" });
        rollback[1].Parameters.ShouldBe(new Dictionary<string, string> { ["deployment"] = "checkout" });

        // The second target sets nothing optional, so it takes the defaults section and the health defaults.
        var wms = options.Targets[1];
        wms.Interval.ShouldBe(TimeSpan.FromSeconds(20));
        wms.DryRun.ShouldBeTrue();
        wms.Plans.ShouldBeEmpty();
        wms.Health.ShouldBe([new HealthCheckOptions { Url = new Uri("http://wms/health") }]);
        wms.Health[0].Method.ShouldBe("GET");
        wms.Health[0].ExpectStatus.ShouldBe(new StatusCodeRange(200, 299));
        wms.Health[0].Timeout.ShouldBe(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Load_MinimalConfig_TakesDefaultsForEverythingUnset()
    {
        var result = _scenario.Load(ConfigSamples.Minimal);

        result.Errors.ShouldBeEmpty();
        var options = result.Options.ShouldNotBeNull();
        options.Http.Listen.ShouldBe("http://127.0.0.1:8080");
        options.Http.Tokens.ShouldBeEmpty();
        options.Logging.ShouldBe(new LoggingOptions { Format = "text", Level = LogLevel.Information });
        options.Store.Path.ShouldBe(Path.Combine(_scenario.Folder, "data", "watchdog.db"));
        options.Sources.Prometheus!.Timeout.ShouldBe(TimeSpan.FromSeconds(10));
        options.Notifications.ShouldBeEmpty();
        options.Targets[0].Interval.ShouldBe(TimeSpan.FromSeconds(15));
        options.Targets[0].DryRun.ShouldBeFalse();
    }

    [Fact]
    public void Load_RelativePaths_ResolveAgainstTheConfigFolderNotTheWorkingDirectory()
    {
        _scenario.Write("secrets/bob", "bob-token");
        _scenario.Write("secrets/prometheus", "prom-token");
        _scenario.Write("secrets/unleash", "*:*.unleash-token");

        var result = _scenario.Load(ConfigSamples.Full);

        Directory.GetCurrentDirectory().ShouldNotBe(_scenario.Folder);
        result.Options!.Store.Path.ShouldBe(Path.Combine(_scenario.Folder, "data", "test.db"));
        result.Options.Http.Tokens[1].TokenFile.ShouldBe(Path.Combine(_scenario.Folder, "secrets", "bob"));
        result.Options.Sources.Prometheus!.BearerTokenFile.ShouldBe(Path.Combine(_scenario.Folder, "secrets", "prometheus"));
        _scenario.Policies.Calls.Select(c => c.FullPath).ShouldBe([
            Path.Combine(_scenario.Folder, "policies", "matrix.yaml"),
            Path.Combine(_scenario.Folder, "policies", "tree.yaml"),
        ]);
    }

    [Fact]
    public void Load_MissingFile_ReportsOneClearError()
    {
        var missing = Path.Combine(_scenario.Folder, "nope.yaml");

        var result = WatchdogConfigLoader.Load(missing, WatchdogPlugins.Registry(), new Dictionary<string, string?>());

        result.Options.ShouldBeNull();
        result.Errors.Count.ShouldBe(1);
        result.Errors[0].ToString().ShouldBe($"{missing}: configuration file not found (looked for {missing})");
    }

    [Fact]
    public void Load_YamlSyntaxError_ReportsOneErrorWithItsLine()
    {
        var result = _scenario.Load("""
            http:
              listen: http://127.0.0.1:8080
            targets:
              - name: checkout
                policy: [runbook-matrix
            """);

        result.Options.ShouldBeNull();
        result.Errors.Count.ShouldBe(1);
        result.Errors[0].File.ShouldBe(_scenario.ConfigPath);
        result.Errors[0].Line.ShouldNotBeNull().ShouldBeInRange(5, 6);
        result.Errors[0].Message.ShouldStartWith("not valid YAML: ");
    }

    // YamlDotNet's scanner throws InvalidOperationException, not a YamlException, when a '{' or '[' left open meets
    // a key at the start of a later line.
    [Theory]
    [InlineData("{")]
    [InlineData("[")]
    public void Load_BracketLeftOpenBeforeTheLastKey_IsANotValidYamlErrorWithItsLine(string bracket)
    {
        var result = _scenario.Load($"""
            logging:
              format: text
            defaults: {bracket}interval: 1s,
            targets: []
            """);

        result.Options.ShouldBeNull();
        result.Errors.Select(e => e.ToString()).ShouldHaveSingleItem().ShouldStartWith($"{_scenario.ConfigPath}:4: not valid YAML: ", Case.Sensitive);
        result.Errors[0].Message.ShouldContain("not closed", Case.Sensitive);
    }

    [Fact]
    public void Load_ColonWithoutAKeyInAList_IsANotValidYamlErrorWithItsLine()
    {
        // YamlDotNet's node builder throws ArgumentException for it.
        var result = _scenario.Load("""
            logging:
              format: text
            targets:
              - : checkout
            """);

        var error = result.Errors.ShouldHaveSingleItem();
        error.File.ShouldBe(_scenario.ConfigPath);
        error.Line.ShouldNotBeNull().ShouldBeInRange(4, 5, "the event refused may be the one after the line");
        error.Message.ShouldBe("not valid YAML: a ':' without a key before it");
    }

    [Fact]
    public void Load_DuplicateYamlKey_IsAnErrorAtTheSecondKey()
    {
        var result = _scenario.Load("""
            logging:
              format: text
              format: json
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe([$"{_scenario.ConfigPath}:3: not valid YAML: Duplicate key format"]);
    }

    [Fact]
    public void Load_KeysDifferingOnlyInCase_AreADuplicateBecauseConfigurationIgnoresCase()
    {
        var result = _scenario.Load("""
            logging:
              format: text
              Format: json
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe([_scenario.At(3, "logging.Format: duplicate key")]);
    }

    [Fact]
    public void Load_EmptyFile_LoadsWithAWarningThatNothingIsWatched()
    {
        var result = _scenario.Load("");

        result.Errors.ShouldBeEmpty();
        result.Options.ShouldNotBeNull().Targets.ShouldBeEmpty();
        result.Warnings.Select(w => w.Message).ShouldBe(["no targets: Watchdog has nothing to watch"]);
    }
}
