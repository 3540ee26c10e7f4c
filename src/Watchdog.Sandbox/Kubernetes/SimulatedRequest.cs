namespace Watchdog.Sandbox.Kubernetes;

/// <summary>A request the simulated API server received, with the W3C trace context it came with (null when none).</summary>
public sealed record SimulatedRequest(string Method, string Path, string? TraceParent);
