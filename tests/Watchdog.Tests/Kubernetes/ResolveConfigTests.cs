using System.Text;
using k8s;
using Watchdog.Configuration;
using Watchdog.Kubernetes;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Kubernetes;

/// <summary>
/// The kubeconfig, its contexts and credentials as the official client reads them, through Watchdog's
/// <see cref="KubernetesServiceCollectionExtensions.ResolveConfig"/>: what the server receives, and errors that name the file.
/// </summary>
public sealed class ResolveConfigTests : IAsyncLifetime, IDisposable
{
    private static readonly string Fixtures = RepositoryPaths.Of("tests", "Watchdog.Tests", "Kubernetes", "Fixtures");
    private static readonly KubernetesRetryOptions NoRetries = new() { MaxRetries = 0, BaseDelay = TimeSpan.FromMilliseconds(1), AttemptTimeout = TimeSpan.FromSeconds(10) };
    private static readonly Func<string, string?> NoEnvironment = _ => null;
    private readonly TempDirectory _dir = new();
    private FakeKubernetesApi _api = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        _api.SeedDeployment("web", current: 1, revisions: 1);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void NamedContext_WithATokenUser_GivesServerNamespaceTokenAndInsecureSkip()
    {
        var config = Resolve(Path.Combine(Fixtures, "kubeconfig-sample.yml"), "queen-anne-context");

        config.Host.ShouldBe("https://pig.org:443");
        config.Namespace.ShouldBe("saw-ns");
        config.SkipTlsVerify.ShouldBeTrue();
        config.AccessToken.ShouldBe("black-token");
    }

    [Fact]
    public void CurrentContext_WithAMissingCertificateAuthorityFile_NamesTheKubeconfigAndTheMissingFile()
    {
        var kubeconfig = Path.Combine(Fixtures, "kubeconfig-sample.yml");

        var error = Should.Throw<KubernetesConfigException>(() => Resolve(kubeconfig, null));

        error.Errors.Single().ShouldStartWith($"{kubeconfig}: ");
        error.Errors.Single().ShouldContain(Path.Combine(Fixtures, "assets", "ca.crt"));
    }

    [Fact]
    public void ContextWithDataThatIsNotBase64_IsAnErrorNamingTheKubeconfig()
    {
        var kubeconfig = Path.Combine(Fixtures, "kubeconfig-sample.yml");

        Should.Throw<KubernetesConfigException>(() => Resolve(kubeconfig, "victorian-context")).Errors.Single().ShouldStartWith($"{kubeconfig}: ");
    }

    [Fact]
    public void MissingContext_IsAnErrorNamingTheContext()
    {
        var kubeconfig = Path.Combine(Fixtures, "kubeconfig-sample.yml");

        Should.Throw<KubernetesConfigException>(() => Resolve(kubeconfig, "nope"))
            .Errors.ShouldBe([$"{kubeconfig}: CurrentContext: nope not found in contexts in kubeconfig"]);
    }

    [Fact]
    public void MissingFile_AndGarbage_AreErrorsNamingTheFile()
    {
        var missing = Path.Combine(_dir.Path, "absent");
        var garbage = _dir.Write("garbage", "{{{ this is not a kubeconfig");

        Should.Throw<KubernetesConfigException>(() => Resolve(missing, null)).Message.ShouldBe($"Kubernetes client configuration: {missing}: kubeconfig file not found at {missing}");
        Should.Throw<KubernetesConfigException>(() => Resolve(garbage, null)).Message.ShouldStartWith($"Kubernetes client configuration: {garbage}: not a kubeconfig: ");
    }

    [Fact]
    public async Task TokenUser_IsSentAsABearerToken()
    {
        var config = Resolve(Kubeconfig("{token: black-token}"), null);

        using var client = await GetAsync(config);

        _api.Requests.Single().Authorization.ShouldBe("Bearer black-token");
    }

    [Fact]
    public async Task BasicAuthUser_IsSentAsBasic_AndTheContextsNamespaceIsKept()
    {
        var config = Resolve(Kubeconfig("{username: admin, password: secret}", ns: "chisel-ns"), null);

        using var client = await GetAsync(config);

        client.Namespace.ShouldBe("chisel-ns");
        _api.Requests.Single().Authorization.ShouldBe("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:secret")));
    }

    [Fact]
    public async Task UserWithoutCredentials_IsAnonymousAsWithKubectl()
    {
        var config = Resolve(Kubeconfig("{}"), null);

        using var client = await GetAsync(config);

        _api.Requests.Single().Authorization.ShouldBeNull();
    }

    [Fact]
    public async Task TokenFile_IsReadRelativeToTheKubeconfig_AndSentAsABearerToken()
    {
        _dir.Write("token", "from-file\n");

        var config = Resolve(Kubeconfig("{tokenFile: token}"), null);

        using var client = await GetAsync(config);
        _api.Requests.Single().Authorization.ShouldBe("Bearer from-file");
    }

    [Fact]
    public void ClientCertificateAndCaData_LoadTheCertificateWithItsKey_AndTheTrustRoot()
    {
        using var certificate = TestCertificates.Create("watchdog-client");
        var path = _dir.Write("config", $$$"""
            apiVersion: v1
            kind: Config
            current-context: c
            clusters: [{name: k, cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: {{{TestCertificates.CertificateData(certificate)}}}}}]
            users: [{name: u, user: {client-certificate-data: {{{TestCertificates.CertificateData(certificate)}}}, client-key-data: {{{TestCertificates.KeyData(certificate)}}}}}]
            contexts: [{name: c, context: {cluster: k, user: u}}]
            """);

        var config = Resolve(path, null);
        using var client = new KubernetesClient(config, TimeProvider.System, NoRetries);

        config.SslCaCerts!.Single().Thumbprint.ShouldBe(certificate.Thumbprint);
        config.ClientCertificateData.ShouldNotBeNullOrEmpty();
        config.AccessToken.ShouldBeNull();
        client.Namespace.ShouldBe("default");
    }

    [Fact]
    public void ClientCertificateWithoutKey_LeavesTheUserWithoutCredentials_AndIsAnError()
    {
        using var certificate = TestCertificates.Create("watchdog-client");
        var path = Kubeconfig($"{{client-certificate-data: {TestCertificates.CertificateData(certificate)}}}");

        Should.Throw<KubernetesConfigException>(() => Resolve(path, null))
            .Errors.ShouldBe([$"{path}: User: u does not have appropriate auth credentials in kubeconfig"]);
    }

    [Fact]
    public void ClientCertificateThatIsNoCertificate_IsAnErrorNamingTheKubeconfig()
    {
        var notPem = Convert.ToBase64String(Encoding.UTF8.GetBytes("not a certificate"));
        var path = Kubeconfig($"{{client-certificate-data: {notPem}, client-key-data: {notPem}}}");

        Should.Throw<KubernetesConfigException>(() => Resolve(path, null)).Errors.Single().ShouldStartWith($"{path}: ");
    }

    [Fact]
    public async Task ExecPlugin_RunsWithItsEnvAndExecInfo_AndItsTokenIsSent_AndCachedAfterTheFirstRequest()
    {
        var script = WritePlugin("""
            #!/bin/sh
            echo run >> "$RUNS"
            printf '%s' "$KUBERNETES_EXEC_INFO" > "$INFO"
            printf '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"%s-token","expirationTimestamp":"2999-01-01T00:00:00Z"}}' "$PREFIX"
            """);
        var config = Resolve(ExecKubeconfig(script), null);

        using var client = await GetAsync(config);
        await client.GetRawAsync(KubernetesPaths.Deployment("default", "web"), CancellationToken.None);
        await client.GetRawAsync(KubernetesPaths.Deployment("default", "web"), CancellationToken.None);

        _api.Requests.Select(r => r.Authorization).ShouldBe(["Bearer tok-token", "Bearer tok-token", "Bearer tok-token"]);
        // The library runs it for the configuration and again for its first request; then the token is cached.
        File.ReadAllLines(Path.Combine(_dir.Path, "runs")).Length.ShouldBe(2);
        File.ReadAllText(Path.Combine(_dir.Path, "info")).ShouldContain("\"apiVersion\":\"client.authentication.k8s.io/v1\"");
    }

    [Fact]
    public void ExecPlugin_ThatFails_IsAnErrorNamingTheKubeconfig()
    {
        var script = WritePlugin("""
            #!/bin/sh
            echo "no credentials for you" >&2
            exit 3
            """);
        var path = ExecKubeconfig(script);

        var error = Should.Throw<KubernetesConfigException>(() => Resolve(path, null));

        error.Errors.Single().ShouldStartWith($"{path}: external exec failed");
    }

    [Theory]
    [InlineData("""{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","status":{"token":"x"}}""", "api version client.authentication.k8s.io/v1beta1 does not match client.authentication.k8s.io/v1")]
    [InlineData("""{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{}}""", "missing token or clientCertificateData")]
    public void ExecCredentialAnswer_FailingTheChecks_IsRejected(string output, string expected)
    {
        var script = WritePlugin($"#!/bin/sh\ncat <<'JSON'\n{output}\nJSON");

        Should.Throw<KubernetesConfigException>(() => Resolve(ExecKubeconfig(script), null)).Message.ShouldContain(expected);
    }

    [Fact]
    public void ExecCredentialResponseFixture_GivesItsToken()
    {
        var script = WritePlugin($"#!/bin/sh\ncat '{Path.Combine(Fixtures, "execcredential-v1-response.json")}'");

        Resolve(ExecKubeconfig(script), null).AccessToken.ShouldBe("foo-bar");
    }

    [Fact]
    public void InCluster_OutsideAPod_IsAnErrorSayingSo()
    {
        // The library reads the real environment and /var/run/secrets; this machine is no pod.
        KubernetesClientConfiguration.IsInCluster().ShouldBeFalse();

        var error = Should.Throw<KubernetesConfigException>(() => KubernetesServiceCollectionExtensions.ResolveConfig(new KubernetesOptions { InCluster = true }, _dir.Path, NoEnvironment));

        error.Errors.Single().ShouldStartWith("in-cluster service account: Unable to load in-cluster configuration");
    }

    [Fact]
    public void ResolveConfig_PrefersAnExplicitKubeconfigRelativeToTheConfigFolder()
    {
        File.Copy(Path.Combine(Fixtures, "kubeconfig-tls-skip.yml"), Path.Combine(_dir.Path, "kc.yml"));
        var env = new Dictionary<string, string> { ["KUBECONFIG"] = Path.Combine(Fixtures, "kubeconfig-sample.yml") };

        var config = KubernetesServiceCollectionExtensions.ResolveConfig(new KubernetesOptions { Kubeconfig = "kc.yml" }, _dir.Path, env.GetValueOrDefault);

        config.Host.ShouldBe("https://horse.org:443");
    }

    [Fact]
    public void ResolveConfig_WithoutAKubeconfig_UsesTheFirstFileOfKUBECONFIG()
    {
        var env = new Dictionary<string, string> { ["KUBECONFIG"] = Path.Combine(Fixtures, "kubeconfig-tls-skip.yml") + Path.PathSeparator + Path.Combine(Fixtures, "kubeconfig-sample.yml") };

        var config = KubernetesServiceCollectionExtensions.ResolveConfig(new KubernetesOptions(), _dir.Path, env.GetValueOrDefault);

        (config.Host, config.Namespace, config.Username).ShouldBe(("https://horse.org:443", "chisel-ns", "admin"));
    }

    private static KubernetesClientConfiguration Resolve(string kubeconfig, string? context) =>
        KubernetesServiceCollectionExtensions.ResolveConfig(new KubernetesOptions { Kubeconfig = kubeconfig, Context = context }, "/", NoEnvironment);

    private static async Task<KubernetesClient> GetAsync(KubernetesClientConfiguration config)
    {
        var client = new KubernetesClient(config, TimeProvider.System, NoRetries);
        await client.GetRawAsync(KubernetesPaths.Deployment("default", "web"), CancellationToken.None);
        return client;
    }

    private string Kubeconfig(string user, string? ns = null) => _dir.Write("config", $$$"""
        current-context: c
        clusters: [{name: k, cluster: {server: "{{{_api.BaseUrl}}}"}}]
        users: [{name: u, user: {{{user}}}}]
        contexts: [{name: c, context: {cluster: k, user: u{{{(ns is null ? "" : ", namespace: " + ns)}}}}}]
        """);

    private string WritePlugin(string text)
    {
        var path = _dir.Write("plugin.sh", text.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        // The plugin tests run a /bin/sh script: Linux and macOS only, like the project.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    private string ExecKubeconfig(string command) => _dir.Write("config", $$$"""
        current-context: c
        clusters: [{name: k, cluster: {server: "{{{_api.BaseUrl}}}"}}]
        users:
        - name: u
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: {{{command}}}
              interactiveMode: Never
              env:
              - {name: PREFIX, value: tok}
              - {name: RUNS, value: {{{Path.Combine(_dir.Path, "runs")}}}}
              - {name: INFO, value: {{{Path.Combine(_dir.Path, "info")}}}}
        contexts: [{name: c, context: {cluster: k, user: u}}]
        """);
}
