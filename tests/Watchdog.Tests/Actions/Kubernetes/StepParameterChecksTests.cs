using Watchdog.Hosting;
using Watchdog.Plugins;

namespace Watchdog.Tests.Actions.Kubernetes;

/// <summary>Every Kubernetes action checks object and namespace names by the API server's rules when the configuration loads.</summary>
public sealed class StepParameterChecksTests
{
    private static readonly PluginRegistry Registry = WatchdogPlugins.Registry();

    [Theory]
    [InlineData("deployment-undo", "deployment")]
    [InlineData("statefulset-undo", "statefulset")]
    [InlineData("daemonset-undo", "daemonset")]
    [InlineData("rollout-wait", "deployment")]
    [InlineData("rollout-restart", "deployment")]
    [InlineData("scale", "deployment")]
    [InlineData("stop-writes", "statefulset")]
    [InlineData("restore-replicas", "deployment")]
    [InlineData("configmap-patch", "configmap")]
    [InlineData("service-selector-switch", "service")]
    [InlineData("virtualservice-weights", "virtualservice")]
    public void ANameOrNamespaceTheApiServerWouldRefuse_IsAConfigError(string action, string key)
    {
        var parameters = new Dictionary<string, string>
        {
            [key] = "Checkout_V2",
            ["namespace"] = "Prod",
            ["replicas"] = "3",
            ["data.FLAG"] = "on",
            ["selector"] = "version=blue",
            ["stable_subset"] = "stable",
        };
        foreach (var unknown in parameters.Keys.Where(k => k is not ("namespace") && k != key).ToList())
        {
            // Keep only what the action takes besides the name, so the errors below are the names' alone.
            if (Registry.Find(PluginKind.Action, action)!.ValidateParameters(new Dictionary<string, string> { [key] = "checkout", [unknown] = parameters[unknown] }).Any(e => e.StartsWith(unknown + ":", StringComparison.Ordinal) && e.Contains("unknown parameter", StringComparison.Ordinal)))
            {
                parameters.Remove(unknown);
            }
        }

        var errors = Registry.Find(PluginKind.Action, action)!.ValidateParameters(parameters);

        errors.ShouldContain($"{key}: 'Checkout_V2' is not an object name (lower-case letters, digits, '-' and '.', at most 253, starting and ending with a letter or digit)");
        errors.ShouldContain("namespace: 'Prod' is not a namespace name (lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit)");
    }
}
