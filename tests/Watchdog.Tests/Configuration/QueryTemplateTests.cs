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

    [Fact]
    public void Render_TargetWithEveryVariable_FillsThemAndTargetIsItsName()
    {
        var target = new TargetOptions
        {
            Name = "checkout-prod",
            Variables = new Dictionary<string, string> { ["namespace"] = "prod", ["target"] = "not-the-name" },
        };

        var rendered = QueryTemplate.Render("""up{ns="{{namespace}}",t="{{ target }}"}""", target);

        rendered.ShouldBe(new RenderedQuery("""up{ns="prod",t="checkout-prod"}""", null));
    }

    [Fact]
    public void Render_MissingVariable_NamesTheFirstOneMissing()
    {
        var target = new TargetOptions { Name = "t", Variables = new Dictionary<string, string> { ["namespace"] = "prod" } };

        var rendered = QueryTemplate.Render("""x{a="{{namespace}}",b="{{deployment}}",c="{{service}}"}""", target);

        rendered.ShouldBe(new RenderedQuery(null, "deployment"));
    }

    [Fact]
    public void Render_ValueWithQuoteBackslashAndNewline_IsEscapedForAPromQlString()
    {
        var target = new TargetOptions { Name = "t", Variables = new Dictionary<string, string> { ["d"] = "a\"b\\c\nd" } };

        QueryTemplate.Render("""x{d="{{d}}"}""", target).Query.ShouldBe("""x{d="a\"b\\c\nd"}""");
    }
}
