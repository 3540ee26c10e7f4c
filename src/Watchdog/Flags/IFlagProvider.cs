namespace Watchdog.Flags;

/// <summary>
/// One feature-flag service (<c>unleash</c>, <c>http</c>), as configured under <c>flags</c>: the three things a
/// rollback needs. Every call is bounded in time and answer size; a refusal, a timeout or an answer that cannot be
/// read throws <see cref="FlagProviderException"/> with a message a person can act on, never the token.
/// </summary>
internal interface IFlagProvider
{
    /// <summary>The configured name of this provider (<c>flags[].name</c>).</summary>
    string Name { get; }

    Task<FlagState> ReadAsync(FlagRef flag, CancellationToken cancellationToken);

    /// <summary>
    /// Sets every strategy that has a rollout percentage to <paramref name="percent"/> (0–100, checked by the caller),
    /// leaving each strategy's other parameters as they were.
    /// </summary>
    Task SetRolloutAsync(FlagRef flag, int percent, CancellationToken cancellationToken);

    Task SetEnabledAsync(FlagRef flag, bool enabled, CancellationToken cancellationToken);
}

/// <summary>The configured flag providers by name.</summary>
internal interface IFlagProviders
{
    /// <summary>
    /// The provider named <paramref name="name"/>, or the only one configured when <paramref name="name"/> is null;
    /// null when there is no such provider (configuration validation makes that rare).
    /// </summary>
    IFlagProvider? Find(string? name);
}

/// <summary>A flag provider refused or failed; <see cref="Exception.Message"/> is written on the incident as it is.</summary>
internal sealed class FlagProviderException : Exception
{
    public FlagProviderException()
    {
    }

    public FlagProviderException(string message)
        : base(message)
    {
    }

    public FlagProviderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
