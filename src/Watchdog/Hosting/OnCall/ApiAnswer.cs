using System.Net;

namespace Watchdog.Hosting.OnCall;

/// <summary>
/// What one call of the HTTP API came to: the status and body the daemon answered, or, when it could not be asked,
/// why not (<see cref="Failure"/>). Not reaching the server is a value, not an exception: the verb turns it into a
/// line and an exit code.
/// </summary>
internal sealed record ApiAnswer(HttpStatusCode? Status, string Body, string? Failure = null)
{
    public bool Succeeded => Status is { } status && (int)status is >= 200 and < 300;

    public static ApiAnswer NotReached(string failure) => new(null, "", failure);
}
