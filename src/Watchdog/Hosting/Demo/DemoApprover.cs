using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Watchdog.Configuration;

namespace Watchdog.Hosting.Demo;

/// <summary>One of the demo's engineers: finds the pending approval request and approves it through the HTTP API with its token.</summary>
internal sealed class DemoApprover(HttpClient api, ApiTokenOptions? onCall)
{
    public string? Name => onCall?.Name;

    /// <summary>The id of the oldest pending approval request, or null when none waits (or the API refused to say).</summary>
    public async Task<long?> PendingAsync(CancellationToken cancellationToken)
    {
        using var request = Authorized(new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/approvals?status=pending", UriKind.Relative)));
        using var response = await api.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return answer.RootElement.ValueKind == JsonValueKind.Array && answer.RootElement.GetArrayLength() > 0
            ? answer.RootElement.EnumerateArray().Min(a => a.GetProperty("id").GetInt64())
            : null;
    }

    /// <summary>Approves request <paramref name="id"/>; the API's answer in a line (<c>200 OK</c>, or what it refused).</summary>
    public async Task<(bool Approved, string Answer)> ApproveAsync(long id, string comment, CancellationToken cancellationToken)
    {
        if (onCall?.Token is null)
        {
            return (false, "config has no token of this role with an inline secret to approve with");
        }

        using var request = Authorized(new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/v1/approvals/{id}/approve", UriKind.Relative))
        {
            Content = JsonContent.Create(new { comment }),
        });
        using var response = await api.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.ReasonPhrase}{(response.IsSuccessStatusCode ? "" : ": " + body)}");
    }

    private HttpRequestMessage Authorized(HttpRequestMessage request)
    {
        if (onCall?.Token is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}
