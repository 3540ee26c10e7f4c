namespace Watchdog.Actions;

/// <summary>The registered action plug-ins, found by the name plans use.</summary>
internal sealed class ActionCatalog
{
    private readonly Dictionary<string, IRollbackAction> _actions = new(StringComparer.Ordinal);

    public ActionCatalog(IEnumerable<IRollbackAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        foreach (var action in actions)
        {
            // Two plug-ins under one name would make plans ambiguous: a programming error, caught at start-up.
            if (!_actions.TryAdd(action.Name, action))
            {
                throw new InvalidOperationException($"Two rollback actions are registered as '{action.Name}'.");
            }
        }
    }

    public IReadOnlyCollection<string> Names => _actions.Keys;

    public IRollbackAction? Find(string name) => _actions.GetValueOrDefault(name);
}
