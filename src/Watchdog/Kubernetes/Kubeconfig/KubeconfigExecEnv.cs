using YamlDotNet.Serialization;

namespace Watchdog.Kubernetes;

internal sealed class KubeconfigExecEnv
{
    [YamlMember(Alias = "name")]
    public string Name { get; set; } = "";

    [YamlMember(Alias = "value")]
    public string Value { get; set; } = "";
}
