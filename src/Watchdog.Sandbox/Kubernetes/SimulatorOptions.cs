namespace Watchdog.Sandbox.Kubernetes;

/// <summary>Options of the Kubernetes API simulator.</summary>
/// <param name="Port">Port on 127.0.0.1; 0 picks a free one.</param>
/// <param name="TimeProvider">The clock of the controllers and of condition timestamps; null means the system clock.</param>
/// <param name="SyncInterval">How often (on <paramref name="TimeProvider"/>) the controllers run; 100 ms by default; zero runs no loop, so a test steps them with SyncOnceAsync.</param>
/// <param name="Nodes">The simulated nodes: every DaemonSet runs one pod on each.</param>
public sealed record SimulatorOptions(int Port = 0, TimeProvider? TimeProvider = null, TimeSpan? SyncInterval = null, int Nodes = 3)
{
    /// <summary>When set, requests outside these RBAC rules are refused with the API server's 403 (the Helm chart's proof); null allows everything.</summary>
    internal SimulatorAuthorization? Authorization { get; init; }
}
