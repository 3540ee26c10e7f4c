using k8s;
using Microsoft.Extensions.DependencyInjection;
using Watchdog.Actions.Kubernetes;
using Watchdog.Configuration;
using Watchdog.Kubernetes;
using Watchdog.Sandbox;
using Watchdog.Tests.Configuration;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Kubernetes;

/// <summary>
/// <c>kubernetes.server</c> (with <c>token</c> or <c>token_file</c>, <c>insecure_skip_tls_verify</c>) stands for a
/// kubeconfig with one cluster and one user: the simulator is reached with no kubeconfig at all, the token is sent and
/// never shown, and the shortcut does not mix with a kubeconfig.
/// </summary>
public sealed class KubernetesServerShortcutTests : IAsyncLifetime, IDisposable
{
    private static readonly KubernetesRetryOptions NoRetries = new() { MaxRetries = 0, BaseDelay = TimeSpan.FromMilliseconds(1), AttemptTimeout = TimeSpan.FromSeconds(10) };
    private readonly TempDirectory _dir = new();
    private readonly ConfigScenario _scenario = new();
    private FakeKubernetesApi _api = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        _api.SeedDeployment("web", current: 1, revisions: 1);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose()
    {
        _dir.Dispose();
        _scenario.Dispose();
    }

    [Fact]
    public async Task DeploymentUndo_WithOnlyKubernetesServer_RollsBackOnTheSimulator()
    {
        await using var h = await SimulatorHarness.StartAsync(SandboxCommand.CheckoutDeployment);
        await h.Simulator.SetImageAsync("default", "checkout", "checkout", "checkout:2.0");
        // The daemon's own wiring, with no kubeconfig anywhere: KUBECONFIG and ~/.kube/config are not read.
        await using var provider = new ServiceCollection()
            .AddKubernetes(new WatchdogOptions { ConfigPath = Path.Combine(_dir.Path, "watchdog.yaml") }, new KubernetesOptions { Server = h.Simulator.Url })
            .BuildServiceProvider();
        var action = new DeploymentUndoAction(provider.GetRequiredService<KubernetesConnection>());

        var result = await h.RunAsync(action, new Dictionary<string, string> { ["deployment"] = "checkout" });

        result.Succeeded.ShouldBeTrue(result.Summary);
        h.Simulator.ImageOf("default", "checkout").ShouldBe("checkout:1.0");
    }

    [Fact]
    public async Task Server_WithAToken_SendsItAsTheBearer()
    {
        var config = Resolve(new KubernetesOptions { Server = _api.BaseUrl, Token = "s3cret-token" });

        using var client = new KubernetesClient(config, TimeProvider.System, NoRetries);
        await client.GetRawAsync(KubernetesPaths.Deployment("default", "web"), CancellationToken.None);

        _api.Requests.Single().Authorization.ShouldBe("Bearer s3cret-token");
    }

    [Fact]
    public async Task Server_WithATokenFile_SendsWhatTheFileHolds()
    {
        _dir.Write("token", "from-file\n");
        var config = Resolve(new KubernetesOptions { Server = _api.BaseUrl, TokenFile = "token" });

        using var client = new KubernetesClient(config, TimeProvider.System, NoRetries);
        await client.GetRawAsync(KubernetesPaths.Deployment("default", "web"), CancellationToken.None);

        _api.Requests.Single().Authorization.ShouldBe("Bearer from-file");
    }

    [Fact]
    public void Server_WithInsecureSkipTlsVerify_SkipsTheCertificateCheck()
    {
        var config = Resolve(new KubernetesOptions { Server = new Uri("https://127.0.0.1:6443"), InsecureSkipTlsVerify = true });

        (config.Host, config.SkipTlsVerify, config.AccessToken).ShouldBe(("https://127.0.0.1:6443/", true, null));
    }

    [Fact]
    public void Options_ShownAsText_NeverHoldTheToken()
    {
        new KubernetesOptions { Server = _api.BaseUrl, Token = "s3cret-token" }.ToString().ShouldNotContain("s3cret-token");
    }

    [Fact]
    public void Load_KubernetesServer_ReadsTheShortcut()
    {
        _scenario.Write("kube/token", "t");
        var result = _scenario.Load(ConfigSamples.Minimal + "\nkubernetes: {server: 'http://127.0.0.1:6443', token_file: kube/token, insecure_skip_tls_verify: true}\n");

        result.Errors.ShouldBeEmpty();
        var kubernetes = result.Options!.Kubernetes;
        (kubernetes.Server, kubernetes.TokenFile, kubernetes.InsecureSkipTlsVerify).ShouldBe((new Uri("http://127.0.0.1:6443"), Path.Combine(_scenario.Folder, "kube", "token"), true));
    }

    [Theory]
    [InlineData("{server: 'http://127.0.0.1:6443', in_cluster: true}", "kubernetes.server: the server shortcut stands for a kubeconfig: set server or kubeconfig/context/in_cluster, not both")]
    [InlineData("{server: 'http://127.0.0.1:6443', token: a, token_file: kube/token}", "kubernetes.token: set at most one of token and token_file")]
    [InlineData("{token: a}", "kubernetes: token, token_file and insecure_skip_tls_verify go with server (a kubeconfig carries its own)")]
    [InlineData("{server: 'not a url'}", "kubernetes.server: ")]
    public void Load_KubernetesServerMisused_IsAnError(string section, string error)
    {
        _scenario.Write("kube/token", "t");

        var result = _scenario.Load(ConfigSamples.Minimal + $"\nkubernetes: {section}\n");

        result.Errors.Select(e => $"{e.Path}: {e.Message}").ShouldHaveSingleItem().ShouldStartWith(error);
    }

    private KubernetesClientConfiguration Resolve(KubernetesOptions options) =>
        KubernetesServiceCollectionExtensions.ResolveConfig(options, _dir.Path, _ => null);
}
