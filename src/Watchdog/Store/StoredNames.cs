using Watchdog.Rules;

namespace Watchdog.Store;

/// <summary>Reads back the enums of Rules that are stored by name; an unknown name means a corrupt or newer database.</summary>
internal static class StoredNames
{
    public static DecisionAction Action(string name) =>
        DecisionActions.TryParse(name, out var action) ? action : throw new FormatException($"unknown action '{name}' in the store");

    public static Authority Authority(string name) =>
        Authorities.TryParse(name, out var authority) ? authority : throw new FormatException($"unknown authority '{name}' in the store");
}
