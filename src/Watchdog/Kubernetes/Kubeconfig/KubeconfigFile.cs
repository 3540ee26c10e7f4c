using YamlDotNet.Serialization;

namespace Watchdog.Kubernetes;

/// <summary>A kubeconfig file as written (clientcmd/api/v1 types); <see cref="KubeconfigLoader"/> resolves it.</summary>
internal sealed class KubeconfigFile
{
    [YamlMember(Alias = "current-context")]
    public string? CurrentContext { get; set; }

    [YamlMember(Alias = "clusters")]
    public List<NamedKubeconfigCluster> Clusters { get; set; } = [];

    [YamlMember(Alias = "users")]
    public List<NamedKubeconfigUser> Users { get; set; } = [];

    [YamlMember(Alias = "contexts")]
    public List<NamedKubeconfigContext> Contexts { get; set; } = [];
}
