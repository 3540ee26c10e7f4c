using Watchdog.Rules;

namespace Watchdog.Configuration;

/// <summary>
/// The outcome of loading <c>watchdog.yaml</c> and every policy it names. <see cref="Options"/> is only
/// set when <see cref="Errors"/> is empty: the daemon never starts on a half-valid configuration.
/// </summary>
internal sealed record ConfigLoadResult(
    WatchdogOptions? Options,
    IReadOnlyDictionary<string, CompiledPolicy> Policies,
    IReadOnlyList<ConfigError> Errors,
    IReadOnlyList<ConfigError> Warnings)
{
    public bool IsValid => Errors.Count == 0 && Options is not null;
}
