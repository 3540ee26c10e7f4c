using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Watchdog.Configuration;

namespace Watchdog.Tests.Configuration;

public sealed class IndexedConfigurationProviderTests
{
    // Nested mappings, arrays past index 9 (numeric order), mixed case, a null section value, a value and children on one key.
    private static readonly Dictionary<string, string?> File = new(StringComparer.OrdinalIgnoreCase)
    {
        ["store:path"] = "/var/lib/watchdog.db",
        ["Sources:Prometheus:Url"] = "http://prometheus:9090",
        ["sources:prometheus:timeout"] = "5s",
        ["signals:error_rate:group_by:0"] = "deployment",
        ["signals:error_rate:group_by:1"] = "namespace",
        ["signals:error_rate:query"] = "sum(x)",
        ["targets:0:name"] = "checkout",
        ["targets:0:health:0:url"] = "http://checkout/healthz",
        ["targets:0:health:1:url"] = "http://checkout/readyz",
        ["targets:0:plans:rollback:0:action"] = "notify-only",
        ["targets:2:name"] = "cart",
        ["targets:10:name"] = "search",
        ["targets:10:variables"] = null,
        ["policies:0"] = "a.yaml",
        ["policies"] = "shadowed",
    };

    private static readonly Dictionary<string, string?> Environment = new(StringComparer.OrdinalIgnoreCase)
    {
        ["targets:0:NAME"] = "checkout-eu",
        ["targets:1:name"] = "payments",
        ["targets:10:health:0:url"] = "http://search/healthz",
        ["TARGETS:0:Variables:Namespace"] = "staging",
        ["http:listen"] = "http://127.0.0.1:9999",
    };

    [Fact]
    public void GetChildren_EverySection_AnswersWhatTheDefaultProviderAnswers()
    {
        var expected = new ConfigurationBuilder().AddInMemoryCollection(File).AddInMemoryCollection(Environment).Build();
        var actual = Indexed(File, Environment);

        var expectedTree = Walk(expected);
        expectedTree.Count.ShouldBeGreaterThan(30);
        Walk(actual).ShouldBe(expectedTree);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("targets")]
    [InlineData("TARGETS:0")]
    [InlineData("targets:0:health")]
    [InlineData("signals:error_rate:group_by")]
    [InlineData("policies")]
    [InlineData("nowhere")]
    public void GetChildKeys_WithEarlierKeys_IsTheBaseProvidersAnswer(string? parentPath)
    {
        string[] earlier = ["9", "name", "Zeta", "10", "alpha"];
        var expected = new MemoryConfigurationProvider(new MemoryConfigurationSource { InitialData = File });
        expected.Load();
        var actual = new IndexedConfigurationProvider(File);
        actual.Load();

        actual.GetChildKeys(earlier, parentPath).ShouldBe(expected.GetChildKeys(earlier, parentPath));
    }

    [Fact]
    public void EnvironmentLayer_OverridesValuesAndAddsKeysAndListItems()
    {
        var root = Indexed(File, Environment);

        root["targets:0:name"].ShouldBe("checkout-eu");
        root["targets:0:variables:namespace"].ShouldBe("staging");
        root["http:listen"].ShouldBe("http://127.0.0.1:9999");
        root.GetSection("targets").GetChildren().Select(c => c.Key).ShouldBe(["0", "1", "2", "10"]);
        root.GetSection("targets:10:health").GetChildren().Select(c => c["url"]).ShouldBe(["http://search/healthz"]);
        root.GetChildren().Select(c => c.Key).ShouldContain("http");
    }

    [Fact]
    public void Set_ANewKeyAfterLoad_IsAChildFromThenOn()
    {
        var root = Indexed(File, new Dictionary<string, string?>());

        root["targets:3:name"] = "added";

        root.GetSection("targets").GetChildren().Select(c => c.Key).ShouldBe(["0", "2", "3", "10"]);
        root["targets:3:name"].ShouldBe("added");
    }

    private static ConfigurationRoot Indexed(Dictionary<string, string?> file, Dictionary<string, string?> environment) =>
        new([new IndexedConfigurationProvider(file), new IndexedConfigurationProvider(environment)]);

    // Every section reachable from the root, in the order GetChildren lists them: path, key and value.
    private static List<string> Walk(IConfiguration configuration)
    {
        var lines = new List<string>();
        foreach (var child in configuration.GetChildren())
        {
            lines.Add($"{child.Path} | {child.Key} | {child.Value ?? "<null>"}");
            lines.AddRange(Walk(child));
        }

        return lines;
    }
}
