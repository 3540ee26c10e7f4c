using Watchdog.Rules;

namespace Watchdog.Configuration;

/// <summary>One caller of the approval API. Exactly one of <see cref="Token"/> and <see cref="TokenFile"/> is set.</summary>
internal sealed record ApiTokenOptions
{
    /// <summary>Who holds the token; shown in logs and incident timelines instead of the token.</summary>
    public string Name { get; init; } = "";

    /// <summary>The highest authority this caller may approve for.</summary>
    public Authority Role { get; init; }

    /// <summary>The token written inline in the file. Never log it.</summary>
    public string? Token { get; init; }

    /// <summary>A file holding the token (full path), read when the API starts so a rotated secret is picked up on restart.</summary>
    public string? TokenFile { get; init; }

    // The compiler-generated ToString would print the secret into any log line that formats the options.
    public override string ToString() =>
        $"ApiTokenOptions {{ Name = {Name}, Role = {Role.ToName()}, Token = {(Token is null ? "" : "***")}, TokenFile = {TokenFile} }}";
}
