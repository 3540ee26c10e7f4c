using System.Text.Json.Nodes;
using Watchdog.Kubernetes;

namespace Watchdog.Tests.Kubernetes;

public sealed class GoJsonTests
{
    [Fact]
    public void Marshal_SortsMapKeysAtEveryLevel_AndIsCompact()
    {
        var node = JsonNode.Parse("""{ "b": [ {"z": 1, "a": true} ], "a": null, "$patch": "replace", "A": "x" }""");

        GoJson.Marshal(node).ShouldBe("""{"$patch":"replace","A":"x","a":null,"b":[{"a":true,"z":1}]}""");
    }

    [Fact]
    public void Marshal_EscapesStringsAsGo_HtmlCharactersAndControlsOnly()
    {
        var node = new JsonObject { ["v"] = "a&b<c>\"q\"\\ it's+é \u2028 \n\t\r\b\f\u0001\u007f 😀" };

        GoJson.Marshal(node).ShouldBe("{\"v\":\"a\\u0026b\\u003cc\\u003e\\\"q\\\"\\\\ it's+é \\u2028 \\n\\t\\r\\b\\f\\u0001\u007f 😀\"}");
    }

    [Theory]
    [InlineData("30", "30")]
    [InlineData("-7", "-7")]
    [InlineData("1.50", "1.5")]
    [InlineData("1e3", "1000")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("0.0000001", "1e-7")]
    [InlineData("1.5e-10", "1.5e-10")]
    [InlineData("1e20", "100000000000000000000")]
    [InlineData("1e21", "1e+21")]
    [InlineData("1152921504606846976", "1152921504606847000")]
    [InlineData("-0", "-0")]
    [InlineData("0", "0")]
    public void Marshal_WritesNumbersAsFloat64_TheWayGoFormatsThem(string json, string expected)
    {
        GoJson.Marshal(JsonNode.Parse(json)).ShouldBe(expected);
    }

    [Fact]
    public void Marshal_OrdersKeysByCodePoint_AsGoOrdersUtf8Bytes()
    {
        // U+FF01 sorts before U+1F600 in UTF-8 (and code points), after it in UTF-16 code units.
        var node = new JsonObject { ["😀"] = 1, ["！"] = 2 };

        GoJson.Marshal(node).ShouldBe("""{"！":2,"😀":1}""");
    }
}
