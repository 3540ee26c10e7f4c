using System.Diagnostics;

namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary>Runs the real kubectl against a server over plain HTTP, with an empty kubeconfig and a fresh discovery cache, in namespace <paramref name="ns"/>.</summary>
internal sealed class Kubectl(Uri server, string home, string ns = "default")
{
    public const string Path = "/usr/bin/kubectl";

    public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["HOME"] = home;
        start.Environment["KUBECONFIG"] = "/dev/null";
        foreach (var arg in new[] { "--server", server.GetLeftPart(UriPartial.Authority), "--cache-dir", System.IO.Path.Combine(home, "cache"), "-n", ns }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish within 30 s");
        }

        return (process.ExitCode, await output, await error);
    }
}
