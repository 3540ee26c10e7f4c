using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Watchdog.Hosting;

/// <summary>
/// <c>--version</c>. The built-in action reads the entry assembly, which is the test host under tests;
/// this one reads Watchdog's own informational version.
/// </summary>
internal sealed class PrintVersionAction : SynchronousCommandLineAction
{
    public static string Version { get; } =
        typeof(PrintVersionAction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(PrintVersionAction).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        parseResult.InvocationConfiguration.Output.WriteLine(Version);
        return 0;
    }
}
