using System.Text;
using Watchdog.Kubernetes;
using Watchdog.Tests.Fakes;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Kubernetes;

public sealed class KubeconfigLoaderTests : IDisposable
{
    private static readonly string Fixtures = RepositoryPaths.Of("tests", "Watchdog.Tests", "Kubernetes", "Fixtures");
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    private static async Task<string?> HeaderAsync(KubernetesClientConfig config, bool refresh = false) =>
        (await config.Credentials!.GetAuthorizationAsync(refresh, CancellationToken.None))?.ToString();

    [Fact]
    public async Task NamedContext_WithATokenUser_GivesServerNamespaceTokenAndInsecureSkip()
    {
        var config = KubeconfigLoader.Load(Path.Combine(Fixtures, "kubeconfig-sample.yml"), "queen-anne-context", _time);

        config.Server.ShouldBe(new Uri("https://pig.org:443"));
        config.Namespace.ShouldBe("saw-ns");
        config.InsecureSkipTlsVerify.ShouldBeTrue();
        (await HeaderAsync(config)).ShouldBe("Bearer black-token");
        config.ToString().ShouldNotContain("black-token");
    }

    [Fact]
    public void CurrentContext_WithMissingCertificateFiles_ReportsEveryMissingFile()
    {
        var error = Should.Throw<KubernetesConfigException>(() => KubeconfigLoader.Load(Path.Combine(Fixtures, "kubeconfig-sample.yml"), null, _time));

        error.Errors.Count.ShouldBe(3);
        error.Errors[0].ShouldContain($"certificate-authority {Path.Combine(Fixtures, "assets/ca.crt")}");
        error.Errors[1].ShouldContain($"client-certificate {Path.Combine(Fixtures, "assets/client.crt")}");
        error.Errors[2].ShouldContain($"client-key {Path.Combine(Fixtures, "assets/client.key")}");
    }

    [Fact]
    public void ContextWithDataThatIsNotBase64_ReportsEachField()
    {
        var error = Should.Throw<KubernetesConfigException>(() => KubeconfigLoader.Load(Path.Combine(Fixtures, "kubeconfig-sample.yml"), "victorian-context", _time));

        error.Errors.ShouldBe(
        [
            $"{Path.Combine(Fixtures, "kubeconfig-sample.yml")}: certificate-authority-data: not base64",
            $"{Path.Combine(Fixtures, "kubeconfig-sample.yml")}: client-certificate-data: not base64",
            $"{Path.Combine(Fixtures, "kubeconfig-sample.yml")}: client-key-data: not base64",
        ]);
    }

    [Fact]
    public void MissingContext_IsAnError()
    {
        var error = Should.Throw<KubernetesConfigException>(() => KubeconfigLoader.Load(Path.Combine(Fixtures, "kubeconfig-sample.yml"), "nope", _time));

        error.Errors.ShouldBe([$"{Path.Combine(Fixtures, "kubeconfig-sample.yml")}: context \"nope\" does not exist"]);
    }

    [Fact]
    public async Task TlsSkipFixture_UsesBasicAuthAndSkipsVerification()
    {
        var config = KubeconfigLoader.Load(Path.Combine(Fixtures, "kubeconfig-tls-skip.yml"), null, _time);

        config.InsecureSkipTlsVerify.ShouldBeTrue();
        config.Namespace.ShouldBe("chisel-ns");
        (await HeaderAsync(config)).ShouldBe("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:secret")));
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

        var config = KubeconfigLoader.Load(path, null, _time);

        config.ClientCertificate!.Thumbprint.ShouldBe(certificate.Thumbprint);
        config.ClientCertificate.HasPrivateKey.ShouldBeTrue();
        config.CertificateAuthorities!.Single().Thumbprint.ShouldBe(certificate.Thumbprint);
        config.Namespace.ShouldBe("default");
        config.Credentials.ShouldBeNull();
    }

    [Fact]
    public void ClientCertificateWithoutKey_IsAnError()
    {
        using var certificate = TestCertificates.Create("watchdog-client");
        var path = _dir.Write("config", $$$"""
            current-context: c
            clusters: [{name: k, cluster: {server: "http://127.0.0.1:8080"}}]
            users: [{name: u, user: {client-certificate-data: {{{TestCertificates.CertificateData(certificate)}}}}}]
            contexts: [{name: c, context: {cluster: k, user: u}}]
            """);

        Should.Throw<KubernetesConfigException>(() => KubeconfigLoader.Load(path, null, _time))
            .Errors.ShouldBe([$"{path}: client-certificate and client-key must be given together"]);
    }

    [Fact]
    public async Task TokenFile_IsReadRelativeToTheKubeconfig_AndReReadAfterAMinute()
    {
        _dir.Write("token", "first\n");
        var path = _dir.Write("config", """
            current-context: c
            clusters: [{name: k, cluster: {server: "http://127.0.0.1:8080"}}]
            users: [{name: u, user: {tokenFile: token}}]
            contexts: [{name: c, context: {cluster: k, user: u, namespace: shop}}]
            """);
        var config = KubeconfigLoader.Load(path, null, _time);
        (await HeaderAsync(config)).ShouldBe("Bearer first");

        _dir.Write("token", "second");
        _time.Advance(TimeSpan.FromSeconds(59));
        (await HeaderAsync(config)).ShouldBe("Bearer first");
        _time.Advance(TimeSpan.FromSeconds(1));
        (await HeaderAsync(config)).ShouldBe("Bearer second");

        _dir.Write("token", "third");
        (await HeaderAsync(config, refresh: true)).ShouldBe("Bearer third");
    }

    [Fact]
    public async Task TokenFile_ThatCannotBeRead_KeepsTheLastToken()
    {
        var token = _dir.Write("token", "kept");
        var credentials = new TokenFileCredentials(token, _time);
        (await credentials.GetAuthorizationAsync(false, CancellationToken.None))!.Parameter.ShouldBe("kept");

        File.Delete(token);
        _time.Advance(TimeSpan.FromMinutes(2));

        (await credentials.GetAuthorizationAsync(false, CancellationToken.None))!.Parameter.ShouldBe("kept");
    }

    [Fact]
    public async Task ExecPlugin_RunsWithItsEnvAndExecInfo_AndCachesTheTokenUntilItExpires()
    {
        var script = WritePlugin("""
            #!/bin/sh
            echo run >> "$RUNS"
            printf '%s' "$KUBERNETES_EXEC_INFO" > "$INFO"
            printf '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"%s-%s","expirationTimestamp":"2026-03-01T13:00:00Z"}}' "$PREFIX" "$(wc -l < "$RUNS" | tr -d ' ')"
            """);
        var config = KubeconfigLoader.Load(ExecKubeconfig(script, "IfAvailable"), null, _time);

        (await HeaderAsync(config)).ShouldBe("Bearer tok-1");
        (await HeaderAsync(config)).ShouldBe("Bearer tok-1");
        File.ReadAllText(Path.Combine(_dir.Path, "info")).ShouldBe("""{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}""");

        _time.Advance(TimeSpan.FromHours(1));
        (await HeaderAsync(config)).ShouldBe("Bearer tok-2");
        (await HeaderAsync(config, refresh: true)).ShouldBe("Bearer tok-3");
    }

    [Fact]
    public async Task ExecPlugin_ThatFails_ReportsItsExitCodeAndError()
    {
        var script = WritePlugin("""
            #!/bin/sh
            echo "no credentials for you" >&2
            exit 3
            """);
        var config = KubeconfigLoader.Load(ExecKubeconfig(script, "Never"), null, _time);

        var error = await Should.ThrowAsync<KubernetesConfigException>(async () => await HeaderAsync(config));

        error.Message.ShouldContain("exited with 3: no credentials for you");
    }

    [Fact]
    public void ExecPlugin_WithoutInteractiveMode_IsRejectedLikeClientGo()
    {
        var error = Should.Throw<KubernetesConfigException>(() => KubeconfigLoader.Load(ExecKubeconfig("/bin/true", null), null, _time));

        error.Errors.ShouldBe([$"{Path.Combine(_dir.Path, "config")}: exec plugin cannot support interactive mode: unknown interactiveMode: \"\""]);
    }

    [Theory]
    [InlineData("""{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","status":{"token":"x"}}""", "plugin returned version client.authentication.k8s.io/v1beta1")]
    [InlineData("""{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1"}""", "exec plugin didn't return a status field")]
    [InlineData("""{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{}}""", "exec plugin didn't return a token or cert/key pair")]
    [InlineData("""{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"x","clientKeyData":"k"}}""", "only one of clientCertificateData and clientKeyData")]
    public void ExecCredentialAnswer_FailingClientGosChecks_IsRejected(string output, string expected)
    {
        Should.Throw<KubernetesConfigException>(() => ExecCredentialPlugin.Parse(output, ExecCredentialPlugin.ApiVersionV1)).Message.ShouldContain(expected);
    }

    [Fact]
    public void InCluster_UsesTheServiceEnvironment_TheTokenFileAndTheNamespaceFile()
    {
        _dir.Write("sa/token", "sa-token");
        _dir.Write("sa/namespace", "shop\n");
        var env = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "fd00::1", ["KUBERNETES_SERVICE_PORT"] = "443" };

        var config = InClusterConfigLoader.Load(env.GetValueOrDefault, _time, Path.Combine(_dir.Path, "sa"));

        config.Server.ShouldBe(new Uri("https://[fd00::1]:443"));
        config.Namespace.ShouldBe("shop");
        config.Credentials.ShouldBeOfType<TokenFileCredentials>().Path.ShouldBe(Path.Combine(_dir.Path, "sa", "token"));
        Should.Throw<KubernetesConfigException>(() => InClusterConfigLoader.Load(_ => null, _time, _dir.Path)).Message.ShouldContain("not in a cluster");
    }

    [Fact]
    public void ResolveConfig_PrefersAnExplicitKubeconfigRelativeToTheConfigFolder()
    {
        File.Copy(Path.Combine(Fixtures, "kubeconfig-tls-skip.yml"), Path.Combine(_dir.Path, "kc.yml"));
        var env = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "10.0.0.1", ["KUBERNETES_SERVICE_PORT"] = "443" };

        var config = KubernetesServiceCollectionExtensions.ResolveConfig(new KubernetesOptions { Kubeconfig = "kc.yml" }, _dir.Path, env.GetValueOrDefault, _time);

        config.Server.ShouldBe(new Uri("https://horse.org:443"));
    }

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

    private string ExecKubeconfig(string command, string? interactiveMode) => _dir.Write("config", $$$"""
        current-context: c
        clusters: [{name: k, cluster: {server: "http://127.0.0.1:8080"}}]
        users:
        - name: u
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: {{{command}}}
              {{{(interactiveMode is null ? "" : "interactiveMode: " + interactiveMode)}}}
              env:
              - {name: PREFIX, value: tok}
              - {name: RUNS, value: {{{Path.Combine(_dir.Path, "runs")}}}}
              - {name: INFO, value: {{{Path.Combine(_dir.Path, "info")}}}}
        contexts: [{name: c, context: {cluster: k, user: u}}]
        """);
}
