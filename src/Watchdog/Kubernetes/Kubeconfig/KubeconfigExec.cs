using YamlDotNet.Serialization;

namespace Watchdog.Kubernetes;

internal sealed class KubeconfigExec
{
    [YamlMember(Alias = "apiVersion")]
    public string? ApiVersion { get; set; }

    [YamlMember(Alias = "command")]
    public string? Command { get; set; }

    [YamlMember(Alias = "args")]
    public List<string> Args { get; set; } = [];

    [YamlMember(Alias = "env")]
    public List<KubeconfigExecEnv> Env { get; set; } = [];

    [YamlMember(Alias = "installHint")]
    public string? InstallHint { get; set; }

    [YamlMember(Alias = "interactiveMode")]
    public string? InteractiveMode { get; set; }
}
