namespace Watchdog.Benchmarks;

/// <summary>The benchmark modes' command lines: <c>--name value</c> pairs.</summary>
internal static class BenchArgs
{
    public static string? ValueOf(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
