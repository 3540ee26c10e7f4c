using System.Text.Json;
using System.Text.Json.Serialization;
using Watchdog.Http;

namespace Watchdog.Incidents.Approvals;

/// <summary>
/// JSON of the approval API and of approval timeline details: camelCase (the web defaults), like the rest of the
/// HTTP API (<c>/readyz</c>, <c>/api/v1/incidents</c>, <c>/api/v1/stats</c>) and the executor's timeline details.
/// </summary>
internal static class ApprovalJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        // A misspelt "coment" would otherwise be dropped silently and the decision recorded without its reason.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Encoder = ApiJson.Encoder,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
