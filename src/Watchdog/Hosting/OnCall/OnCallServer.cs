namespace Watchdog.Hosting.OnCall;

/// <summary>The daemon a CLI verb talks to, and the API token it presents (never printed).</summary>
internal sealed record OnCallServer(Uri BaseAddress, string? Token)
{
    /// <summary>The name of the environment variable holding the token when <c>--token-file</c> is not given.</summary>
    public const string TokenVariable = "WATCHDOG_TOKEN";

    // The compiler-generated ToString would print the token into whatever formats this record.
    public override string ToString() => $"OnCallServer {{ BaseAddress = {BaseAddress}, Token = {(Token is null ? "" : "***")} }}";

    /// <summary>
    /// The server from <paramref name="server"/> (else <paramref name="publicUrl"/>, read only when needed) and the
    /// token from <paramref name="tokenFile"/> (else <see cref="TokenVariable"/>). A problem is returned as one line.
    /// </summary>
    public static (OnCallServer? Server, string? Error) Resolve(string? server, Func<(string? Url, string? Error)> publicUrl, string? tokenFile, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(publicUrl);
        ArgumentNullException.ThrowIfNull(environment);
        string? url = server;
        if (url is null)
        {
            var (configured, error) = publicUrl();
            if (configured is null)
            {
                return (null, error);
            }

            url = configured;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            return (null, $"--server '{url}' is not an absolute http:// or https:// URL");
        }

        string? token;
        if (tokenFile is not null)
        {
            try
            {
                token = File.ReadAllText(tokenFile);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                return (null, $"cannot read --token-file {tokenFile}: {exception.Message}");
            }

            // Files usually end with a newline that is not part of the secret.
            token = token.Trim();
            if (token.Length == 0)
            {
                return (null, $"--token-file {tokenFile} is empty");
            }
        }
        else
        {
            token = environment(TokenVariable)?.Trim() is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        }

        // The API paths are relative, so a path prefix of the public URL (a proxy's /ops) must end in a slash to stay.
        var baseAddress = new Uri(address.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
        return (new OnCallServer(baseAddress, token), null);
    }
}
