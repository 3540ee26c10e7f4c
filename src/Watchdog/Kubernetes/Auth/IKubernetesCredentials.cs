using System.Net.Http.Headers;

namespace Watchdog.Kubernetes;

/// <summary>Where the <c>Authorization</c> header comes from: a token, a token file, an exec plugin.</summary>
public interface IKubernetesCredentials
{
    /// <param name="refresh">The server answered 401: re-read or re-run instead of using a cached value.</param>
    ValueTask<AuthenticationHeaderValue?> GetAuthorizationAsync(bool refresh, CancellationToken cancellationToken);
}
