namespace Watchdog.IntegrationTests.Kubernetes;

/// <summary>Runs a callback once, just before the first PATCH goes out: a concurrent writer between a step's read and its write.</summary>
internal sealed class BeforePatchHandler(Func<Task> beforeFirstPatch) : DelegatingHandler
{
    private int _patches;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Patch && Interlocked.Increment(ref _patches) == 1)
        {
            await beforeFirstPatch();
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
