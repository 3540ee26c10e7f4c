using k8s;
using Microsoft.Extensions.DependencyInjection;
using Watchdog.Configuration;
using Watchdog.Fencing;

namespace Watchdog.Kubernetes;

internal static class KubernetesServiceCollectionExtensions
{
    /// <summary>
    /// The Kubernetes connection, made on first use. The actions that use it are registered by their own folder
    /// (<c>Actions/Kubernetes/</c>), so this folder knows no plug-in.
    /// </summary>
    public static IServiceCollection AddKubernetes(this IServiceCollection services, WatchdogOptions options, KubernetesOptions? kubernetes = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        kubernetes ??= new KubernetesOptions();
        var configFolder = options.ConfigPath.Length > 0 ? Path.GetDirectoryName(Path.GetFullPath(options.ConfigPath)) ?? "." : ".";
        services.AddSingleton(provider =>
        {
            var time = provider.GetService<TimeProvider>() ?? TimeProvider.System;
            // Every write is checked against the leader's term before it leaves (reads pass): a deposed leader changes nothing.
            return new KubernetesConnection(() => new KubernetesClient(ResolveConfig(kubernetes, configFolder, Environment.GetEnvironmentVariable), time, kubernetes.Retry, new FencingHandler()));
        });
        return services;
    }

    /// <summary>
    /// The precedence: explicit in-cluster, an explicit kubeconfig, in-cluster when in a pod, the default kubeconfig
    /// (the first file of <c>$KUBECONFIG</c>, else <c>~/.kube/config</c>). Reading, contexts, credentials and the
    /// in-cluster service account are the official client's; what it throws becomes one error naming the source.
    /// </summary>
    /// <param name="environment">Where <c>KUBECONFIG</c> is read (the library reads the in-cluster variables itself).</param>
    /// <exception cref="KubernetesConfigException">The source cannot be used.</exception>
    public static KubernetesClientConfiguration ResolveConfig(KubernetesOptions kubernetes, string configFolder, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        ArgumentNullException.ThrowIfNull(environment);
        if (kubernetes.Server is { } server)
        {
            return Load($"kubernetes.server {server}", () => ServerConfig(kubernetes, server, configFolder));
        }

        if (kubernetes.InCluster || (kubernetes.Kubeconfig is not { Length: > 0 } && kubernetes.Context is null && KubernetesClientConfiguration.IsInCluster()))
        {
            return Load("in-cluster service account", KubernetesClientConfiguration.InClusterConfig);
        }

        var path = kubernetes.Kubeconfig is { Length: > 0 } given ? Path.Combine(configFolder, given) : DefaultKubeconfig(environment);
        return Load(path, () => KubectlKubeconfig.Build(path, kubernetes.Context));
    }

    // What a kubeconfig with one cluster and one user would give the library; a token file is read by its
    // TokenFileAuth, again whenever it changes, so a rotated token is picked up without a restart.
    private static KubernetesClientConfiguration ServerConfig(KubernetesOptions kubernetes, Uri server, string configFolder) => new()
    {
        Host = server.AbsoluteUri,
        AccessToken = kubernetes.Token,
        TokenProvider = kubernetes.TokenFile is { Length: > 0 } file ? new k8s.Authentication.TokenFileAuth(Path.Combine(configFolder, file)) : null,
        SkipTlsVerify = kubernetes.InsecureSkipTlsVerify,
    };

    private static string DefaultKubeconfig(Func<string, string?> environment) =>
        environment("KUBECONFIG") is { Length: > 0 } list && list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries) is [var first, ..]
            ? first
            : KubernetesClientConfiguration.KubeConfigDefaultLocation;

    private static KubernetesClientConfiguration Load(string origin, Func<KubernetesClientConfiguration> load)
    {
        try
        {
            var config = load();
            // The library loads the client certificate only when a client is made (its loader is internal): make one
            // here, without a request, so a bad certificate or key is reported against the file it is written in.
            using (new k8s.Kubernetes(config))
            {
                return config;
            }
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new KubernetesConfigException([$"{origin}: not a kubeconfig: {ex.Message}"]);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // By design: the library throws KubeConfigException, but also FormatException (base64), CryptographicException
            // (a PEM), IOException and plain Exception (a retired auth provider); each means this source cannot be used.
            throw new KubernetesConfigException([$"{origin}: {ex.Message}"]);
        }
    }
}
