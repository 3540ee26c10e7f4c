namespace Watchdog.Kubernetes;

/// <summary>
/// The client, made on first use: a daemon without Kubernetes steps must start without a kubeconfig, and a broken
/// kubeconfig then fails the step that needs it with the reason instead of the whole start-up. A failed attempt is
/// not kept: the next use tries again, so a kubeconfig fixed (or written in full) after start-up is used without a
/// restart. A client once made is kept; concurrent first uses wait for one attempt instead of each making a client.
/// </summary>
internal sealed class KubernetesConnection(Func<KubernetesClient> create) : IDisposable
{
    private readonly Lock _gate = new();
    private KubernetesClient? _client;
    private bool _disposed;

    public KubernetesConnection(KubernetesClient client)
        : this(() => client)
    {
    }

    /// <exception cref="KubernetesConfigException">The configuration cannot be used (now; the next use tries again).</exception>
    public KubernetesClient Client
    {
        get
        {
            if (Volatile.Read(ref _client) is { } made)
            {
                return made;
            }

            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                // A throw leaves _client null: the failure is the caller's, this time only.
                return _client ??= create();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _client?.Dispose();
        }
    }
}
