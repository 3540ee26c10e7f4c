namespace Watchdog.Benchmarks;

/// <summary>The <c>--name value</c> options of the benchmark modes.</summary>
internal static class BenchArguments
{
    public static string? ValueOf(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
