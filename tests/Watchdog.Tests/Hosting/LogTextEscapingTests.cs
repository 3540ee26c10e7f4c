using Watchdog.Hosting;

namespace Watchdog.Tests.Hosting;

public sealed class LogTextEscapingTests
{
    [Theory]
    [InlineData("plain text, a \\ backslash and é", "plain text, a \\ backslash and é")]
    [InlineData("esc\u001b[2Jcleared", @"esc\u001b[2Jcleared")]
    [InlineData("nul\0cut", @"nul\u0000cut")]
    [InlineData("cr\rover", @"cr\rover")]
    [InlineData("lf\nfake: line", @"lf\nfake: line")]
    [InlineData("tab\tbell\u0007del\u007f", @"tab\tbell\u0007del\u007f")]
    [InlineData("csi\u009b31m", @"csi\u009b31m")]
    [InlineData("line\u2028separator", @"line\u2028separator")]
    [InlineData("bidi\u202eesrever", @"bidi\u202eesrever")]
    public void Escape_ControlAndLayoutCharacters_AreWrittenAsEscapes(string text, string escaped) =>
        LogTextEscaping.Escape(text).ShouldBe(escaped);

    [Fact]
    public void Escape_TextWithNothingToEscape_IsTheSameString()
    {
        var text = "Alert CheckoutDown firing for checkout";

        LogTextEscaping.Escape(text).ShouldBeSameAs(text);
    }
}
