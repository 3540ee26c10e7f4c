namespace Watchdog.Store;

/// <summary>A write broke a uniqueness rule (e.g. a second open incident for a target).</summary>
internal sealed class StoreConflictException : Exception
{
    public StoreConflictException()
    {
    }

    public StoreConflictException(string message)
        : base(message)
    {
    }

    public StoreConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
