using Reconciler.Controller.Reconciliation;
using Reconciler.Model.Documents;
using Reconciler.Model.Planning;
using Reconciler.Model.Rendering;

namespace Reconciler.Controller.Observation;

/// <summary>The names whose live state one reconcile needs; <see cref="Fresh"/> bypasses every cache (confirmations, conflicts).</summary>
public sealed record ObservationRequest(IReadOnlyList<string> ProjectNames, IReadOnlyList<string> PipelineNames, bool Fresh = false)
{
    /// <summary>The desired pipeline as the status last saw it in sync, if it did: trusted while ListPipelines shows it unchanged.</summary>
    public KnownPipeline? Known { get; init; }

    /// <summary>
    /// What a spec desires plus what its status says it had (the inventory), so that resources of a removed
    /// stage are observed and can be deleted.
    /// </summary>
    public static ObservationRequest For(DesiredState desired, PipelineStatus? status, bool fresh = false)
    {
        var projects = desired.Projects.Select(p => p.Project.Name).ToList();
        var pipelines = desired.Pipeline is { } pipeline ? new List<string> { pipeline.Declaration.Name } : [];
        foreach (var resource in status?.Resources ?? [])
        {
            if (resource.Kind == nameof(ResourceKind.CodeBuildProject) && !projects.Contains(resource.Name))
            {
                projects.Add(resource.Name);
            }
            else if (resource.Kind == nameof(ResourceKind.CodePipeline) && !pipelines.Contains(resource.Name))
            {
                pipelines.Add(resource.Name);
            }
        }
        KnownPipeline? known = null;
        if (!fresh && desired.Pipeline is { } wanted)
        {
            // The digest is computed only for a pipeline the status has a record of.
            var recorded = status?.Resources.FirstOrDefault(r => r.Observed is not null && r.Name == wanted.Declaration.Name);
            known = recorded is null ? null : KnownPipeline.From(wanted, recorded, ResourceStates.Synced);
        }
        return new ObservationRequest(projects, pipelines, fresh) { Known = known };
    }
}
