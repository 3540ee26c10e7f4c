using System.Reflection;
using System.Runtime.CompilerServices;
using Watchdog.Rules;

namespace Watchdog.Tests;

/// <summary>
/// The daemon is an executable: nothing outside it links against it, so its types are internal (the test and
/// benchmark projects see them through InternalsVisibleTo) and a class is sealed unless it is abstract or static.
/// CA1515 holds the first at build time; CA1852 would hold the second but stays silent in an assembly with
/// InternalsVisibleTo, so this test does.
/// </summary>
public sealed class VisibilityTests
{
    private static readonly Type[] Types = typeof(Decision).Assembly.GetTypes()
        .Where(t => t.Namespace?.StartsWith("Watchdog", StringComparison.Ordinal) == true)
        .Where(t => !t.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) && !t.Name.Contains('<', StringComparison.Ordinal))
        .ToArray();

    [Fact]
    public void NoTypeIsPublic()
    {
        Types.Where(t => t.IsVisible).Select(t => t.FullName).ShouldBeEmpty();
    }

    [Fact]
    public void EveryClassIsSealedAbstractOrStatic()
    {
        // A static class is abstract and sealed in metadata; a record or a class alike.
        var open = Types.Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract && !typeof(Delegate).IsAssignableFrom(t))
            .Where(t => !Types.Any(other => other.BaseType == t))
            .Select(t => t.FullName);

        open.ShouldBeEmpty();
    }
}
