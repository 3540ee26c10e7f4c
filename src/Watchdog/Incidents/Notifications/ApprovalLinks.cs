using System.Globalization;

namespace Watchdog.Incidents.Notifications;

/// <summary>
/// How an approval message tells a person where to answer: absolute addresses under <c>http.public_url</c>, since
/// a page read on a phone has no server to be relative to, and the on-call CLI's verbs beside them.
/// </summary>
/// <param name="PublicUrl">The daemon's address without a trailing slash (<see cref="Configuration.HttpOptions.PublicUrl"/>).</param>
internal sealed record ApprovalLinks(string PublicUrl)
{
    /// <summary><c>https://watchdog.example.com/api/v1/approvals/42</c>: the approval as the API shows it.</summary>
    public string Of(long approvalId) => string.Create(CultureInfo.InvariantCulture, $"{PublicUrl}/api/v1/approvals/{approvalId}");

    /// <summary><c>watchdog approve 42 (or POST https://.../api/v1/approvals/42/approve)</c>.</summary>
    public string Approve(long approvalId) => Verb("approve", approvalId);

    /// <summary><c>watchdog reject 42 (or POST https://.../api/v1/approvals/42/reject)</c>.</summary>
    public string Reject(long approvalId) => Verb("reject", approvalId);

    private string Verb(string verb, long approvalId) =>
        string.Create(CultureInfo.InvariantCulture, $"watchdog {verb} {approvalId} (or POST {Of(approvalId)}/{verb})");
}
