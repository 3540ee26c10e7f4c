namespace Watchdog.Sandbox.Demo;

/// <summary>
/// The demo's checkout service as its metrics describe it: each image has the error rate its release was built to
/// show, so the rate Watchdog reads follows whatever image the simulated cluster runs.
/// </summary>
internal sealed class SampleApp(Func<string> runningImage)
{
    public const string StableImage = "checkout:1.0";
    public const string GoodImage = "checkout:1.1";
    public const string BadImage = "checkout:2.0-bad";
    public const string DegradedImage = "checkout:2.1";

    private static readonly Dictionary<string, double> ErrorRates = new(StringComparer.Ordinal)
    {
        [StableImage] = 0.002,
        [GoodImage] = 0.003,
        [BadImage] = 0.12,
        [DegradedImage] = 0.07,
    };

    public string Image => runningImage();

    /// <summary>The share of requests answered 5xx (0-1); an image the demo does not know serves without errors.</summary>
    public double ErrorRate => ErrorRates.GetValueOrDefault(Image);
}
