using System.Text.Json;

namespace Watchdog.Kubernetes;

/// <summary>What a non-2xx answer says, as a <c>Status</c> even when the body is not one.</summary>
internal static class KubernetesStatusBody
{
    /// <summary>The server's Status; for a body that is not one (a proxy's HTML, "404 page not found"), one made from the code.</summary>
    public static KubernetesStatus Parse(int code, string body)
    {
        try
        {
            if (JsonSerializer.Deserialize(body, KubernetesJsonContext.Default.KubernetesStatus) is { Kind: "Status" } status)
            {
                if (status.Code == 0)
                {
                    status.Code = code;
                }

                return status;
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to a Status built from the HTTP code.
        }

        var excerpt = body.Length > 200 ? body[..200] + "..." : body;
        return new KubernetesStatus
        {
            Kind = "Status",
            ApiVersion = "v1",
            Status = "Failure",
            Code = code,
            Reason = ReasonFor(code),
            Message = excerpt.Trim().Length > 0 ? excerpt.Trim() : $"the server answered {code}",
        };
    }

    private static string ReasonFor(int code) => code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        409 => "Conflict",
        410 => "Expired",
        413 => "RequestEntityTooLarge",
        415 => "UnsupportedMediaType",
        422 => "Invalid",
        429 => "TooManyRequests",
        504 => "Timeout",
        503 => "ServiceUnavailable",
        >= 500 => "InternalError",
        _ => "Unknown",
    };
}
