using System.Text.Json;
using Watchdog.Hosting;

namespace Watchdog.Tests.Hosting;

public sealed class SandboxVerbTests
{
    [Fact]
    public async Task Sandbox_ServesTheSeededCheckoutDeployment_UntilStopped()
    {
        var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = new WatchdogCli().InvokeAsync(["sandbox", "--port", "0"], TextWriter.Synchronized(output), TextWriter.Null, stop.Token);

        await Eventually.HoldsAsync(() => output.ToString().Contains("listening on http://127.0.0.1:", StringComparison.Ordinal), "the sandbox printed its URL");
        var url = output.ToString().Trim().Split(' ')[^1];
        using var http = new HttpClient();
        using var deployment = JsonDocument.Parse(await http.GetStringAsync($"{url}/apis/apps/v1/namespaces/default/deployments/checkout"));
        deployment.RootElement.GetProperty("spec").GetProperty("replicas").GetInt32().ShouldBe(3);
        deployment.RootElement.GetProperty("metadata").GetProperty("annotations").GetProperty("deployment.kubernetes.io/revision").GetString().ShouldBe("1");

        await stop.CancelAsync();
        (await run.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe(0);
        await Should.ThrowAsync<HttpRequestException>(() => http.GetStringAsync($"{url}/version"));
    }
}
