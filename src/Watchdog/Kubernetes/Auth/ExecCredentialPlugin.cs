using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Watchdog.Kubernetes;

/// <summary>
/// A kubeconfig <c>exec</c> plugin (client-go exec.go): runs the command with the parent environment, the
/// configured <c>env</c> and <c>KUBERNETES_EXEC_INFO</c>, parses the ExecCredential it prints, and caches the token
/// until <c>expirationTimestamp</c> (forever when absent) or a 401.
/// </summary>
internal sealed class ExecCredentialPlugin(KubeconfigExec exec, string workingDirectory, TimeProvider time) : IKubernetesCredentials, IDisposable
{
    public const string ApiVersionV1 = "client.authentication.k8s.io/v1";

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset? _expires;

    public async ValueTask<AuthenticationHeaderValue?> GetAuthorizationAsync(bool refresh, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is null || refresh || (_expires is { } expires && time.GetUtcNow() >= expires))
            {
                var status = await RunAsync(cancellationToken);
                _token = status.Token;
                _expires = status.ExpirationTimestamp;
            }

            return new AuthenticationHeaderValue("Bearer", _token);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<ExecCredentialStatus> RunAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(exec.Command!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in exec.Args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var variable in exec.Env)
        {
            start.Environment[variable.Name] = variable.Value;
        }

        start.Environment["KUBERNETES_EXEC_INFO"] =
            $$$"""{"kind":"ExecCredential","apiVersion":"{{{exec.ApiVersion}}}","spec":{"interactive":false}}""";

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new KubernetesConfigException([$"exec plugin '{exec.Command}' did not start"]);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new KubernetesConfigException([$"exec plugin '{exec.Command}' could not run: {ex.Message}{(exec.InstallHint is { Length: > 0 } hint ? ". " + hint : "")}"]);
        }

        using (process)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(RunTimeout);
            string output, errors;
            try
            {
                var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
                var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
                await process.WaitForExitAsync(deadline.Token);
                output = await stdout;
                errors = await stderr;
            }
            catch (OperationCanceledException)
            {
                // A hung plugin (waiting for a browser login, say) must not outlive the request that needed it.
                process.Kill(entireProcessTree: true);
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                throw new KubernetesConfigException([$"exec plugin '{exec.Command}' did not finish within {RunTimeout.TotalSeconds:0} s"]);
            }

            if (process.ExitCode != 0)
            {
                throw new KubernetesConfigException([$"exec plugin '{exec.Command}' exited with {process.ExitCode}: {errors.Trim()}"]);
            }

            return Parse(output, exec.ApiVersion ?? "");
        }
    }

    /// <summary>The checks client-go makes on the plugin's answer.</summary>
    public static ExecCredentialStatus Parse(string output, string expectedApiVersion)
    {
        ExecCredential? credential;
        try
        {
            credential = JsonSerializer.Deserialize(output, KubernetesJsonContext.Default.ExecCredential);
        }
        catch (JsonException ex)
        {
            throw new KubernetesConfigException([$"exec plugin output is not an ExecCredential: {ex.Message}"]);
        }

        if (credential?.ApiVersion != expectedApiVersion)
        {
            throw new KubernetesConfigException([$"exec plugin is configured to use API version {expectedApiVersion}, plugin returned version {credential?.ApiVersion}"]);
        }

        var status = credential.Status ?? throw new KubernetesConfigException(["exec plugin didn't return a status field"]);
        var hasCert = !string.IsNullOrEmpty(status.ClientCertificateData);
        var hasKey = !string.IsNullOrEmpty(status.ClientKeyData);
        if (hasCert != hasKey)
        {
            throw new KubernetesConfigException(["exec plugin returned only one of clientCertificateData and clientKeyData"]);
        }

        if (string.IsNullOrEmpty(status.Token))
        {
            throw new KubernetesConfigException([hasCert
                ? "exec plugin returned a client certificate without a token: client certificates from exec plugins are not supported yet"
                : "exec plugin didn't return a token or cert/key pair"]);
        }

        return status;
    }
}
