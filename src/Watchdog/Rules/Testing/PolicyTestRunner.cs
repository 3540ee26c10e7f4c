namespace Watchdog.Rules.Testing;

/// <summary>Runs policy unit test files (the <c>watchdog test-rules</c> verb), like <c>promtool test rules</c>.</summary>
public static class PolicyTestRunner
{
    /// <summary>Runs every file, writes failures and a final <c>N passed, M failed</c> line to <paramref name="output"/>.</summary>
    /// <returns>0 when every test passed, 1 otherwise (including unreadable files).</returns>
    public static int Run(IReadOnlyList<string> files, TextWriter output)
    {
        // CONTRACT: implemented by the rules work stream.
        throw new NotSupportedException($"test-rules is not written yet ({files.Count} files, {output})");
    }
}
