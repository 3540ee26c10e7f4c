using System.Net.Http;
using System.Net.Sockets;

namespace Watchdog.Signals.Health;

/// <summary>
/// Tells a service that does not answer (refused, reset, unreachable host: it is failing) from a probe that never
/// reached the question (the name does not resolve, Watchdog's own network or proxy is down: unjudged).
/// </summary>
internal static class HealthProbeFailures
{
    public static HealthProbeOutcome Classify(HttpRequestException exception)
    {
        var socket = FindSocketError(exception);
        if (exception.HttpRequestError == HttpRequestError.NameResolutionError
            || socket is SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData)
        {
            return HealthProbeOutcome.Unjudged("the host name does not resolve");
        }

        if (socket is SocketError.NetworkUnreachable or SocketError.NetworkDown)
        {
            return HealthProbeOutcome.Unjudged("Watchdog's network is unreachable");
        }

        return exception.HttpRequestError switch
        {
            HttpRequestError.ProxyTunnelError => HealthProbeOutcome.Unjudged($"the proxy failed: {exception.Message}"),
            HttpRequestError.ConfigurationLimitExceeded => HealthProbeOutcome.Unjudged($"the answer exceeds Watchdog's limits: {exception.Message}"),
            _ => socket switch
            {
                SocketError.ConnectionRefused => HealthProbeOutcome.Fail("connection refused"),
                SocketError.ConnectionReset => HealthProbeOutcome.Fail("connection reset"),
                SocketError.TimedOut => HealthProbeOutcome.Fail("connection timed out"),
                SocketError.HostUnreachable or SocketError.HostDown => HealthProbeOutcome.Fail("host unreachable"),
                _ => exception.HttpRequestError switch
                {
                    HttpRequestError.SecureConnectionError => HealthProbeOutcome.Fail($"TLS handshake failed: {exception.Message}"),
                    HttpRequestError.ResponseEnded => HealthProbeOutcome.Fail("connection closed before a whole answer"),
                    HttpRequestError.InvalidResponse => HealthProbeOutcome.Fail($"not a valid HTTP answer: {exception.Message}"),
                    _ => HealthProbeOutcome.Fail($"unreachable: {exception.Message}"),
                },
            },
        };
    }

    private static SocketError? FindSocketError(Exception exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode;
            }
        }

        return null;
    }
}
