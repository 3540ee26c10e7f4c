using Microsoft.Extensions.Logging;

namespace Watchdog.Signals.Health;

// Endpoints are logged as scheme, host and path only: a URL's user info or query may carry a secret.
internal static partial class HealthLog
{
    [LoggerMessage(EventId = 560, Level = LogLevel.Debug, Message = "Health probe of {Target} at {Endpoint} failed: {Failure}")]
    public static partial void ProbeFailed(ILogger logger, string target, string endpoint, string failure);

    [LoggerMessage(EventId = 561, Level = LogLevel.Debug, Message = "Health of {Target}: {Failed} of {Probed} endpoints failed")]
    public static partial void Probed(ILogger logger, string target, int failed, int probed);

    public static string Describe(Uri url) => url.IsAbsoluteUri
        ? $"{url.Scheme}://{url.Authority}{url.AbsolutePath}"
        : url.OriginalString;
}
