namespace Watchdog.Rules;

/// <summary>Which part of a policy produced a decision.</summary>
public enum DecisionSource : byte
{
    None,
    Matrix,
    Tree,
}
