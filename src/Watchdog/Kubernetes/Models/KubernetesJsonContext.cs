using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Watchdog.Kubernetes;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Deployment))]
[JsonSerializable(typeof(ReplicaSet))]
[JsonSerializable(typeof(StatefulSet))]
[JsonSerializable(typeof(ControllerRevision))]
[JsonSerializable(typeof(Service))]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(ConfigMap))]
[JsonSerializable(typeof(Scale))]
[JsonSerializable(typeof(KubernetesEvent))]
[JsonSerializable(typeof(GenericObject))]
[JsonSerializable(typeof(KubernetesStatus))]
[JsonSerializable(typeof(KubernetesList<Deployment>))]
[JsonSerializable(typeof(KubernetesList<ReplicaSet>))]
[JsonSerializable(typeof(KubernetesList<StatefulSet>))]
[JsonSerializable(typeof(KubernetesList<ControllerRevision>))]
[JsonSerializable(typeof(KubernetesList<Service>))]
[JsonSerializable(typeof(KubernetesList<Pod>))]
[JsonSerializable(typeof(KubernetesList<ConfigMap>))]
[JsonSerializable(typeof(KubernetesList<KubernetesEvent>))]
[JsonSerializable(typeof(KubernetesList<GenericObject>))]
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class KubernetesJsonContext : JsonSerializerContext;
