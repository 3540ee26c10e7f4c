using System.Text.Json.Nodes;

namespace Watchdog.Sandbox.Kubernetes;

/// <summary>The stored object after a write, or the Status the API server would answer with.</summary>
internal sealed record StoreResult(JsonObject? Object, ApiStatus? Error)
{
    public static StoreResult Ok(JsonObject value) => new(value, null);

    public static StoreResult Fail(ApiStatus error) => new(null, error);
}
