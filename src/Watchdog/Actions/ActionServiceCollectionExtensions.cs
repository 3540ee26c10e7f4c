using Microsoft.Extensions.DependencyInjection;
using Watchdog.Actions.Flags;
using Watchdog.Plugins;
using Watchdog.Fencing;

namespace Watchdog.Actions;

internal static class ActionServiceCollectionExtensions
{
    /// <summary>
    /// The one registration line of an action plug-in: <typeparamref name="T"/> as an <see cref="IRollbackAction"/>
    /// and, under the name it declares, in the <see cref="PluginRegistry"/> configuration is validated against.
    /// </summary>
    public static IServiceCollection AddAction<T>(this IServiceCollection services)
        where T : class, IRollbackAction, IPlugin
    {
        services.Plugins().Add<T>(PluginKind.Action);
        services.AddSingleton<IRollbackAction, T>();
        return services;
    }

    /// <summary>The actions of this folder and its flag steps; the Kubernetes ones are <c>AddKubernetesActions</c>'.</summary>
    public static IServiceCollection AddBuiltInActions(this IServiceCollection services)
    {
        services.AddHttpClient(WebhookAction.HttpClientName).AddHttpMessageHandler(() => new FencingHandler());
        services.AddAction<WebhookAction>();
        services.AddAction<NotifyOnlyAction>();

        services.AddFlagActions();
        return services;
    }
}
