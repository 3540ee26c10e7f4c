using System.Text.Json;
using Watchdog.Sandbox.Demo;
using Xunit.Abstractions;

namespace Watchdog.IntegrationTests.EndToEnd;

/// <summary>
/// Scenario 7: two targets of one daemon breach at once. Both are undone, and neither waits for the other: both
/// plans hold in rollout-wait (the simulator's pods do not become ready) until the test has seen both there, which
/// one plan run after the other could never show, and each run started before the other one ended.
/// </summary>
[Collection(EndToEndTestGroup.Name)]
public sealed class TwoTargetsAtOnceTests(EndToEndWorld world, ITestOutputHelper output)
{
    private const string Cart = "s7-cart";
    private const string Shop = "s7-shop";

    [Fact]
    public async Task TwoTargetsBreachingAtOnce_AreBothRolledBack_AndTheirPlansOverlap()
    {
        string[] names = [Cart, Shop];
        foreach (var name in names)
        {
            await world.DeployAsync(name);
            await world.ReleaseAsync(name, SampleApp.BadImage);
            world.Cluster.FailRollouts(EndToEndWorld.Namespace, name);
        }

        try
        {
            await using var daemon = await world.StartDaemonAsync(output, [.. names.Select(name => new EndToEndTarget(name, $"[{EndToEndWorld.Undo(name)}, {EndToEndWorld.RolloutWait(name)}]"))]);
            var api = daemon.Api;
            foreach (var name in names)
            {
                await api.StepAsync(name, 1, "started");
            }

            foreach (var name in names)
            {
                world.Cluster.HealRollouts(EndToEndWorld.Namespace, name);
            }

            var cart = await daemon.FinishedRunAsync(Cart);
            var shop = await daemon.FinishedRunAsync(Shop);
            output.WriteLine(cart.ToString());
            output.WriteLine(shop.ToString());

            cart.GetProperty("status").GetString().ShouldBe("succeeded", cart.ToString());
            shop.GetProperty("status").GetString().ShouldBe("succeeded", shop.ToString());
            StartOf(shop).ShouldBeLessThan(EndOf(cart), "shop's rollback started before cart's plan ended");
            StartOf(cart).ShouldBeLessThan(EndOf(shop), "cart's rollback started before shop's plan ended");
            foreach (var name in names)
            {
                world.PatchesByWatchdog(name).ShouldBe(1, name);
                world.ImageOf(name).ShouldBe(SampleApp.StableImage, name);
            }
        }
        finally
        {
            foreach (var name in names)
            {
                world.Cluster.HealRollouts(EndToEndWorld.Namespace, name);
            }
        }
    }

    private static DateTimeOffset StartOf(JsonElement run) => run.GetProperty("startedAt").GetDateTimeOffset();

    private static DateTimeOffset EndOf(JsonElement run) => run.GetProperty("completedAt").GetDateTimeOffset();
}
