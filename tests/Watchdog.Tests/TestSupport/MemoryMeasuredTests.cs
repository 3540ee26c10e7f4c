namespace Watchdog.Tests.TestSupport;

/// <summary>
/// Tests that count the process's allocations around one read run alone, after the parallel ones, so that no
/// other test's allocations land in their measurement.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasuredTests
{
    public const string Name = "memory measured";

    /// <summary>Bytes allocated by the whole process while <paramref name="action"/> ran.</summary>
    public static async Task<long> AllocatedDuringAsync(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await action();
        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }
}
