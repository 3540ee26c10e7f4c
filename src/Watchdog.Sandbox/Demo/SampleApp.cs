namespace Watchdog.Sandbox.Demo;

/// <summary>
/// The demo's checkout service as its metrics describe it: each image has the error rate its release was built to
/// show, and a memory working set over its limit, so what Watchdog reads follows whatever image the simulated cluster
/// runs. <see cref="LeakingImage"/>'s memory grows steadily from the moment it is first seen running.
/// </summary>
internal sealed class SampleApp(Func<string> runningImage, TimeProvider time)
{
    public const string StableImage = "checkout:1.0";
    public const string GoodImage = "checkout:1.1";
    public const string BadImage = "checkout:2.0-bad";
    public const string DegradedImage = "checkout:2.1";
    public const string LeakingImage = "checkout:2.2-leak";
    public const string BadTargetImage = "checkout:3.0-bad";
    public const string BadHotfixImage = "checkout:3.0.1-bad";

    /// <summary>The memory working set over the limit of every image that does not leak.</summary>
    public const double SteadyMemory = 0.42;

    private const double LeakStart = 0.81;
    private const double LeakPerSecond = 0.06;
    private const double LeakCeiling = 0.99;

    private static readonly Dictionary<string, double> ErrorRates = new(StringComparer.Ordinal)
    {
        [StableImage] = 0.002,
        [GoodImage] = 0.003,
        [BadImage] = 0.12,
        [DegradedImage] = 0.07,
        [LeakingImage] = 0.004,
        [BadTargetImage] = 0.11,
        [BadHotfixImage] = 0.13,
    };

    private readonly Lock _lock = new();
    private string? _seen;
    private long _seenSince;

    public string Image => runningImage();

    /// <summary>The share of requests answered 5xx (0-1); an image the demo does not know serves without errors.</summary>
    public double ErrorRate => ErrorRates.GetValueOrDefault(Image);

    /// <summary>
    /// The working set over the memory limit (0-1): steady for every image but <see cref="LeakingImage"/>, whose
    /// memory climbs by 6 points a second from 81 % until it sits just under the limit.
    /// </summary>
    public double MemoryUtilization
    {
        get
        {
            var image = Image;
            lock (_lock)
            {
                // Read lazily (every scrape asks), so the leak starts when the image is first seen running.
                if (_seen != image)
                {
                    (_seen, _seenSince) = (image, time.GetTimestamp());
                }

                return image == LeakingImage
                    ? Math.Min(LeakCeiling, LeakStart + (LeakPerSecond * time.GetElapsedTime(_seenSince).TotalSeconds))
                    : SteadyMemory;
            }
        }
    }
}
