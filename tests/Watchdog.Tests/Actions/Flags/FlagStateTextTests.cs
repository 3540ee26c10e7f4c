using Watchdog.Actions.Flags;

namespace Watchdog.Tests.Actions.Flags;

public sealed class FlagStateTextTests
{
    [Theory]
    [InlineData("production", " in production")]
    [InlineData("", "")]
    public void In_NamesTheEnvironment_OrNothingForAProviderWithoutEnvironments(string environment, string expected) =>
        FlagStateText.In(environment).ShouldBe(expected);
}
