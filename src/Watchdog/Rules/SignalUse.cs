namespace Watchdog.Rules;

/// <summary>Where a policy file reads a signal, so that a signal the configuration does not define is an error at that condition.</summary>
/// <param name="Signal">The signal's name as written.</param>
/// <param name="File">The policy file, as errors name it.</param>
/// <param name="Line">1-based line of the condition, when known.</param>
/// <param name="Path">The condition's path in the file, e.g. <c>matrix[0].when</c>.</param>
internal sealed record SignalUse(string Signal, string File, int? Line, string Path);
