using Watchdog.Leadership;

namespace Watchdog.Tests.Leadership;

/// <summary>A leader lock whose every answer the test sets; counts releases.</summary>
internal sealed class ScriptedLock : ILeaderLock
{
    public LeaderLockAttempt Next { get; set; } = new(false, 0, "", null);

    public int Releases { get; private set; }

    public string Describe() => "scripted lock";

    public Task<LeaderLockAttempt> TryAcquireOrRenewAsync(CancellationToken cancellationToken) => Task.FromResult(Next);

    public Task ReleaseAsync(CancellationToken cancellationToken)
    {
        Releases++;
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
