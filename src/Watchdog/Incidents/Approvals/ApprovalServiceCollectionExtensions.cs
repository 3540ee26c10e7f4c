using Microsoft.Extensions.DependencyInjection;
using Watchdog.Actions;
using Watchdog.Configuration;
using Watchdog.Rules;

namespace Watchdog.Incidents.Approvals;

internal static class ApprovalServiceCollectionExtensions
{
    /// <summary>
    /// Registers the approval services (<see cref="IApprovalRequests"/> for the executor) and the escalation loop. Reads the API token files now, at start-up, and
    /// throws if one cannot be read. The host must also register <see cref="IWatchdogStore"/>,
    /// <see cref="Notifications.INotificationOutbox"/>, <see cref="Actions.IApprovalOutcomeHandler"/> and a <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddWatchdogApprovals(
        this IServiceCollection services, WatchdogOptions options, IReadOnlyDictionary<string, CompiledPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(ApprovalSchedule.From(options, policies));
        services.AddSingleton(new Notifications.ApprovalLinks(options.Http.PublicUrl));
        services.AddSingleton(ApiTokenAuthenticator.Create(options.Http.Tokens));
        services.AddSingleton<ApprovalRequester>();
        services.AddSingleton<IApprovalRequests>(provider => provider.GetRequiredService<ApprovalRequester>());
        services.AddSingleton<ApprovalService>();
        services.AddHostedService<ApprovalEscalationLoop>();
        return services;
    }
}
