using System.Text.Json;
using System.Text.Json.Serialization;

namespace Watchdog.Incidents.Approvals;

/// <summary>
/// JSON of the approval API and of approval timeline details: snake_case, like the configuration and policy
/// files people already write (<c>auto_approve_after</c>, <c>token_file</c>).
/// </summary>
internal static class ApprovalJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,

        // A misspelt "coment" would otherwise be dropped silently and the decision recorded without its reason.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
