using Watchdog.PolicyTesting;
using Watchdog.Rules;

namespace Watchdog.Tests.PolicyTesting;

public sealed class SampleSeriesTests
{
    [Fact]
    public void TryParse_NumbersNoDataErrorsAndRepeats_ExpandsInOrder()
    {
        var series = SampleSeries.TryParse("0.01 0.12x3 _ x _x2 xx2 -Inf NaN 1e3", out var error);

        error.ShouldBeNull();
        series.ShouldNotBeNull();
        series.Select(v => v.ToString()).ShouldBe(
            ["0.01", "0.12", "0.12", "0.12", "no data", $"error ({SampleSeries.TestSourceError})", "no data", "no data",
             $"error ({SampleSeries.TestSourceError})", $"error ({SampleSeries.TestSourceError})", "-Inf", "no data", "1000"]);
        series[10].Number.ShouldBe(double.NegativeInfinity);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0.1x0")]
    [InlineData("0.1xa")]
    [InlineData("")]
    public void TryParse_BadToken_ReturnsErrorNamingIt(string text)
    {
        SampleSeries.TryParse(text, out var error).ShouldBeNull();

        error.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void TryParse_NaN_IsNoData()
    {
        SampleSeries.TryParse("NaN", out _)![0].State.ShouldBe(SignalState.NoData);
    }
}
