using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Watchdog.Kubernetes;

/// <summary>Resolves a kubeconfig context into a <see cref="KubernetesClientConfig"/>, reporting every problem at once.</summary>
public static class KubeconfigLoader
{
    /// <summary>The first file of <c>$KUBECONFIG</c>, else <c>~/.kube/config</c>.</summary>
    public static string DefaultPath(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var list = environment("KUBECONFIG");
        if (!string.IsNullOrEmpty(list))
        {
            return list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)[0];
        }

        return Path.Combine(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
    }

    public static KubernetesClientConfig Load(string path, string? context, TimeProvider time)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            throw new KubernetesConfigException([$"kubeconfig {path}: {ex.Message}"]);
        }

        return Parse(text, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", context, time, path);
    }

    /// <param name="baseDirectory">Relative file names in the kubeconfig resolve against the file's own folder.</param>
    public static KubernetesClientConfig Parse(string yaml, string baseDirectory, string? context, TimeProvider time, string origin = "kubeconfig")
    {
        KubeconfigFile file;
        try
        {
            file = new DeserializerBuilder().IgnoreUnmatchedProperties().Build().Deserialize<KubeconfigFile?>(yaml) ?? new KubeconfigFile();
        }
        catch (YamlException ex)
        {
            throw new KubernetesConfigException([$"{origin}: not a kubeconfig: {ex.Message}"]);
        }

        var errors = new List<string>();
        var contextName = string.IsNullOrEmpty(context) ? file.CurrentContext : context;
        if (string.IsNullOrEmpty(contextName))
        {
            throw new KubernetesConfigException([$"{origin}: no context given and no current-context set"]);
        }

        var named = file.Contexts.FirstOrDefault(c => c.Name == contextName)
            ?? throw new KubernetesConfigException([$"{origin}: context \"{contextName}\" does not exist"]);
        var cluster = file.Clusters.FirstOrDefault(c => c.Name == named.Context.Cluster)?.Cluster;
        if (cluster is null)
        {
            errors.Add($"context \"{contextName}\": cluster \"{named.Context.Cluster}\" does not exist");
        }

        var user = named.Context.User is { Length: > 0 } userName ? file.Users.FirstOrDefault(u => u.Name == userName)?.User : new KubeconfigUser();
        if (user is null)
        {
            errors.Add($"context \"{contextName}\": user \"{named.Context.User}\" does not exist");
        }

        Uri? server = null;
        if (cluster is not null && (!Uri.TryCreate(cluster.Server, UriKind.Absolute, out server) || server.Scheme is not ("http" or "https")))
        {
            errors.Add($"cluster \"{named.Context.Cluster}\": server '{cluster.Server}' is not an http:// or https:// URL");
        }

        var authorities = cluster is null ? null : ReadAuthorities(cluster, baseDirectory, errors);
        var certificate = user is null ? null : ReadClientCertificate(user, baseDirectory, errors);
        var credentials = user is null ? null : ReadCredentials(user, baseDirectory, time, errors);
        if (errors.Count > 0)
        {
            throw new KubernetesConfigException([.. errors.Select(e => $"{origin}: {e}")]);
        }

        return new KubernetesClientConfig
        {
            Server = server!,
            Namespace = named.Context.Namespace is { Length: > 0 } ns ? ns : "default",
            Credentials = credentials,
            CertificateAuthorities = authorities,
            InsecureSkipTlsVerify = cluster!.InsecureSkipTlsVerify,
            ClientCertificate = certificate,
            Origin = $"{origin} context {contextName}",
        };
    }

    private static X509Certificate2Collection? ReadAuthorities(KubeconfigCluster cluster, string baseDirectory, List<string> errors)
    {
        var pem = ReadPem(cluster.CertificateAuthorityData, cluster.CertificateAuthority, baseDirectory, "certificate-authority", errors);
        if (pem is null)
        {
            return null;
        }

        try
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPem(pem);
            return authorities;
        }
        catch (CryptographicException ex)
        {
            errors.Add($"certificate-authority: not a PEM certificate: {ex.Message}");
            return null;
        }
    }

    private static X509Certificate2? ReadClientCertificate(KubeconfigUser user, string baseDirectory, List<string> errors)
    {
        var cert = ReadPem(user.ClientCertificateData, user.ClientCertificate, baseDirectory, "client-certificate", errors);
        var key = ReadPem(user.ClientKeyData, user.ClientKey, baseDirectory, "client-key", errors);
        if (cert is null && key is null)
        {
            return null;
        }

        if (cert is null || key is null)
        {
            errors.Add("client-certificate and client-key must be given together");
            return null;
        }

        try
        {
            using var pem = X509Certificate2.CreateFromPem(cert, key);
            // SslStream on Linux needs a key it can hand to OpenSSL: re-import from PKCS#12 as the spec's notes advise.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException ex)
        {
            errors.Add($"client certificate and key do not load: {ex.Message}"); // never the key itself
            return null;
        }
    }

    private static IKubernetesCredentials? ReadCredentials(KubeconfigUser user, string baseDirectory, TimeProvider time, List<string> errors)
    {
        if (user.Exec is { } exec)
        {
            if (string.IsNullOrEmpty(exec.Command))
            {
                errors.Add("exec: command is required");
            }

            if (exec.ApiVersion != ExecCredentialPlugin.ApiVersionV1)
            {
                errors.Add($"exec: apiVersion '{exec.ApiVersion}' is not supported (only {ExecCredentialPlugin.ApiVersionV1})");
            }

            if (exec.InteractiveMode is not ("Never" or "IfAvailable" or "Always"))
            {
                errors.Add($"exec plugin cannot support interactive mode: unknown interactiveMode: \"{exec.InteractiveMode}\"");
            }

            return new ExecCredentialPlugin(exec, baseDirectory, time);
        }

        if (!string.IsNullOrEmpty(user.Token))
        {
            return StaticCredentials.Bearer(user.Token);
        }

        if (!string.IsNullOrEmpty(user.TokenFile))
        {
            var path = Path.Combine(baseDirectory, user.TokenFile);
            if (!File.Exists(path))
            {
                errors.Add($"tokenFile {path} does not exist");
            }

            return new TokenFileCredentials(path, time);
        }

        if (!string.IsNullOrEmpty(user.Username))
        {
            return StaticCredentials.Basic(user.Username, user.Password ?? "");
        }

        return null;
    }

    private static string? ReadPem(string? data, string? file, string baseDirectory, string field, List<string> errors)
    {
        if (!string.IsNullOrEmpty(data))
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
            catch (FormatException)
            {
                errors.Add($"{field}-data: not base64");
                return null;
            }
        }

        if (string.IsNullOrEmpty(file))
        {
            return null;
        }

        var path = Path.Combine(baseDirectory, file);
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            errors.Add($"{field} {path}: {ex.Message}");
            return null;
        }
    }
}
