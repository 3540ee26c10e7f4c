using Watchdog.Sandbox.Kubernetes;

namespace Watchdog.Sandbox;

/// <summary>What <c>watchdog sandbox</c> runs: the Kubernetes API simulator alone, seeded, until cancelled.</summary>
public static class SandboxCommand
{
    public const string CheckoutDeployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"checkout","namespace":"default","labels":{"app":"checkout"}},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"checkout"}},
          "template":{"metadata":{"labels":{"app":"checkout"}},"spec":{"containers":[{"name":"checkout","image":"checkout:1.0"}]}}}}
        """;

    public const string DbStatefulSet = """
        {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db","namespace":"default","labels":{"app":"db"}},
         "spec":{"replicas":1,"serviceName":"db","selector":{"matchLabels":{"app":"db"}},
          "template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"db","image":"postgres:15"}]}}}}
        """;

    public const string AgentDaemonSet = """
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"node-agent","namespace":"default","labels":{"app":"node-agent"}},
         "spec":{"selector":{"matchLabels":{"app":"node-agent"}},
          "template":{"metadata":{"labels":{"app":"node-agent"}},"spec":{"containers":[{"name":"agent","image":"node-agent:1.0"}]}}}}
        """;

    public static async Task RunAsync(int port, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var simulator = await KubernetesSimulator.StartAsync(new SimulatorOptions(port), cancellationToken);
        simulator.Create(CheckoutDeployment);
        simulator.Create(DbStatefulSet);
        simulator.Create(AgentDaemonSet);
        await simulator.SettleAsync(cancellationToken);
        await output.WriteLineAsync($"Kubernetes API simulator listening on {simulator.Url.GetLeftPart(UriPartial.Authority)}");
        await output.FlushAsync(cancellationToken);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // By design: cancellation is how the sandbox is stopped.
        }
    }
}
