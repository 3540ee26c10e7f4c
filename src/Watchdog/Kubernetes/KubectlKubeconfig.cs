using k8s;
using k8s.Authentication;
using k8s.KubeConfigModels;
using YamlDotNet.RepresentationModel;

namespace Watchdog.Kubernetes;

/// <summary>
/// A kubeconfig read by the official client, with the two things kubectl accepts that the library does not: a user
/// with no credentials at all (kubectl then sends none, as against a local proxy or the simulator) and a user's
/// <c>tokenFile</c> (unknown to the library's model; read by its <see cref="TokenFileAuth"/>, once a minute).
/// </summary>
internal static class KubectlKubeconfig
{
    public static KubernetesClientConfiguration Build(string path, string? context)
    {
        var file = KubernetesClientConfiguration.LoadKubeConfig(path);
        var details = file.Contexts.FirstOrDefault(c => c.Name.Equals(context ?? file.CurrentContext ?? "", StringComparison.OrdinalIgnoreCase))?.ContextDetails;
        var user = details?.User is { Length: > 0 } userName ? file.Users.FirstOrDefault(u => u.Name.Equals(userName, StringComparison.OrdinalIgnoreCase)) : null;
        var tokenFile = user is null ? null : TokenFileOf(path, user.Name);
        if (user is not null && !HasAnyLibraryCredential(user.UserCredentials))
        {
            // The library refuses such a user; kubectl talks to the server without credentials (or with the tokenFile's).
            details!.User = null;
        }

        var config = KubernetesClientConfiguration.BuildConfigFromConfigObject(file, context);
        if (tokenFile is not null && config.TokenProvider is null && string.IsNullOrEmpty(config.AccessToken) && string.IsNullOrEmpty(config.Username))
        {
            config.TokenProvider = new TokenFileAuth(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", tokenFile));
        }

        return config;
    }

    /// <summary>Any field the library reads; a half-given pair (a certificate without its key) is left to it to refuse.</summary>
    private static bool HasAnyLibraryCredential(UserCredentials? user) =>
        user is not null && (user.AuthProvider is not null || user.ExternalExecution is not null
            || new[] { user.Token, user.UserName, user.Password, user.ClientCertificate, user.ClientCertificateData, user.ClientKey, user.ClientKeyData }.Any(v => !string.IsNullOrWhiteSpace(v)));

    private static string? TokenFileOf(string path, string userName)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        if (yaml.Documents is not [{ RootNode: YamlMappingNode root }, ..] || !root.Children.TryGetValue("users", out var users) || users is not YamlSequenceNode list)
        {
            return null;
        }

        return list.OfType<YamlMappingNode>()
            .Where(u => u.Children.TryGetValue("name", out var name) && name is YamlScalarNode { Value: { } n } && n.Equals(userName, StringComparison.OrdinalIgnoreCase))
            .Select(u => u.Children.TryGetValue("user", out var credentials) && credentials is YamlMappingNode c && c.Children.TryGetValue("tokenFile", out var file) && file is YamlScalarNode { Value: { Length: > 0 } f } ? f : null)
            .FirstOrDefault();
    }
}
