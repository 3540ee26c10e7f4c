using Watchdog.Rules;

namespace Watchdog.Configuration;

/// <summary>A policy file read: the compiled policy when it is valid, and every error found in it.</summary>
/// <param name="Name">The name the file gives its policy, valid or not, even when the file has errors: a target that
/// names it is then told the policy has errors, not that it is unknown.</param>
internal sealed record PolicyParseResult(CompiledPolicy? Policy, IReadOnlyList<ConfigError> Errors, string? Name = null);
