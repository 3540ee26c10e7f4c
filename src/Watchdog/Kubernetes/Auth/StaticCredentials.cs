using System.Net.Http.Headers;
using System.Text;

namespace Watchdog.Kubernetes;

/// <summary>A token or a username and password written in the kubeconfig.</summary>
internal sealed class StaticCredentials(AuthenticationHeaderValue header) : IKubernetesCredentials
{
    public static StaticCredentials Bearer(string token) => new(new AuthenticationHeaderValue("Bearer", token));

    public static StaticCredentials Basic(string username, string password) =>
        new(new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"))));

    public ValueTask<AuthenticationHeaderValue?> GetAuthorizationAsync(bool refresh, CancellationToken cancellationToken) => ValueTask.FromResult<AuthenticationHeaderValue?>(header);

    // Never the token itself: configs get logged.
    public override string ToString() => $"{header.Scheme} (static)";
}
