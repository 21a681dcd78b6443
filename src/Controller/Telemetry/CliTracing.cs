using System.Diagnostics;
using Reconciler.Controller.Runtime;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Telemetry;

/// <summary>The CLI's spans: <c>apply</c> is where a commit's trace starts; the documents it writes carry its <c>traceparent</c>.</summary>
public static class CliTracing
{
    public const string SourceName = "Reconciler.Cli";

    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>The span of one <c>apply</c> (null when nobody listens).</summary>
    public static Activity? StartApply(int documents, bool dryRun)
    {
        var activity = Source.StartActivity("apply", ActivityKind.Client);
        activity?.SetTag("reconciler.documents", documents);
        activity?.SetTag("reconciler.dry_run", dryRun);
        return activity;
    }

    /// <summary>
    /// The document with the current span's W3C <c>traceparent</c> in its annotations, so the reconcile it causes links
    /// back to this trace; unchanged when no span is recorded (a link to a trace nobody kept would lead nowhere).
    /// </summary>
    public static PulumiPipeline WithTraceParent(PulumiPipeline document, Activity? activity)
    {
        if (activity is not { Recorded: true })
        {
            return document;
        }
        return WithAnnotation(document, activity.Id);
    }

    /// <summary>
    /// The document with <paramref name="stored"/>'s <c>traceparent</c> (or none): what to compare with the stored copy,
    /// so that applying an unchanged document is "unchanged" although each apply has a trace of its own.
    /// </summary>
    public static PulumiPipeline WithTraceParentOf(PulumiPipeline document, PulumiPipeline stored) =>
        WithAnnotation(document, stored.Metadata.Annotations?.GetValueOrDefault(RuntimeAnnotations.TraceParent));

    private static PulumiPipeline WithAnnotation(PulumiPipeline document, string? traceParent)
    {
        var annotations = new Dictionary<string, string>(document.Metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        annotations.Remove(RuntimeAnnotations.TraceParent);
        if (traceParent is not null)
        {
            annotations[RuntimeAnnotations.TraceParent] = traceParent;
        }
        return document with { Metadata = document.Metadata with { Annotations = annotations } };
    }
}
