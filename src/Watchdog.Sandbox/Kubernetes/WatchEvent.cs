using System.Text.Json.Nodes;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>One change as a watch stream carries it; <see cref="Object"/> includes kind and apiVersion.</summary>
internal sealed record WatchEvent(ResourceType Type, string Namespace, long ResourceVersion, string EventType, JsonObject Object);
