using Microsoft.Extensions.Logging;

namespace Watchdog.Tests.Configuration;

public sealed class WatchdogConfigLoaderEnvironmentTests : IDisposable
{
    private readonly ConfigScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public void Load_EnvironmentOverrides_ReplaceAndAddValues()
    {
        var result = _scenario.Load(ConfigSamples.Minimal, new Dictionary<string, string?>
        {
            ["WATCHDOG__HTTP__LISTEN"] = "http://0.0.0.0:9999",
            ["WATCHDOG__TARGETS__0__POLICY"] = "runbook-tree",
            ["watchdog__logging__level"] = "Warning",
            ["WATCHDOG__TARGETS__0__VARIABLES__NAMESPACE"] = "staging",
            ["OTHER__HTTP__LISTEN"] = "not-a-url",
        });

        result.Errors.ShouldBeEmpty();
        var options = result.Options.ShouldNotBeNull();
        options.Http.Listen.ShouldBe("http://0.0.0.0:9999");
        options.Targets[0].Policy.ShouldBe("runbook-tree");
        options.Logging.Level.ShouldBe(LogLevel.Warning);
        options.Targets[0].Variables.ShouldBe(new Dictionary<string, string> { ["namespace"] = "staging" });
    }

    [Fact]
    public void Load_EnvironmentOverrideOfAListItem_KeepsTheRestOfTheItemFromTheFile()
    {
        var result = _scenario.Load(ConfigSamples.Minimal, new Dictionary<string, string?>
        {
            ["WATCHDOG__TARGETS__0__HEALTH__0__TIMEOUT"] = "1s",
        });

        result.Errors.ShouldBeEmpty();
        var check = result.Options.ShouldNotBeNull().Targets[0].Health.ShouldHaveSingleItem();
        check.Timeout.ShouldBe(TimeSpan.FromSeconds(1));
        check.Url.ShouldBe(new Uri("http://checkout/healthz"));
    }

    [Fact]
    public void Load_BadValueFromTheEnvironment_IsReportedAsEnvWithTheVariable()
    {
        var result = _scenario.Load(ConfigSamples.Minimal, new Dictionary<string, string?>
        {
            ["WATCHDOG__TARGETS__0__POLICY"] = "x",
        });

        result.Options.ShouldBeNull();
        result.Errors.Select(e => e.ToString()).ShouldBe(["env targets[0].policy: unknown policy 'x' (from WATCHDOG__TARGETS__0__POLICY)"]);
    }

    [Fact]
    public void Load_MisspelledEnvironmentKey_IsAnUnknownKeyFromEnv()
    {
        var result = _scenario.Load(ConfigSamples.Minimal, new Dictionary<string, string?>
        {
            ["WATCHDOG__TARGETS__0__INTERVALL"] = "30s",
        });

        result.Errors.Select(e => e.ToString()).ShouldBe(
            ["env targets[0].intervall: unknown key (did you mean 'interval'?) (from WATCHDOG__TARGETS__0__INTERVALL)"]);
    }

    [Fact]
    public void Load_ErrorInAValueTheEnvironmentDidNotTouch_StillPointsIntoTheFile()
    {
        var result = _scenario.Load(ConfigSamples.Minimal + "\n    interval: soon", new Dictionary<string, string?>
        {
            ["WATCHDOG__HTTP__LISTEN"] = "http://0.0.0.0:9999",
        });

        result.Errors.Select(e => e.ToString()).ShouldBe(
            [_scenario.At(16, "targets[0].interval: 'soon' is not a duration (write e.g. 15s, 1m30s, 250ms)")]);
    }
}
