namespace Watchdog.Rules;

internal enum ConditionNodeKind : byte
{
    Compare,
    Any,
    All,
    Not,

    /// <summary>Passes its one child through; carries a <c>for</c> or a name without disturbing a shared child.</summary>
    Pass,
}
