using Microsoft.Extensions.DependencyInjection;
using Watchdog.Actions;
using Watchdog.Configuration;
using Watchdog.Hosting;
using Watchdog.Tests.Hosting;

namespace Watchdog.Tests.Actions;

/// <summary>
/// The names configuration is validated against (<see cref="BuiltInActions"/>) are the names of the plug-ins the
/// daemon registers: a plan that validates never meets "no action plug-in named ..." in the middle of an incident.
/// </summary>
public sealed class BuiltInActionsTests
{
    [Fact]
    public async Task TheValidatedNames_AreExactlyTheNamesOfTheRegisteredPlugIns()
    {
        await using var app = WatchdogHost.Build(new ConfigLoadResult(new WatchdogOptions { Targets = [] }, TestPolicies.ErrorRateOnly(), [], []), []);

        var registered = app.Services.GetServices<IRollbackAction>().Select(a => a.Name).ToList();

        registered.ShouldBeUnique();
        registered.ShouldBe(BuiltInActions.Validators.Keys, ignoreOrder: true);
        BuiltInActions.NotYetAvailable.ShouldNotContain(name => registered.Contains(name));
    }
}
