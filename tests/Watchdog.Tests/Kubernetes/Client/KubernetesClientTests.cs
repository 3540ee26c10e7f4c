using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Watchdog.Configuration;
using Watchdog.Kubernetes;
using Watchdog.Tests.Fakes;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Kubernetes.Client;

public sealed class KubernetesClientTests : IAsyncLifetime
{
    private static readonly KubernetesRetryOptions FastRetries = new() { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(1), AttemptTimeout = TimeSpan.FromSeconds(5) };
    private FakeKubernetesApi _api = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        _api.SeedDeployment("web", current: 3, revisions: 3);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private KubernetesClient Client() =>
        new(new k8s.KubernetesClientConfiguration { Host = _api.BaseUrl.AbsoluteUri }, TimeProvider.System, FastRetries);

    [Fact]
    public async Task ServiceUnavailableThenOk_IsRetried_AndSucceeds()
    {
        _api.Scripted.Enqueue((503, FakeKubernetesApi.StatusBody(503, "ServiceUnavailable", "etcd is sad")));
        _api.Scripted.Enqueue((429, FakeKubernetesApi.StatusBody(429, "TooManyRequests", "slow down")));
        using var client = Client();

        var deployment = await client.GetDeploymentAsync("default", "web", CancellationToken.None);

        deployment.Metadata.Name.ShouldBe("web");
        _api.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task ServerErrorsBeyondTheRetries_EndInTheTypedError()
    {
        for (var i = 0; i < 5; i++)
        {
            _api.Scripted.Enqueue((500, FakeKubernetesApi.StatusBody(500, "InternalError", "boom")));
        }

        using var client = Client();

        var error = await Should.ThrowAsync<KubernetesStatusException>(() => client.GetDeploymentAsync("default", "web", CancellationToken.None));

        error.Code.ShouldBe(500);
        error.IsTransient.ShouldBeTrue();
        _api.Requests.Count.ShouldBe(4); // the first try and 3 retries
    }

    [Fact]
    public async Task NotFound_IsNotRetried_AndCarriesTheStatus()
    {
        using var client = Client();

        var error = await Should.ThrowAsync<KubernetesStatusException>(() => client.GetDeploymentAsync("default", "gone", CancellationToken.None));

        error.Code.ShouldBe(404);
        error.Reason.ShouldBe("NotFound");
        error.Message.ShouldBe("deployments.apps \"gone\" not found");
        error.Status.Details!["kind"]!.GetValue<string>().ShouldBe("deployments");
        _api.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Invalid_IsNotRetried()
    {
        var body = File.ReadAllText(RepositoryPaths.Of("tests", "Watchdog.Tests", "Kubernetes", "Fixtures", "status-422-invalid.json"));
        _api.Scripted.Enqueue((422, body));
        using var client = Client();

        var error = await Should.ThrowAsync<KubernetesStatusException>(() => client.GetDeploymentAsync("default", "web", CancellationToken.None));

        error.Reason.ShouldBe("Invalid");
        _api.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Conflict_IsNotRetried()
    {
        _api.Scripted.Enqueue((409, File.ReadAllText(RepositoryPaths.Of("tests", "Watchdog.Tests", "Kubernetes", "Fixtures", "status-409-conflict.json"))));
        using var client = Client();

        var error = await Should.ThrowAsync<KubernetesStatusException>(() => client.GetDeploymentAsync("default", "web", CancellationToken.None));

        error.Reason.ShouldBe("Conflict");
        _api.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task APatchWithoutAPrecondition_AnsweredWithA503_IsSentOnce()
    {
        // Sent again, a plain PATCH could overwrite a change another writer made after the lost first attempt.
        _api.Scripted.Enqueue((503, FakeKubernetesApi.StatusBody(503, "ServiceUnavailable", "etcd is sad")));
        using var client = Client();

        var error = await Should.ThrowAsync<KubernetesStatusException>(() => client.PatchScaleAsync(KubernetesPaths.Deployment("default", "web"), 3, CancellationToken.None));

        error.Code.ShouldBe(503);
        _api.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task APreconditionedPatch_AnsweredWithA503_IsRetried()
    {
        _api.Scripted.Enqueue((503, FakeKubernetesApi.StatusBody(503, "ServiceUnavailable", "etcd is sad")));
        using var client = Client();

        await client.PatchAsync(
            KubernetesPaths.Deployment("default", "web"), KubernetesPatchType.Json, """[{"op":"replace","path":"/spec/replicas","value":2}]""", Watchdog.Kubernetes.KubernetesJsonContext.Default.Deployment, preconditioned: true, CancellationToken.None);

        _api.Requests.Count.ShouldBe(2);
        _api.Requests.ShouldAllBe(r => r.Method == "PATCH");
    }

    [Fact]
    public async Task APost_AnsweredWithA503_IsSentOnce()
    {
        _api.Scripted.Enqueue((503, FakeKubernetesApi.StatusBody(503, "ServiceUnavailable", "etcd is sad")));
        using var client = Client();

        var error = await Should.ThrowAsync<KubernetesStatusException>(() => client.SendAsync(HttpMethod.Post, KubernetesPaths.Events("default"), "{}", "application/json", CancellationToken.None));

        error.Code.ShouldBe(503);
        _api.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task APatchTypeTheResourceRefuses_IsUnsupportedMediaType()
    {
        using var client = Client();

        var error = await Should.ThrowAsync<KubernetesStatusException>(() => client.PatchAsync(
            KubernetesPaths.Deployment("default", "web"), KubernetesPatchType.StrategicMerge, """{"spec":{"replicas":1}}""", Watchdog.Kubernetes.KubernetesJsonContext.Default.Deployment, preconditioned: false, CancellationToken.None));

        error.Code.ShouldBe(415);
        error.Reason.ShouldBe("UnsupportedMediaType");
        _api.Requests.Single().ContentType.ShouldStartWith("application/strategic-merge-patch+json");
    }

    [Fact]
    public async Task ABodyThatIsNotAStatus_StillGivesTheReasonForTheCode()
    {
        using var client = Client();

        var error = await Should.ThrowAsync<KubernetesStatusException>(() => client.GetRawAsync("/apis/nothing.example.com/v1/things", CancellationToken.None));

        error.Reason.ShouldBe("NotFound");
        error.Message.ShouldBe("404 page not found");
    }

    [Fact]
    public async Task ListAll_FollowsContinueTokens_WithTheSelector()
    {
        _api.PageSize = 2;
        using var client = Client();

        var items = await client.ListAllAsync(KubernetesPaths.ReplicaSets("default"), new KubernetesListOptions { LabelSelector = "app=web" }, Watchdog.Kubernetes.KubernetesJsonContext.Default.KubernetesListReplicaSet, CancellationToken.None);

        items.Select(i => i.Metadata.Name).ShouldBe(["web-1aaa", "web-2aaa", "web-3aaa", "web-stranger"]);
        _api.Requests.Select(r => r.Query).ShouldBe(["?labelSelector=app%3Dweb", "?labelSelector=app%3Dweb&continue=2"]);
    }

    [Fact]
    public async Task List_SendsFieldSelectorAndLimit()
    {
        using var client = Client();

        await client.ListAsync(KubernetesPaths.ReplicaSets("default"), new KubernetesListOptions { FieldSelector = "metadata.name=web-1aaa", Limit = 10 }, Watchdog.Kubernetes.KubernetesJsonContext.Default.KubernetesListReplicaSet, CancellationToken.None);

        _api.Requests.Single().Query.ShouldBe("?fieldSelector=metadata.name%3Dweb-1aaa&limit=10");
    }

    [Fact]
    public async Task PatchScale_SendsKubectlsMergePatchToTheScaleSubresource()
    {
        _api.Scripted.Enqueue((200, File.ReadAllText(RepositoryPaths.Of("tests", "Watchdog.Tests", "Kubernetes", "Fixtures", "shape-autoscaling.v1.Scale.json"))));
        using var client = Client();

        var scale = await client.PatchScaleAsync(KubernetesPaths.Deployment("default", "web"), 5, CancellationToken.None);

        scale.Spec.Replicas.ShouldBe(1);
        var request = _api.Requests.Single();
        (request.Method, request.Path, request.Body).ShouldBe(("PATCH", "/apis/apps/v1/namespaces/default/deployments/web/scale", """{"spec":{"replicas":5}}"""));
        request.ContentType.ShouldStartWith("application/merge-patch+json");
    }

    [Fact]
    public async Task Unauthorized_IsNotRetried_AndCarriesTheStatus()
    {
        _api.Scripted.Enqueue((401, FakeKubernetesApi.StatusBody(401, "Unauthorized", "Unauthorized")));
        using var client = Client();

        var error = await Should.ThrowAsync<KubernetesStatusException>(() => client.GetRawAsync(KubernetesPaths.Deployment("default", "web"), CancellationToken.None));

        error.Code.ShouldBe(401);
        _api.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task ATokenFileThatCannotBeRead_IsAConfigurationError_AndNothingIsSent()
    {
        var config = new k8s.KubernetesClientConfiguration { Host = _api.BaseUrl.AbsoluteUri, TokenProvider = new k8s.Authentication.TokenFileAuth("/nonexistent/token") };
        using var client = new KubernetesClient(config, TimeProvider.System, FastRetries);

        var error = await Should.ThrowAsync<KubernetesConfigException>(() => client.GetRawAsync("/version", CancellationToken.None));

        error.Message.ShouldContain("credentials: ");
        error.Message.ShouldContain("/nonexistent/token");
        _api.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task UnreachableServer_IsRetried_ThenReportedAsUnavailable()
    {
        using var client = new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = (new Uri("http://127.0.0.1:1")).AbsoluteUri }, TimeProvider.System, FastRetries);

        var error = await Should.ThrowAsync<KubernetesUnavailableException>(() => client.GetRawAsync("/version", CancellationToken.None));

        error.Message.ShouldStartWith("GET http://127.0.0.1:1/version: ");
    }

    [Fact]
    public async Task Https_WithInsecureSkipTlsVerify_TalksToASelfSignedServer_AndWithoutItRefuses()
    {
        using var certificate = TestCertificates.Create("fake-apiserver");
        await using var server = await StartHttpsAsync(certificate);

        using var skipping = new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = server.Url.AbsoluteUri, SkipTlsVerify = true }, TimeProvider.System, FastRetries);
        (await skipping.GetRawAsync("/version", CancellationToken.None)).ShouldBe("""{"gitVersion":"v1.30.0"}""");

        using var trusting = new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = server.Url.AbsoluteUri, SslCaCerts = [certificate] }, TimeProvider.System, FastRetries);
        (await trusting.GetRawAsync("/version", CancellationToken.None)).ShouldBe("""{"gitVersion":"v1.30.0"}""");

        using var strict = new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = server.Url.AbsoluteUri }, TimeProvider.System, FastRetries with { MaxRetries = 0 });
        await Should.ThrowAsync<KubernetesUnavailableException>(() => strict.GetRawAsync("/version", CancellationToken.None));
    }

    [Fact]
    public async Task Https_WithAKubeconfigsCaAndClientCertificate_PresentsTheCertificateToTheServer()
    {
        using var serverCertificate = TestCertificates.Create("fake-apiserver");
        using var clientCertificate = TestCertificates.Create("watchdog-client");
        await using var server = await StartHttpsAsync(serverCertificate, requireClientCertificate: true);
        using var dir = new TempDirectory();
        var kubeconfig = dir.Write("config", $$$"""
            current-context: c
            clusters: [{name: k, cluster: {server: "{{{server.Url}}}", certificate-authority-data: {{{TestCertificates.CertificateData(serverCertificate)}}}}}]
            users: [{name: u, user: {client-certificate-data: {{{TestCertificates.CertificateData(clientCertificate)}}}, client-key-data: {{{TestCertificates.KeyData(clientCertificate)}}}}}]
            contexts: [{name: c, context: {cluster: k, user: u}}]
            """);
        var config = KubernetesServiceCollectionExtensions.ResolveConfig(new KubernetesOptions { Kubeconfig = kubeconfig }, dir.Path, _ => null);
        using var client = new KubernetesClient(config, TimeProvider.System, FastRetries with { MaxRetries = 0 });

        (await client.GetRawAsync("/version", CancellationToken.None)).ShouldBe("CN=watchdog-client");
    }

    private static Task<LoopbackServer> StartHttpsAsync(X509Certificate2 certificate, bool requireClientCertificate = false) =>
        LoopbackServer.StartAsync(
            app => app.Run(context => context.Response.WriteAsync(requireClientCertificate ? context.Connection.ClientCertificate?.Subject ?? "none" : """{"gitVersion":"v1.30.0"}""")),
            configureListen: listen => listen.UseHttps(https =>
            {
                https.ServerCertificate = certificate;
                if (requireClientCertificate)
                {
                    https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.RequireCertificate;
                    https.AllowAnyClientCertificate();
                }
            }));
}
