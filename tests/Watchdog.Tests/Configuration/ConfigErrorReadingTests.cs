using Watchdog.Configuration;

namespace Watchdog.Tests.Configuration;

/// <summary>
/// Validation reads well: errors file by file, each file's by line (the policy files before the config that names
/// them); a target naming a policy whose file has errors is told so, not that the policy is unknown; a policy file's
/// unknown keys and values get a "did you mean", or the list to pick from, as the config's do.
/// </summary>
public sealed class ConfigErrorReadingTests : IDisposable
{
    private readonly ConfigScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public void Load_TargetNamingAPolicyWhoseFileHasErrors_SaysThePolicyHasErrorsAboveNotThatItIsUnknown()
    {
        var policyError = new ConfigError("policies/matrix.yaml", 7, "matrix[0].when", "unknown operator '=>'");
        _scenario.Policies.AddBroken("matrix.yaml", "runbook-matrix", policyError);

        var result = _scenario.Load(ConfigSamples.Minimal);

        result.Errors.Select(e => e.ToString()).ShouldBe(
        [
            "policies/matrix.yaml:7 matrix[0].when: unknown operator '=>'",
            _scenario.At(13, "targets[0].policy: policy 'runbook-matrix' has errors (above)"),
        ]);
    }

    [Fact]
    public void Load_TargetMisspellingAPolicyWhoseFileHasErrors_IsStillUnknownWithTheNearName()
    {
        _scenario.Policies.AddBroken("matrix.yaml", "runbook-matrix", new ConfigError("policies/matrix.yaml", 7, "matrix[0].when", "unknown operator '=>'"));

        var result = _scenario.Load(ConfigSamples.Minimal.Replace("policy: runbook-matrix", "policy: runbok-matrix", StringComparison.Ordinal));

        result.Errors.Select(e => e.ToString()).ShouldContain(_scenario.At(13, "targets[0].policy: unknown policy 'runbok-matrix' (did you mean 'runbook-matrix'?)"));
    }

    [Fact]
    public void Load_ErrorsFoundOutOfOrder_AreListedFileByFileThenByLine()
    {
        // Found in this order: the target's key (reading targets), the policy file's (loading policies), the target's
        // policy (the cross-checks, last) — listed as the files and lines run.
        _scenario.Policies.AddBroken("tree.yaml", "runbook-tree",
            new ConfigError("policies/tree.yaml", 9, "tree.then.action", "required"),
            new ConfigError("policies/tree.yaml", 2, "cooldown", "'x' is not a duration"));
        var yaml = ConfigSamples.Minimal
            .Replace("policy: runbook-matrix", "policy: runbok-matrix\n    dry_rn: true", StringComparison.Ordinal);

        var result = _scenario.Load(yaml);

        result.Errors.Select(e => e.ToString()).ShouldBe(
        [
            "policies/tree.yaml:2 cooldown: 'x' is not a duration",
            "policies/tree.yaml:9 tree.then.action: required",
            _scenario.At(13, "targets[0].policy: unknown policy 'runbok-matrix' (did you mean 'runbook-matrix'?)"),
            _scenario.At(14, "targets[0].dry_rn: unknown key (did you mean 'dry_run'?)"),
        ]);
    }

    [Fact]
    public void Parse_UnknownKeyWithNoNearOne_ListsTheKeysAllowedThere()
    {
        var result = PolicyFileParser.Parse("name: a\nmatrix: [{id: r, when: 'x > 0', action: none, colour: red}]\n", "p.yaml");

        result.Errors.Select(e => e.ToString()).ShouldBe(
            ["p.yaml:2 matrix[0].colour: unknown key (expected one of: id, when, for, action, authority, severity, cooldown, description)"]);
    }

    [Fact]
    public void Parse_MisspeltAction_SuggestsTheNearestAction()
    {
        var result = PolicyFileParser.Parse("name: a\nmatrix: [{id: r, when: 'x > 0', action: rollbak, authority: automatic}]\n", "p.yaml");

        result.Errors.Single().ToString().ShouldEndWith("unknown action 'rollbak': use one of none, monitor, investigate, scale, scale-then-rollback, rollback, stop-writes (did you mean 'rollback'?)");
    }

    [Fact]
    public void Parse_FileWithErrors_StillNamesItsPolicy()
    {
        var result = PolicyFileParser.Parse("name: checkout-rules\nmatrix: [{id: r, when: 'x > 0', action: reboot}]\n", "p.yaml");

        result.Policy.ShouldBeNull();
        result.Name.ShouldBe("checkout-rules");
    }
}
