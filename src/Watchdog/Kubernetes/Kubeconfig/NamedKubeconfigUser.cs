using YamlDotNet.Serialization;

namespace Watchdog.Kubernetes;

internal sealed class NamedKubeconfigUser
{
    [YamlMember(Alias = "name")]
    public string Name { get; set; } = "";

    [YamlMember(Alias = "user")]
    public KubeconfigUser User { get; set; } = new();
}
