using Watchdog.Configuration;

namespace Watchdog.Tests.Configuration;

public sealed class QueryTemplateTests
{
    [Fact]
    public void VariablesIn_QueryWithRepeatsAndSpaces_ListsEachNameOnceInOrder()
    {
        var query = """sum(rate(x{ns="{{namespace}}",d="{{ deployment }}"}[1m])) / sum(rate(x{ns="{{namespace}}"}[1m]))""";

        QueryTemplate.VariablesIn(query).ShouldBe(["namespace", "deployment"]);
    }

    [Fact]
    public void VariablesIn_PromQlBracesThatAreNotPlaceholders_FindsNothing()
    {
        QueryTemplate.VariablesIn("""sum by (le) (rate(h_bucket{code=~"5.."}[5m]))""").ShouldBeEmpty();
    }
}
