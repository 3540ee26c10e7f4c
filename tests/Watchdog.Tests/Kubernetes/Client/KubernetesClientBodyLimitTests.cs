using Watchdog.Configuration;
using Watchdog.Kubernetes;
using Watchdog.Tests.TestSupport;

namespace Watchdog.Tests.Kubernetes.Client;

/// <summary>The API server's answers are read as a stream, never past the client's limit.</summary>
public sealed class KubernetesClientBodyLimitTests
{
    private const long MiB = 1024 * 1024;

    // Valid JSON however many spaces follow: read whole, a huge answer would be a deployment like any other.
    private const string Deployment = """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"}}""";

    private static readonly KubernetesRetryOptions FastRetries = new() { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(1), AttemptTimeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task GetDeployment_AnswerLargerThanTheDefault16MiB_IsUnavailableAndNotAskedAgain()
    {
        await using var server = await StreamingBodyServer.StartAsync(new StreamedAnswer(200 * MiB, Prefix: Deployment));
        using var client = new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = server.BaseUrl.AbsoluteUri }, TimeProvider.System, FastRetries);

        var error = await Should.ThrowAsync<KubernetesUnavailableException>(() => client.GetDeploymentAsync("default", "web", CancellationToken.None));

        error.Message.ShouldBe($"GET {server.BaseUrl}apis/apps/v1/namespaces/default/deployments/web: answer larger than 16 MiB");
        server.Requests.ShouldBe(1);
        await Eventually.HoldsAsync(() => server.Finished == 1, "the server stopped sending");
        server.BytesSent.ShouldBeLessThan(100 * MiB, "the rest of the answer was never taken");
    }

    [Fact]
    public async Task GetDeployment_DeclaredLengthOverAGivenLimit_IsUnavailable()
    {
        await using var server = await StreamingBodyServer.StartAsync(new StreamedAnswer(2 * MiB, DeclareLength: true, Prefix: Deployment));
        using var client = new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = server.BaseUrl.AbsoluteUri }, TimeProvider.System, FastRetries, maxResponseBytes: MiB);

        var error = await Should.ThrowAsync<KubernetesUnavailableException>(() => client.GetDeploymentAsync("default", "web", CancellationToken.None));

        error.Message.ShouldEndWith(": answer larger than 1 MiB");
    }

    [Fact]
    public async Task GetDeployment_AnswerWithinTheLimit_IsRead()
    {
        await using var server = await StreamingBodyServer.StartAsync(new StreamedAnswer(3 * MiB, Prefix: Deployment));
        using var client = new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = server.BaseUrl.AbsoluteUri }, TimeProvider.System, FastRetries);

        var deployment = await client.GetDeploymentAsync("default", "web", CancellationToken.None);

        deployment.Metadata.Name.ShouldBe("web");
    }

    [Fact]
    public async Task GetDeployment_EndlessSlowAnswer_EndsAtTheAttemptTimeout()
    {
        await using var server = await StreamingBodyServer.StartAsync(new StreamedAnswer(null, Prefix: Deployment, Pause: TimeSpan.FromMilliseconds(20), ChunkSize: 256));
        var once = new KubernetesRetryOptions { MaxRetries = 0, AttemptTimeout = TimeSpan.FromSeconds(1) };
        using var client = new KubernetesClient(new k8s.KubernetesClientConfiguration { Host = server.BaseUrl.AbsoluteUri }, TimeProvider.System, once);

        var error = await Should.ThrowAsync<KubernetesUnavailableException>(() => client.GetDeploymentAsync("default", "web", CancellationToken.None));

        error.Message.ShouldEndWith(": no answer within 1 s");
        await Eventually.HoldsAsync(() => server.Finished == 1, "the endless answer was cut off");
    }
}
