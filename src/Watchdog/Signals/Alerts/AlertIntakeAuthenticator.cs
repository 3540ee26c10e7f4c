using System.Security.Cryptography;
using System.Text;
using Watchdog.Configuration;

namespace Watchdog.Signals.Alerts;

/// <summary>
/// Checks the <c>Authorization</c> header Alertmanager's <c>http_config</c> sends: a bearer token, basic auth, or
/// (with neither configured) nothing. Only SHA-256 hashes of the secrets are kept, and they are compared in
/// constant time, so response times tell nothing about how much of a guess was right.
/// </summary>
internal sealed class AlertIntakeAuthenticator
{
    private readonly byte[]? _bearerHash;
    private readonly byte[]? _usernameHash;
    private readonly byte[]? _passwordHash;

    public AlertIntakeAuthenticator(AlertmanagerIntakeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _bearerHash = string.IsNullOrEmpty(options.BearerToken) ? null : Hash(options.BearerToken);
        if (!string.IsNullOrEmpty(options.BasicUsername))
        {
            _usernameHash = Hash(options.BasicUsername);
            _passwordHash = Hash(options.BasicPassword ?? "");
        }
    }

    public bool IsOpen => _bearerHash is null && _usernameHash is null;

    /// <summary>The <c>WWW-Authenticate</c> challenges of a 401, one per configured scheme.</summary>
    public string[] Challenges => [
        .. _bearerHash is null ? Array.Empty<string>() : ["Bearer realm=\"watchdog\""],
        .. _usernameHash is null ? Array.Empty<string>() : ["Basic realm=\"watchdog\", charset=\"UTF-8\""]];

    public bool IsAllowed(string? authorization)
    {
        if (IsOpen)
        {
            return true;
        }

        if (authorization is null)
        {
            return false;
        }

        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return false;
        }

        var scheme = authorization[..space];
        var credentials = authorization[(space + 1)..].Trim();
        if (_bearerHash is not null && scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return CryptographicOperations.FixedTimeEquals(Hash(credentials), _bearerHash);
        }

        if (_usernameHash is not null && scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return IsBasicAllowed(credentials);
        }

        return false;
    }

    private bool IsBasicAllowed(string credentials)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(credentials));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        // Both compared, always: stopping at a wrong user name would tell which half was wrong.
        var userMatches = CryptographicOperations.FixedTimeEquals(Hash(decoded[..colon]), _usernameHash);
        var passwordMatches = CryptographicOperations.FixedTimeEquals(Hash(decoded[(colon + 1)..]), _passwordHash);
        return userMatches & passwordMatches;
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
