using System.Globalization;
using Watchdog.Kubernetes;

namespace Watchdog.Actions.Kubernetes;

/// <summary>The core/v1 Event Watchdog posts on a workload for each action it takes (spec §8.3, client-go record's shape).</summary>
internal static class WorkloadEvents
{
    public const string Component = "watchdog";

    public static KubernetesEvent Build(KubernetesObject workload, string reason, string message, bool warning, DateTimeOffset now)
    {
        var host = Environment.MachineName;
        var unixNanos = (now - DateTimeOffset.UnixEpoch).Ticks * 100;
        return new KubernetesEvent
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new ObjectMeta
            {
                // GenerateEventName: the object's name and the time in hex nanoseconds.
                Name = $"{workload.Metadata.Name}.{unixNanos.ToString("x", CultureInfo.InvariantCulture)}",
                Namespace = workload.Metadata.Namespace ?? "default",
            },
            InvolvedObject = new ObjectReference
            {
                Kind = workload.Kind,
                Namespace = workload.Metadata.Namespace,
                Name = workload.Metadata.Name,
                Uid = workload.Metadata.Uid,
                ApiVersion = workload.ApiVersion,
                ResourceVersion = workload.Metadata.ResourceVersion,
            },
            Reason = reason,
            Message = message,
            Type = warning ? "Warning" : "Normal",
            Source = new EventSource { Component = Component, Host = host },
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
            ReportingComponent = Component,
            ReportingInstance = host,
        };
    }
}
