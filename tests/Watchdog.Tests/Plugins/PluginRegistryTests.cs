using Microsoft.Extensions.DependencyInjection;
using Watchdog.Plugins;

namespace Watchdog.Tests.Plugins;

public sealed class PluginRegistryTests
{
    [Fact]
    public void Add_EntersThePlugIn_UnderTheNameAndWithTheValidatorItDeclares()
    {
        var registry = new PluginRegistry().Add<NamedPlugin>(PluginKind.Action);

        var entry = registry.Find(PluginKind.Action, "named").ShouldNotBeNull();
        entry.PluginType.ShouldBe(typeof(NamedPlugin));
        entry.ValidateParameters(new Dictionary<string, string> { ["x"] = "1" }).ShouldBe(["x: unknown parameter"]);
        registry.Names(PluginKind.Action).ShouldBe(["named"]);
        registry.Find(PluginKind.SignalSource, "named").ShouldBeNull();
    }

    [Fact]
    public void Add_TheSameNameTwiceInOneKind_Throws_ButAnotherKindMayUseIt()
    {
        var registry = new PluginRegistry().Add<NamedPlugin>(PluginKind.Action);

        Should.Throw<InvalidOperationException>(() => registry.Add<NamedPlugin>(PluginKind.Action)).Message.ShouldBe("Two action plug-ins are registered as 'named'.");
        registry.Add<NamedPlugin>(PluginKind.NotificationChannel).Find(PluginKind.NotificationChannel, "named").ShouldNotBeNull();
    }

    [Fact]
    public void Announce_ANameALaterVersionBrings_IsKnownButNotRegistered_AndMayNotAlsoBeRegistered()
    {
        var registry = new PluginRegistry().Announce(PluginKind.Action, "later");

        registry.IsAnnounced(PluginKind.Action, "later").ShouldBeTrue();
        registry.Announced(PluginKind.Action).ShouldBe(["later"]);
        registry.Find(PluginKind.Action, "later").ShouldBeNull();
        Should.Throw<InvalidOperationException>(() => registry.Announce(PluginKind.Action, "later"));
        Should.Throw<InvalidOperationException>(() => new PluginRegistry().Add<NamedPlugin>(PluginKind.Action).Announce(PluginKind.Action, "named"));
    }

    [Fact]
    public void Plugins_OfOneServiceCollection_IsOneRegistry_RegisteredAsItsSingleton()
    {
        var services = new ServiceCollection();

        var first = services.Plugins();
        var second = services.Plugins();
        using var provider = services.BuildServiceProvider();

        second.ShouldBeSameAs(first);
        provider.GetRequiredService<PluginRegistry>().ShouldBeSameAs(first);
    }

    private sealed class NamedPlugin : IPlugin
    {
        public static string PluginName => "named";

        public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters) =>
            [.. parameters.Keys.Select(k => $"{k}: unknown parameter")];
    }
}
