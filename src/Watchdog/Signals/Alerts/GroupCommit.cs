namespace Watchdog.Signals.Alerts;

/// <summary>
/// Writes what concurrent callers submit in groups, one group at a time: the calls that queued while a group was
/// being written are written together next, in one transaction of <c>writeGroup</c>, and each call completes only when
/// its group has been written; if writing a group throws, every call in it fails with that exception. A call alone
/// is written at once, on its own caller's flow; when calls queued behind it, a pool task writes them, so no caller
/// waits for groups after its own.
/// </summary>
internal sealed class GroupCommit<T>(Func<IReadOnlyList<T>, Task> writeGroup, int maxGroup)
{
    private readonly Lock _gate = new();
    private readonly Queue<Waiting> _waiting = new();
    private bool _writing;

    /// <summary>
    /// Completes when the group holding <paramref name="item"/> is written. Cancelling stops the wait, not the write:
    /// an item already queued may still be written.
    /// </summary>
    public Task SubmitAsync(T item, CancellationToken cancellationToken)
    {
        var waiting = new Waiting(item);
        bool lead;
        lock (_gate)
        {
            _waiting.Enqueue(waiting);
            lead = !_writing;
            _writing = true;
        }

        return lead ? LeadAsync(waiting) : waiting.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task LeadAsync(Waiting own)
    {
        await WriteNextGroupAsync();
        if (MoreWaiting())
        {
            _ = Task.Run(DrainAsync);
        }

        await own.Done.Task;
    }

    private async Task DrainAsync()
    {
        do
        {
            await WriteNextGroupAsync();
        }
        while (MoreWaiting());
    }

    // Hands the writing back under the same lock that callers queue under, so that a call is never left queued
    // with nobody writing.
    private bool MoreWaiting()
    {
        lock (_gate)
        {
            _writing = _waiting.Count > 0;
            return _writing;
        }
    }

    private async Task WriteNextGroupAsync()
    {
        var group = new List<Waiting>();
        lock (_gate)
        {
            while (group.Count < maxGroup && _waiting.TryDequeue(out var next))
            {
                group.Add(next);
            }
        }

        try
        {
            await writeGroup([.. group.Select(w => w.Item)]);
        }
        catch (Exception exception)
        {
            // By design: the group was one transaction, so none of it is written, and every call in it is told so.
            foreach (var waiting in group)
            {
                waiting.Done.TrySetException(exception);
            }

            return;
        }

        foreach (var waiting in group)
        {
            waiting.Done.TrySetResult();
        }
    }

    private sealed class Waiting(T item)
    {
        public T Item => item;

        // Asynchronous continuations: the writer must not run a waiting caller's request on its own flow.
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
