namespace Watchdog.Fencing;

/// <summary>
/// A write by a leader whose term is over: the store's epoch moved on, or this replica could not renew within the renew
/// deadline. The work that meets it stops at once and records nothing further; the new leader carries on from the journal.
/// </summary>
internal sealed class DeposedException : Exception
{
    public DeposedException()
    {
    }

    public DeposedException(string message)
        : base(message)
    {
    }

    public DeposedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
