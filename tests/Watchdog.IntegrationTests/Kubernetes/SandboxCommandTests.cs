using System.Diagnostics;
using System.Text.Json.Nodes;
using Watchdog.Sandbox;

namespace Watchdog.IntegrationTests.Kubernetes;

public sealed class SandboxCommandTests
{
    [Fact]
    public async Task Sandbox_serves_the_seeded_checkout_deployment_db_statefulset_and_node_agent_daemonset_until_cancelled()
    {
        using var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = SandboxCommand.RunAsync(0, TextWriter.Synchronized(output), stop.Token);
        await Eventually.HoldsAsync(() => output.ToString().Contains("listening on", StringComparison.Ordinal), "the sandbox prints its URL");

        var line = output.ToString().Trim();
        line.ShouldMatch(@"^Kubernetes API simulator listening on http://127\.0\.0\.1:\d+$");
        using var http = new HttpClient { BaseAddress = new Uri(line["Kubernetes API simulator listening on ".Length..]) };
        var checkout = JsonNode.Parse(await http.GetStringAsync(new Uri("/apis/apps/v1/namespaces/default/deployments/checkout", UriKind.Relative)))!;
        checkout["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>().ShouldBe("1");
        checkout["spec"]!["replicas"]!.GetValue<int>().ShouldBe(3);
        checkout["status"]!["availableReplicas"]!.GetValue<int>().ShouldBe(3);
        checkout["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>().ShouldBe("checkout:1.0");
        var db = JsonNode.Parse(await http.GetStringAsync(new Uri("/apis/apps/v1/namespaces/default/statefulsets/db", UriKind.Relative)))!;
        db["status"]!["updateRevision"]!.GetValue<string>().ShouldStartWith("db-");
        var agent = JsonNode.Parse(await http.GetStringAsync(new Uri("/apis/apps/v1/namespaces/default/daemonsets/node-agent", UriKind.Relative)))!;
        agent["status"]!["numberAvailable"]!.GetValue<int>().ShouldBe(3);

        // An open watch must not keep the sandbox from stopping.
        using var watch = await http.GetAsync(new Uri("/apis/apps/v1/namespaces/default/deployments?watch=true&resourceVersion=1", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        watch.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task The_sandbox_process_stops_cleanly_on_a_signal(string signal)
    {
        // A shell's background job inherits SIGINT ignored, and .NET keeps an ignored SIGINT ignored; env restores the
        // default so the test sees the sandbox's own handling however the suite was started (env execs, same PID).
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--default-signal=INT", "dotnet", Path.Combine(AppContext.BaseDirectory, "watchdog.dll"), "sandbox", "--port", "0" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        try
        {
            var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            first.ShouldNotBeNull();
            first.ShouldStartWith("Kubernetes API simulator listening on http://127.0.0.1:");

            using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(deadline.Token);
            process.ExitCode.ShouldBe(0, await process.StandardError.ReadToEndAsync());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
