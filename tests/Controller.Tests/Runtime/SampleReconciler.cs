using System.Collections.Concurrent;
using Reconciler.Controller.Runtime;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Tests.Runtime;

/// <summary>A reconciler in the shape the pipeline controller will have: it writes Ready and observedGeneration through a StatusWriter.</summary>
internal sealed class SampleReconciler(StatusWriter<PulumiPipeline, PipelineStatus> status, TimeProvider time) : IReconciler<PulumiPipeline>
{
    private readonly ConcurrentDictionary<string, int> _reconciles = new();
    private readonly ConcurrentDictionary<string, int> _finalizes = new();

    /// <summary>Runs before the status write; a test makes it throw, block or ask to requeue.</summary>
    public Func<PulumiPipeline, CancellationToken, Task<ReconcileResult?>>? Behaviour { get; set; }

    public Func<PulumiPipeline, CancellationToken, Task<ReconcileResult>>? FinalizeBehaviour { get; set; }

    public int Reconciles(string name) => _reconciles.GetValueOrDefault(name);

    public int Finalizes(string name) => _finalizes.GetValueOrDefault(name);

    public int TotalReconciles => _reconciles.Values.Sum();

    public async Task<ReconcileResult> ReconcileAsync(PulumiPipeline entity, CancellationToken cancellationToken)
    {
        _reconciles.AddOrUpdate(entity.Metadata.Name, 1, (_, n) => n + 1);
        if (Behaviour is { } behaviour && await behaviour(entity, cancellationToken) is { } result)
        {
            return result;
        }
        var current = entity.Status ?? new PipelineStatus();
        var ready = new Condition
        {
            Type = ConditionTypes.Ready,
            Status = ConditionStatus.True,
            Reason = "Reconciled",
            Message = "in sync",
            LastTransitionTime = time.GetUtcNow(),
            ObservedGeneration = entity.Metadata.Generation,
        };
        var next = current with
        {
            ObservedGeneration = entity.Metadata.Generation,
            Phase = "Ready",
            Conditions = Conditions.Set(current.Conditions, ready),
        };
        await status.WriteAsync(entity, next, cancellationToken);
        return ReconcileResult.Done;
    }

    public async Task<ReconcileResult> FinalizeAsync(PulumiPipeline entity, CancellationToken cancellationToken)
    {
        _finalizes.AddOrUpdate(entity.Metadata.Name, 1, (_, n) => n + 1);
        return FinalizeBehaviour is { } behaviour ? await behaviour(entity, cancellationToken) : ReconcileResult.Done;
    }
}
