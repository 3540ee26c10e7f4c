using System.Text.Json.Serialization;

namespace Watchdog.Incidents.Approvals;

/// <summary>The body of every error answer of the approval API.</summary>
/// <param name="Error">One line for people.</param>
/// <param name="Required">On 403: the authority the approval needs.</param>
/// <param name="Approval">On 409: the approval as it was decided.</param>
internal sealed record ApprovalApiError(
    string Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Required = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ApprovalView? Approval = null);
