namespace Watchdog.Configuration;

/// <summary>One problem found in a configuration or policy file, with where it is.</summary>
/// <param name="File">The file as the user named it (or <c>env</c> for an environment override).</param>
/// <param name="Line">1-based line in <paramref name="File"/>, when known.</param>
/// <param name="Path">The path of the value inside the document, e.g. <c>targets[0].policy</c>.</param>
/// <param name="Message">What is wrong, in words an operator can act on.</param>
internal sealed record ConfigError(string File, int? Line, string Path, string Message)
{
    public override string ToString()
    {
        var where = Line is { } line ? $"{File}:{line}" : File;
        return Path.Length == 0 ? $"{where}: {Message}" : $"{where} {Path}: {Message}";
    }
}
