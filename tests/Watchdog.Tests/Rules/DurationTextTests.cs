using Watchdog.Rules;

namespace Watchdog.Tests.Rules;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("250ms", 250)]
    [InlineData("1m500ms", 60_500)]
    [InlineData("1d", 86_400_000)]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    public void TryParse_PrometheusDurations_Parse(string text, long milliseconds)
    {
        DurationText.TryParse(text, out var duration).ShouldBeTrue();
        duration.ShouldBe(TimeSpan.FromMilliseconds(milliseconds));
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("s")]
    [InlineData("30 s")]
    [InlineData("1m1h")]
    [InlineData("1s1s")]
    [InlineData("-5s")]
    [InlineData("1.5s")]
    [InlineData("99999999999999999999y")]
    public void TryParse_Malformed_Fails(string text)
    {
        DurationText.TryParse(text, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("1h30m")]
    [InlineData("250ms")]
    [InlineData("2d3h")]
    [InlineData("0s")]
    public void Format_RoundTrips(string text)
    {
        DurationText.TryParse(text, out var duration).ShouldBeTrue();
        DurationText.Format(duration).ShouldBe(text);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(-5000, "0s")]
    [InlineData(850, "850ms")]
    [InlineData(1_010, "1s")]
    [InlineData(15_010, "15s")]
    [InlineData(45_000, "45s")]
    [InlineData(60_000, "1m00s")]
    [InlineData(125_000, "2m05s")]
    [InlineData(3_725_000, "1h02m")]
    [InlineData(86_399_000, "23h59m")]
    [InlineData(273_600_000, "3d04h")]
    public void Human_WritesTheTwoLargestUnits_AndMillisecondsOnlyBelowASecond(long milliseconds, string expected)
    {
        DurationText.Human(TimeSpan.FromMilliseconds(milliseconds)).ShouldBe(expected);
    }
}
