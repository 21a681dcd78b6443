namespace Reconciler.Controller.Reconciliation;

/// <summary>
/// How a reconcile (or finalize) ends, as status shows it: the phase, the reason every condition carries, which of
/// Ready, Reconciling and Stalled are true, and whether <c>observedGeneration</c> moves to the document's generation
/// (the spec was acted on completely) or keeps the last one that was.
/// </summary>
public sealed record PipelineOutcome(string Phase, string Reason, bool Ready, bool Reconciling, bool Stalled, bool ObservesGeneration)
{
    // Every way a reconcile or finalize ends; PipelineReconciler picks one per exit.
    //                                                                 phase                      reason                               Ready  Reconciling  Stalled observes generation
    public static readonly PipelineOutcome InvalidSpec =           new(StatusPhases.Stalled,      StatusReasons.InvalidSpec,           false, false,       true,   true);
    public static readonly PipelineOutcome MissingTemplate =       new(StatusPhases.Stalled,      StatusReasons.MissingTemplate,       false, false,       true,   true);
    public static readonly PipelineOutcome MissingTokenParameter = new(StatusPhases.Stalled,      StatusReasons.MissingTokenParameter, false, false,       true,   true);
    public static readonly PipelineOutcome MissingTokenSecret =    new(StatusPhases.Stalled,      StatusReasons.MissingTokenSecret,    false, false,       true,   true);
    public static readonly PipelineOutcome ResourceConflict =      new(StatusPhases.Stalled,      StatusReasons.ResourceConflict,      false, false,       true,   true);
    public static readonly PipelineOutcome StatusTooLarge =        new(StatusPhases.Stalled,      StatusReasons.StatusTooLarge,        false, false,       true,   true);
    public static readonly PipelineOutcome Converged =             new(StatusPhases.Ready,        StatusReasons.Converged,             true,  false,       false,  true);
    public static readonly PipelineOutcome DriftDetected =         new(StatusPhases.Drifted,      StatusReasons.DriftDetected,         false, false,       false,  false);
    public static readonly PipelineOutcome Applying =              new(StatusPhases.Reconciling,  StatusReasons.Applying,              false, true,        false,  false);
    public static readonly PipelineOutcome ApplyFailed =           new(StatusPhases.Failed,       StatusReasons.AwsError,              false, true,        false,  false);
    public static readonly PipelineOutcome DeletionFailed =        new(StatusPhases.Deleting,     StatusReasons.AwsError,              false, true,        false,  false);
    public static readonly PipelineOutcome DeletionPending =       new(StatusPhases.Deleting,     StatusReasons.Deleting,              false, true,        false,  false);
    public static readonly PipelineOutcome StackLocked =           new(StatusPhases.Reconciling,  StatusReasons.StackLocked,           false, true,        false,  false);
    public static readonly PipelineOutcome DeletionLocked =        new(StatusPhases.Deleting,     StatusReasons.StackLocked,           false, true,        false,  false);
}
