using Reconciler.Model.Documents;

namespace Reconciler.Model.Rendering;

/// <summary>
/// Two specs whose derived CodeBuild project names meet: spec <c>web</c> with stage <c>prod-deploy</c> and spec
/// <c>web-prod</c> with stage <c>deploy</c> both give <c>web-prod-deploy</c>. Only one of them could own it.
/// </summary>
public sealed record DerivedNameCollision(string ProjectName, string Spec, string Stage, int StageIndex, string OtherSpec, string OtherStage)
{
    public override string ToString() =>
        $"CodeBuild project name \"{ProjectName}\" (spec {Spec}, stage {Stage}) is also derived by spec {OtherSpec} (stage {OtherStage}); " +
        "one AWS resource cannot belong to two specs: rename this stage or one of the specs";

    /// <summary>
    /// The collisions of each of <paramref name="incoming"/> with the others and with <paramref name="existing"/>
    /// (a spec of the same name in both is the incoming version, about to replace the stored one).
    /// </summary>
    public static IReadOnlyList<DerivedNameCollision> Find(IReadOnlyList<PulumiPipeline> incoming, IEnumerable<PulumiPipeline> existing)
    {
        var replaced = incoming.Select(d => d.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var owners = new Dictionary<string, (string Spec, string Stage)>(StringComparer.Ordinal);
        foreach (var document in existing.Where(d => !replaced.Contains(d.Metadata.Name)))
        {
            foreach (var stage in document.Spec.Stages)
            {
                owners.TryAdd(CodeBuildProjectRenderer.ProjectName(document.Metadata.Name, stage.Name), (document.Metadata.Name, stage.Name));
            }
        }
        var collisions = new List<DerivedNameCollision>();
        foreach (var document in incoming)
        {
            var spec = document.Metadata.Name;
            for (var i = 0; i < document.Spec.Stages.Count; i++)
            {
                var stage = document.Spec.Stages[i].Name;
                var project = CodeBuildProjectRenderer.ProjectName(spec, stage);
                if (owners.TryGetValue(project, out var other) && other.Spec != spec)
                {
                    collisions.Add(new DerivedNameCollision(project, spec, stage, i, other.Spec, other.Stage));
                }
                else
                {
                    owners.TryAdd(project, (spec, stage));
                }
            }
        }
        return collisions;
    }
}
