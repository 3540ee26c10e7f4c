using System.Security.Cryptography;
using System.Text;
using Watchdog.Configuration;

namespace Watchdog.Incidents.Approvals;

/// <summary>
/// Checks <c>Authorization: Bearer ...</c> against the configured tokens. Only SHA-256 hashes are kept, and the
/// presented token is compared with every one of them in constant time, so neither a token's content nor which
/// entry matched shows in the response time.
/// </summary>
internal sealed class ApiTokenAuthenticator
{
    private const string Scheme = "Bearer ";

    private readonly (byte[] Hash, ApiCaller Caller)[] _tokens;

    private ApiTokenAuthenticator((byte[] Hash, ApiCaller Caller)[] tokens) => _tokens = tokens;

    public int Count => _tokens.Length;

    /// <summary>Reads every <c>token_file</c> now, so a rotated secret is picked up on restart.</summary>
    /// <exception cref="InvalidOperationException">A token file cannot be read, or a token is empty; every such problem is listed, by token name.</exception>
    public static ApiTokenAuthenticator Create(IEnumerable<ApiTokenOptions> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var entries = new List<(byte[], ApiCaller)>();
        var errors = new List<string>();
        foreach (var options in tokens)
        {
            string? token;
            try
            {
                token = options.TokenFile is { } file ? File.ReadAllText(file) : options.Token;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                errors.Add($"http.tokens '{options.Name}': cannot read token_file {options.TokenFile}: {exception.Message}");
                continue;
            }

            // Files usually end with a newline that is not part of the secret.
            token = token?.Trim();
            if (string.IsNullOrEmpty(token))
            {
                errors.Add($"http.tokens '{options.Name}': the token is empty");
                continue;
            }

            entries.Add((Hash(token), new ApiCaller(options.Name, options.Role)));
        }

        return errors.Count == 0
            ? new ApiTokenAuthenticator([.. entries])
            : throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
    }

    /// <returns>The caller the header's bearer token belongs to, or null for a missing, malformed or unknown token.</returns>
    public ApiCaller? Authenticate(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorization[Scheme.Length..].Trim();
        if (token.Length == 0)
        {
            return null;
        }

        var presented = Hash(token);
        ApiCaller? caller = null;
        foreach (var (hash, candidate) in _tokens)
        {
            // No early exit: every configured token is compared whatever matched before.
            if (CryptographicOperations.FixedTimeEquals(presented, hash))
            {
                caller ??= candidate;
            }
        }

        return caller;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
