using System.Globalization;
using Watchdog.Kubernetes;

using Watchdog.Plugins;

namespace Watchdog.Actions.Kubernetes;

/// <summary>
/// <c>scale</c>: what <c>kubectl scale --replicas=N</c> does, to an absolute count (<c>5</c>), by a step (<c>+2</c>,
/// <c>-1</c>) or by a factor (<c>x1.5</c>, rounded up), remembering the count before so <c>restore-replicas</c> can
/// put it back. The runbook's "scale first, then roll back" and "if it persists, scale resources".
/// </summary>
internal sealed class ScaleAction(KubernetesConnection connection) : IRollbackAction, IPlugin
{
    public static string PluginName => "scale";

    public string Name => PluginName;

    // Not idempotent: "+2" applied twice adds four.
    public bool IsIdempotent => false;

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> parameters) => ValidateParameters(parameters);

    public static IReadOnlyList<string> ValidateParameters(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var errors = WorkloadReplicas.ValidateTarget(parameters).ToList();
        if (!parameters.TryGetValue("replicas", out var replicas) || Desired(replicas) is null)
        {
            errors.Add($"replicas: '{replicas}' is not a count (5), a step (+2, -1) or a factor (x1.5)");
        }

        return errors;
    }

    public Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return WorkloadReplicas.ScaleAsync(connection, context, Desired(context.Parameters["replicas"])!, cancellationToken);
    }

    internal static Func<int, int>? Desired(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (text[0] is 'x' or '*' && double.TryParse(text.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) && factor > 0)
        {
            return current => (int)Math.Ceiling(current * factor);
        }

        if (text[0] is '+' or '-' && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var step))
        {
            return current => current + step;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? _ => count : null;
    }
}
