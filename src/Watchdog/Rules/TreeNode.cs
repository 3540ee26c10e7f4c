namespace Watchdog.Rules;

/// <summary>A decision tree node flattened into an array; a leaf has an <see cref="Outcome"/>.</summary>
internal readonly record struct TreeNode(int Condition, int Then, int Else, Outcome? Outcome);
