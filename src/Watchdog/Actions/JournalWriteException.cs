namespace Watchdog.Actions;

/// <summary>A write the executor must not lose was not taken by the store within its retry window.</summary>
internal sealed class JournalWriteException(string message, Exception inner) : Exception(message, inner);
