using System.Text.Json;
using System.Text.Json.Serialization;

namespace Watchdog.Signals.Alerts;

/// <summary>camelCase JSON like the rest of the HTTP API, generated at build time: the intake answers thousands of calls a second.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AlertIntakeReceipt))]
[JsonSerializable(typeof(AlertApiError))]
[JsonSerializable(typeof(AlertView[]))]
[JsonSerializable(typeof(string))]
internal sealed partial class AlertJsonContext : JsonSerializerContext;
