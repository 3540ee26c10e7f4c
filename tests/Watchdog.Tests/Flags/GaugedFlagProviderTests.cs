using Watchdog.Flags;
using Watchdog.Telemetry;
using Watchdog.Tests.Actions.Flags;

namespace Watchdog.Tests.Flags;

public sealed class GaugedFlagProviderTests
{
    private static readonly FlagRef Flag = new("checkout-v2");

    private static double? Shown(FlagRolloutGauge gauge, string flag) =>
        gauge.Observe().Where(m => m.Tags.ToArray().Contains(new KeyValuePair<string, object?>("flag", flag))).Select(m => (double?)m.Value).SingleOrDefault();

    [Fact]
    public async Task ReadsAndChanges_SetTheFlagsRolloutGauge_OffIsZero()
    {
        var gauge = new FlagRolloutGauge();
        var provider = new GaugedFlagProvider(new FakeFlagProvider(), gauge);

        await provider.ReadAsync(Flag, CancellationToken.None);
        var read = Shown(gauge, "checkout-v2");
        await provider.SetRolloutAsync(Flag, 25, CancellationToken.None);
        var reduced = Shown(gauge, "checkout-v2");
        await provider.SetEnabledAsync(Flag, false, CancellationToken.None);

        (read, reduced, Shown(gauge, "checkout-v2")).ShouldBe((50, 25, 0));
        provider.Name.ShouldBe("unleash");
    }

    [Fact]
    public async Task AChangeTheProviderRefuses_LeavesTheGaugeAsItWas()
    {
        var gauge = new FlagRolloutGauge();
        var inner = new FakeFlagProvider { Fails = op => op == "rollout 10" ? new FlagProviderException("503 from unleash") : null };
        var provider = new GaugedFlagProvider(inner, gauge);
        await provider.SetRolloutAsync(Flag, 25, CancellationToken.None);

        await Should.ThrowAsync<FlagProviderException>(() => provider.SetRolloutAsync(Flag, 10, CancellationToken.None));

        Shown(gauge, "checkout-v2").ShouldBe(25);
    }
}
