namespace Watchdog.Configuration;

internal sealed record HttpOptions
{
    /// <summary>Where Kestrel listens, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public string Listen { get; init; } = "http://127.0.0.1:8080";

    private readonly string? _publicUrl;

    /// <summary>
    /// The daemon's absolute address as people and the CLI reach it (links in messages, <c>--server</c>'s default),
    /// without a trailing slash. Unset, it is <see cref="Listen"/> with a wildcard host (<c>0.0.0.0</c>, <c>[::]</c>)
    /// read as <c>127.0.0.1</c>: a wildcard names no machine one could call.
    /// </summary>
    public string PublicUrl
    {
        get => _publicUrl ?? FromListen(Listen);
        init => _publicUrl = value.TrimEnd('/');
    }

    /// <summary>Bearer tokens accepted by the approval API, each with the authority it carries.</summary>
    public IReadOnlyList<ApiTokenOptions> Tokens { get; init; } = [];

    /// <summary>
    /// When true, reading incidents, stats, targets and alerts needs one of <see cref="Tokens"/> too (any role); without
    /// one those GETs answer 401. The approvals always need one. Off by default: on 127.0.0.1 only this machine reads.
    /// </summary>
    public bool ReadRequiresToken { get; init; }

    private static string FromListen(string listen)
    {
        if (!Uri.TryCreate(listen, UriKind.Absolute, out var url))
        {
            return listen.TrimEnd('/');
        }

        var builder = new UriBuilder(url);
        if (builder.Host is "0.0.0.0" or "[::]")
        {
            builder.Host = "127.0.0.1";
        }

        return builder.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }
}
