using Watchdog.Incidents.Reports;

namespace Watchdog.Tests.Incidents.Reports;

public sealed class ReportTimeTextTests
{
    [Theory]
    [InlineData(0, "T+0")]
    [InlineData(0.9, "T+0")]
    [InlineData(45, "T+45s")]
    [InlineData(60, "T+1m00s")]
    [InlineData(125, "T+2m05s")]
    [InlineData(3599, "T+59m59s")]
    [InlineData(3720, "T+1h02m")]
    [InlineData(3759, "T+1h02m")]
    [InlineData(93600, "T+1d02h")]
    [InlineData(-5, "T-5s")]
    public void Offset_IsCompactAndDropsSecondsPastAnHour(double seconds, string expected) =>
        ReportTimeText.Offset(TimeSpan.FromSeconds(seconds)).ShouldBe(expected);

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(45, "45s")]
    [InlineData(125, "2m05s")]
    [InlineData(3725, "1h02m")]
    [InlineData(0.85, "850ms")]
    [InlineData(93600, "1d02h")]
    [InlineData(-3, "0s")]
    public void Duration_IsTheHumanDurationOfMessages(double seconds, string expected) =>
        ReportTimeText.Duration(TimeSpan.FromSeconds(seconds)).ShouldBe(expected);

    [Fact]
    public void Timestamp_IsIso8601InUtcToTheSecond() =>
        ReportTimeText.Timestamp(new DateTimeOffset(2025, 6, 1, 14, 30, 5, 999, TimeSpan.FromHours(2))).ShouldBe("2025-06-01T12:30:05Z");
}
