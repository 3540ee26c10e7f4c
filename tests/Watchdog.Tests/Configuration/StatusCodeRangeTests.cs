using Watchdog.Configuration;

namespace Watchdog.Tests.Configuration;

public sealed class StatusCodeRangeTests
{
    [Theory]
    [InlineData("200", 200, 200)]
    [InlineData("200-299", 200, 299)]
    [InlineData(" 500 - 599 ", 500, 599)]
    public void TryParse_CodeOrRange_ReadsBothEnds(string text, int min, int max)
    {
        StatusCodeRange.TryParse(text, out var range).ShouldBeTrue();

        range.ShouldBe(new StatusCodeRange(min, max));
    }

    [Theory]
    [InlineData("2xx")]
    [InlineData("299-200")]
    [InlineData("99")]
    [InlineData("200-600")]
    [InlineData("200-250-299")]
    [InlineData("")]
    public void TryParse_NotACodeBetween100And599_Fails(string text) =>
        StatusCodeRange.TryParse(text, out _).ShouldBeFalse();
}
