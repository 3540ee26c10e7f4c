namespace Watchdog.Actions.Kubernetes;

/// <summary>How one action names the object it changes, in its failures and its Events.</summary>
/// <param name="Display">The incident's name for the object (<c>deployment/NS/NAME</c>): in failures, Events and progress lines.</param>
/// <param name="Verb">What a Warning Event says was not done: <c>Watchdog did not {Verb} {Display}</c>.</param>
/// <param name="EventReason">The reason of every Event the action posts.</param>
/// <param name="NotFound">The failure when the first GET answers 404; kubectl's words where the action does what kubectl does.</param>
/// <param name="ReadFailed">What stands before the server's message when the first GET fails otherwise.</param>
internal sealed record ChangeTarget(string Display, string Verb, string EventReason, string NotFound, string ReadFailed);
