using Watchdog.Flags;

namespace Watchdog.Actions.Flags;

/// <summary>
/// What the flag steps find when no flag provider is registered: none, so a flag step fails with a clear message
/// instead of the daemon failing to start. The flag providers' own registration replaces it.
/// </summary>
internal sealed class NoFlagProviders : IFlagProviders
{
    public IFlagProvider? Find(string? name) => null;
}
