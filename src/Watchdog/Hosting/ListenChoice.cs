namespace Watchdog.Hosting;

/// <summary>
/// Where the API listens: <c>--urls</c>, else <c>ASPNETCORE_URLS</c>, else <c>http.listen</c>, the conventions
/// of every ASP.NET Core app (a container platform sets the variable; an operator types the flag). The two overrides
/// naming different addresses is an error rather than a silent pick: one of them is a mistake.
/// </summary>
internal sealed record ListenChoice(string Listen, string Source, string Configured, string? Error = null)
{
    public const string UrlsOption = "--urls";
    public const string UrlsVariable = "ASPNETCORE_URLS";
    public const string ConfigKey = "http.listen";

    public bool Overrides => Source != ConfigKey;

    public static ListenChoice Of(string configured, string? urlsOption, string? urlsVariable)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var option = Blank(urlsOption) ? null : urlsOption!.Trim();
        var variable = Blank(urlsVariable) ? null : urlsVariable!.Trim();
        if (option is not null && variable is not null && !string.Equals(option, variable, StringComparison.Ordinal))
        {
            return new ListenChoice(option, UrlsOption, configured,
                $"{UrlsOption} '{option}' and {UrlsVariable} '{variable}' name different addresses; give one (or the same in both)");
        }

        return option is not null ? new ListenChoice(option, UrlsOption, configured)
            : variable is not null ? new ListenChoice(variable, UrlsVariable, configured)
            : new ListenChoice(configured, ConfigKey, configured);
    }

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);
}
