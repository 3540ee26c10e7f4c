using Watchdog.Configuration;

namespace Watchdog.Tests.Configuration;

/// <summary><c>sources.alertmanager.retention</c> and <c>max_alerts</c>: defaults, values read, errors at their paths.</summary>
public sealed class AlertRetentionConfigTests : IDisposable
{
    private readonly ConfigScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public void Load_IntakeWithoutRetentionOrCap_KeepsSevenDaysAndAHundredThousandAlerts()
    {
        var result = _scenario.Load("""
            sources:
              alertmanager: {bearer_token: t0k3n}
            """);

        result.Errors.ShouldBeEmpty();
        result.Options!.Sources.Alertmanager.Retention.ShouldBe(TimeSpan.FromDays(7));
        result.Options.Sources.Alertmanager.MaxAlerts.ShouldBe(100_000);
        new WatchdogOptions().Sources.Alertmanager.MaxAlerts.ShouldBe(100_000, "the same with no sources section at all");
    }

    [Fact]
    public void Load_RetentionAndCap_AreRead()
    {
        var result = _scenario.Load("""
            sources:
              alertmanager: {retention: 36h, max_alerts: 2000}
            """);

        result.Errors.ShouldBeEmpty();
        result.Options!.Sources.Alertmanager.Retention.ShouldBe(TimeSpan.FromHours(36));
        result.Options.Sources.Alertmanager.MaxAlerts.ShouldBe(2000);
    }

    [Fact]
    public void Load_RetentionTooShortAndCapOutOfRange_AreBothErrorsAtTheirPaths()
    {
        var result = _scenario.Load("""
            sources:
              alertmanager:
                retention: 10m
                max_alerts: 5
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe(
            [
                _scenario.At(3, "sources.alertmanager.retention: must be at least 1h: Alertmanager sends a firing alert again only every repeat_interval (4h by default)"),
                _scenario.At(4, "sources.alertmanager.max_alerts: '5' is not a whole number from 100 to 10000000"),
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void Load_RetentionNotADuration_IsAnErrorAtItsPath()
    {
        var result = _scenario.Load("""
            sources:
              alertmanager: {retention: forever}
            """);

        result.Errors.Select(e => e.ToString()).ShouldHaveSingleItem().ShouldContain("sources.alertmanager.retention: 'forever' is not a duration");
    }
}
