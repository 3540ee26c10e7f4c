using Watchdog.Sandbox.Kubernetes;
using YamlDotNet.RepresentationModel;

namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary>
/// What the Helm chart grants, read from <c>helm/watchdog/files/rbac-rules.yaml</c> (the one file its Role and
/// ClusterRole templates include): every rule of every group, with virtual services on and the Lease named as
/// <c>ha.leaseName</c>'s default, bound to the chart's service account as the simulator's authorization.
/// </summary>
internal static class ChartRbac
{
    public const string User = "system:serviceaccount:watchdog:watchdog";

    /// <summary>The bearer token SimulatedCluster's connection sends; requests without it are the cluster admin's.</summary>
    public const string Token = "watchdog-service-account-token";

    public static string RulesFile { get; } = RepositoryPaths.Of("helm", "watchdog", "files", "rbac-rules.yaml");

    /// <summary>Every rule, named by its group and index (<c>workloads[2]</c>), in file order.</summary>
    public static IReadOnlyList<(string Name, PolicyRule Rule)> Rules { get; } = Load();

    /// <summary>The chart's rules, less the one named <paramref name="without"/> when given.</summary>
    public static SimulatorAuthorization Authorization(string? without = null) =>
        new(User, [.. Rules.Where(r => r.Name != without).Select(r => r.Rule)], Token: Token);

    private static List<(string, PolicyRule)> Load()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(RulesFile))
        {
            stream.Load(reader);
        }

        var rules = new List<(string, PolicyRule)>();
        foreach (var (group, list) in (YamlMappingNode)stream.Documents[0].RootNode)
        {
            var index = 0;
            foreach (var rule in ((YamlSequenceNode)list).Children.Cast<YamlMappingNode>())
            {
                rules.Add(($"{group}[{index++}]", new PolicyRule(Strings(rule, "apiGroups"), Strings(rule, "resources"), Strings(rule, "verbs"), Strings(rule, "resourceNames"))));
            }
        }

        return rules;
    }

    private static List<string> Strings(YamlMappingNode rule, string key) =>
        rule.Children.TryGetValue(new YamlScalarNode(key), out var node) ? [.. ((YamlSequenceNode)node).Children.Select(c => ((YamlScalarNode)c).Value ?? "")] : [];
}
