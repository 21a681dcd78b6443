using System.Diagnostics;

namespace Reconciler.Controller.Telemetry;

/// <summary>The CLI's spans: <c>apply</c> is where a commit's trace starts; the documents it writes carry its <c>traceparent</c> (<see cref="Store.SpecApplyOptions.TraceParent"/>).</summary>
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
}
