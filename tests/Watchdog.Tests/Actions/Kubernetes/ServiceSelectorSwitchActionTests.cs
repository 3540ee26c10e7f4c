using Watchdog.Actions.Kubernetes;

namespace Watchdog.Tests.Actions.Kubernetes;

public sealed class ServiceSelectorSwitchActionTests
{
    [Fact]
    public void Validate_TheRunbooksSwitch_IsValid()
    {
        ServiceSelectorSwitchAction.ValidateParameters(new Dictionary<string, string>
        {
            ["service"] = "wakala", ["namespace"] = "production", ["selector"] = "version=blue", ["expect"] = "version=green", ["require_ready_pods"] = "false",
        }).ShouldBeEmpty();
        ServiceSelectorSwitchAction.ValidateParameters(new Dictionary<string, string> { ["service"] = "wakala", ["selector"] = "app=wakala,version=blue" }).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_ReportsEveryProblemAtOnce()
    {
        ServiceSelectorSwitchAction.ValidateParameters(new Dictionary<string, string>
        {
            ["namespace"] = " ", ["expect"] = "version", ["require_ready_pods"] = "maybe", ["selectr"] = "version=blue",
        }).ShouldBe(
        [
            "service: required, the Service's name",
            "namespace: empty",
            "selector: required, the labels to switch back to as key=value[,key=value] (e.g. version=blue)",
            "expect: 'version' is not key=value",
            "require_ready_pods: 'maybe' is not true or false",
            "selectr: unknown parameter (service, namespace, selector, expect, require_ready_pods)",
        ]);
    }

    [Fact]
    public void Validate_AnEmptySelector_IsAnErrorOfItsOwn()
    {
        ServiceSelectorSwitchAction.ValidateParameters(new Dictionary<string, string> { ["service"] = "wakala", ["selector"] = "" })
            .ShouldBe(["selector: empty; expected key=value[,key=value] (e.g. version=blue)"]);
    }
}
