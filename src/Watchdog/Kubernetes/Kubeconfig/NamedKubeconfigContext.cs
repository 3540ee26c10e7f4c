using YamlDotNet.Serialization;

namespace Watchdog.Kubernetes;

internal sealed class NamedKubeconfigContext
{
    [YamlMember(Alias = "name")]
    public string Name { get; set; } = "";

    [YamlMember(Alias = "context")]
    public KubeconfigContext Context { get; set; } = new();
}
