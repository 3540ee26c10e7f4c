using YamlDotNet.Serialization;

namespace Watchdog.Kubernetes;

internal sealed class NamedKubeconfigCluster
{
    [YamlMember(Alias = "name")]
    public string Name { get; set; } = "";

    [YamlMember(Alias = "cluster")]
    public KubeconfigCluster Cluster { get; set; } = new();
}
