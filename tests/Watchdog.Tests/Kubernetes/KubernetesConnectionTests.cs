using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Watchdog.Actions.Kubernetes;
using Watchdog.Configuration;
using Watchdog.Kubernetes;
using Watchdog.Sandbox;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Kubernetes;

/// <summary>
/// Fault "a bad kubeconfig at first use is cached for the life of the process" (issue 9, failure 7): the connection
/// made on first use must try again on the next use after a failure, and keep a client once one is made.
/// </summary>
public sealed class KubernetesConnectionTests : IDisposable
{
    private static readonly Dictionary<string, string> Undo = new() { ["deployment"] = "checkout" };
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task DeploymentUndo_WithAGarbageKubeconfigAtFirstUse_FailsClearly_ThenWorksOnceTheFileIsFixed_WithoutARestart()
    {
        await using var h = await SimulatorHarness.StartAsync(SandboxCommand.CheckoutDeployment);
        await h.Simulator.SetImageAsync("default", "checkout", "checkout", "checkout:2.0");
        var kubeconfig = _dir.Write("kubeconfig", "\u0000\u0001 {[ this is no kubeconfig: [");
        // The daemon's own wiring: the kubeconfig path relative to the config file's folder, read on first use.
        await using var provider = new ServiceCollection()
            .AddKubernetes(new WatchdogOptions { ConfigPath = Path.Combine(_dir.Path, "watchdog.yaml") }, new KubernetesOptions { Kubeconfig = "kubeconfig" })
            .BuildServiceProvider();
        var action = new DeploymentUndoAction(provider.GetRequiredService<KubernetesConnection>());

        var first = await h.RunAsync(action, Undo);
        File.WriteAllText(kubeconfig, Kubeconfig(h.Simulator.Url));
        var second = await h.RunAsync(action, Undo);

        first.Succeeded.ShouldBeFalse();
        first.Summary.ShouldStartWith($"Kubernetes client configuration: {kubeconfig}: not a kubeconfig: ");
        second.Succeeded.ShouldBeTrue(second.Summary);
        second.Summary.ShouldBe("rolled back deployment/default/checkout from revision 2 to revision 1");
        h.Simulator.ImageOf("default", "checkout").ShouldBe("checkout:1.0");
    }

    [Fact]
    public void Client_OnceMade_IsKept_AndMadeOnce_ByConcurrentFirstUses()
    {
        var made = 0;
        using var connection = new KubernetesConnection(() =>
        {
            Interlocked.Increment(ref made);
            Thread.Sleep(50); // a slow kubeconfig (an exec plugin, a network file system)
            return new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = (new Uri("http://127.0.0.1:1")).AbsoluteUri }, TimeProvider.System);
        });

        var clients = new KubernetesClient[8];
        Parallel.For(0, clients.Length, new ParallelOptions { MaxDegreeOfParallelism = clients.Length }, i => clients[i] = connection.Client);

        made.ShouldBe(1);
        clients.Distinct().Count().ShouldBe(1);
        connection.Client.ShouldBeSameAs(clients[0]);
    }

    [Fact]
    public void Client_AfterAFailedAttempt_IsAttemptedAgain_AndTheFailureIsNotKept()
    {
        var attempts = 0;
        using var connection = new KubernetesConnection(() => Interlocked.Increment(ref attempts) < 3
            ? throw new KubernetesConfigException([$"kubeconfig /k: not a kubeconfig (attempt {attempts})"])
            : new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = (new Uri("http://127.0.0.1:1")).AbsoluteUri }, TimeProvider.System));

        Should.Throw<KubernetesConfigException>(() => connection.Client).Message.ShouldContain("attempt 1");
        Should.Throw<KubernetesConfigException>(() => connection.Client).Message.ShouldContain("attempt 2");
        var client = connection.Client;

        connection.Client.ShouldBeSameAs(client);
        attempts.ShouldBe(3);
    }

    private static string Kubeconfig(Uri server) =>
        new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Config",
            ["current-context"] = "sim",
            ["clusters"] = new JsonArray(new JsonObject { ["name"] = "sim", ["cluster"] = new JsonObject { ["server"] = server.ToString() } }),
            ["contexts"] = new JsonArray(new JsonObject { ["name"] = "sim", ["context"] = new JsonObject { ["cluster"] = "sim", ["namespace"] = "default" } }),
        }.ToJsonString();
}
