namespace Watchdog.Rules;

/// <summary>Which part of a policy produced a decision.</summary>
internal enum DecisionSource : byte
{
    None,
    Matrix,
    Tree,
}
