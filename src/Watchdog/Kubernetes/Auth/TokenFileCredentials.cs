using System.Net.Http.Headers;

namespace Watchdog.Kubernetes;

/// <summary>
/// A bearer token read from a file that the kubelet rotates (bound service-account tokens). Like client-go's
/// cachingTokenSource: re-read at most once a minute, at once after a 401, and on a read error keep the old token.
/// </summary>
internal sealed class TokenFileCredentials(string path, TimeProvider time) : IKubernetesCredentials
{
    public static readonly TimeSpan RereadAfter = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private string? _token;
    private DateTimeOffset _readAt;

    public string Path => path;

    public ValueTask<AuthenticationHeaderValue?> GetAuthorizationAsync(bool refresh, CancellationToken cancellationToken)
    {
        // A token file is a few hundred bytes on a local volume: read it synchronously under the lock.
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_token is null || refresh || now - _readAt >= RereadAfter)
            {
                try
                {
                    var text = File.ReadAllText(path).Trim();
                    if (text.Length > 0)
                    {
                        _token = text;
                    }

                    _readAt = now;
                }
                catch (IOException) when (_token is not null)
                {
                    // As client-go: a rotation in progress must not break requests while the old token still works.
                }
                catch (UnauthorizedAccessException) when (_token is not null)
                {
                    // Same reason as above.
                }
            }

            return ValueTask.FromResult(_token is null ? null : new AuthenticationHeaderValue("Bearer", _token));
        }
    }

    public override string ToString() => $"Bearer (token file {path})";
}
