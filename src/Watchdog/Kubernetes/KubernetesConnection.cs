namespace Watchdog.Kubernetes;

/// <summary>
/// The client, made on first use: a daemon without Kubernetes steps must start without a kubeconfig, and a broken
/// kubeconfig then fails the step that needs it with the reason instead of the whole start-up.
/// </summary>
public sealed class KubernetesConnection(Func<KubernetesClient> create) : IDisposable
{
    private readonly Lazy<KubernetesClient> _client = new(create, LazyThreadSafetyMode.ExecutionAndPublication);

    public KubernetesConnection(KubernetesClient client)
        : this(() => client)
    {
    }

    /// <exception cref="KubernetesConfigException">The configuration cannot be used.</exception>
    public KubernetesClient Client => _client.Value;

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }
}
