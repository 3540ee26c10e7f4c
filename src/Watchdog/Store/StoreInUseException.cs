namespace Watchdog.Store;

/// <summary>The store belongs to another running process (<see cref="SqliteProcessLock"/>): the daemon does not start.</summary>
internal sealed class StoreInUseException : Exception
{
    public StoreInUseException()
    {
    }

    public StoreInUseException(string message)
        : base(message)
    {
    }

    public StoreInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
