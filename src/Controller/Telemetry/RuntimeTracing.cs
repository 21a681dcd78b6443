using System.Diagnostics;
using Reconciler.Controller.Runtime;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Telemetry;

/// <summary>The runtime's spans: one <c>reconcile &lt;Kind&gt;</c> per reconcile, linked to the trace that last changed the object.</summary>
public static class RuntimeTracing
{
    public const string SourceName = "Reconciler.Runtime";

    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>Starts the span of one reconcile (null when nobody listens); the caller adds the result.</summary>
    public static Activity? StartReconcile(string kind, string controller, ObjectMeta meta, bool finalizing)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        ActivityLink[]? links = null;
        if (meta.Annotations is { } annotations
            && annotations.TryGetValue(RuntimeAnnotations.TraceParent, out var traceParent)
            && ActivityContext.TryParse(traceParent, null, out var origin))
        {
            links = [new ActivityLink(origin)];
        }
        // A root span: a reconcile runs on a worker's own schedule, not inside whoever changed the object.
        var activity = Source.StartActivity($"reconcile {kind}", ActivityKind.Internal, parentContext: default, links: links);
        activity?.SetTag("reconciler.controller", controller);
        activity?.SetTag("reconciler.object.name", meta.Name);
        activity?.SetTag("reconciler.object.generation", meta.Generation);
        activity?.SetTag("reconciler.finalizing", finalizing);
        return activity;
    }

    /// <summary>Records the outcome on the span: <c>success</c>, <c>requeue_after</c>, <c>error</c> or <c>terminal</c>.</summary>
    public static void SetResult(Activity? activity, string result, TimeSpan? requeueAfter, Exception? error = null)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetTag("reconciler.result", result);
        if (requeueAfter is { } delay)
        {
            activity.SetTag("reconciler.requeue_after_seconds", delay.TotalSeconds);
        }
        if (error is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
            activity.AddException(error);
        }
    }
}
