using Reconciler.Model.Aws;
using Reconciler.Model.Rendering;

namespace Reconciler.Model.Planning;

/// <summary>Decides, from desired and live state, which resources to create, update, delete or release, and which it may not touch.</summary>
public static class Planner
{
    /// <summary>
    /// The plan that converges <paramref name="live"/> to <paramref name="desired"/>. A live resource with a desired
    /// name that <paramref name="owner"/> does not own is a conflict (unless <paramref name="adopt"/>); live resources
    /// that <paramref name="owner"/> owns and that are no longer desired are deleted; others are never touched.
    /// </summary>
    public static Plan Plan(DesiredState desired, LiveState live, OwnershipIdentity owner, bool adopt)
    {
        var projectSteps = new List<PlanStep>();
        var webhookSteps = new List<PlanStep>();
        var pipelineSteps = new List<PlanStep>();
        var deleteSteps = new List<PlanStep>();
        var conflicts = new List<OwnershipConflict>();
        var inSync = new List<ResourceRef>();

        var desiredProjects = new HashSet<string>(StringComparer.Ordinal);
        foreach (var want in desired.Projects)
        {
            var name = want.Project.Name;
            desiredProjects.Add(name);
            if (!live.Projects.TryGetValue(name, out var have))
            {
                projectSteps.Add(new PlanStep(ResourceKind.CodeBuildProject, name, StepAction.Create, []));
                if (want.Webhook is not null)
                {
                    webhookSteps.Add(new PlanStep(ResourceKind.CodeBuildWebhook, name, StepAction.Create, []));
                }
                continue;
            }
            if (!owner.MayChange(have.Tags, adopt))
            {
                conflicts.Add(new OwnershipConflict(ResourceKind.CodeBuildProject, name, OwnershipIdentity.DescribeOwner(have.Tags)));
                continue;
            }
            Classify(ResourceKind.CodeBuildProject, name, ResourceDiff.Project(want.Project, have), projectSteps, inSync);
            switch (want.Webhook, have.Webhook)
            {
                case (null, null):
                    break;
                case ({ }, null):
                    webhookSteps.Add(new PlanStep(ResourceKind.CodeBuildWebhook, name, StepAction.Create, []));
                    break;
                case (null, { }):
                    webhookSteps.Add(new PlanStep(ResourceKind.CodeBuildWebhook, name, StepAction.Delete, []));
                    break;
                case ({ } wantHook, { } haveHook):
                    Classify(ResourceKind.CodeBuildWebhook, name, ResourceDiff.Webhook(wantHook, haveHook), webhookSteps, inSync);
                    break;
            }
        }

        var desiredPipeline = desired.Pipeline?.Declaration.Name;
        if (desired.Pipeline is { } wantPipeline)
        {
            var name = wantPipeline.Declaration.Name;
            if (!live.Pipelines.TryGetValue(name, out var havePipeline))
            {
                pipelineSteps.Add(new PlanStep(ResourceKind.CodePipeline, name, StepAction.Create, []));
            }
            else if (!owner.MayChange(havePipeline.Tags, adopt))
            {
                conflicts.Add(new OwnershipConflict(ResourceKind.CodePipeline, name, OwnershipIdentity.DescribeOwner(havePipeline.Tags)));
            }
            else
            {
                Classify(ResourceKind.CodePipeline, name, ResourceDiff.Pipeline(wantPipeline, havePipeline), pipelineSteps, inSync);
            }
        }

        foreach (var (name, havePipeline) in live.Pipelines.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (name != desiredPipeline && owner.Owns(havePipeline.Tags))
            {
                pipelineSteps.Add(new PlanStep(ResourceKind.CodePipeline, name, StepAction.Delete, []));
            }
        }
        foreach (var (name, have) in live.Projects.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            // Deleting a project deletes its webhook with it.
            if (!desiredProjects.Contains(name) && owner.Owns(have.Tags))
            {
                deleteSteps.Add(new PlanStep(ResourceKind.CodeBuildProject, name, StepAction.Delete, []));
            }
        }

        return new Plan([.. projectSteps, .. webhookSteps, .. pipelineSteps, .. deleteSteps], conflicts, inSync);
    }

    /// <summary>The plan for <c>deletionPolicy: Retain</c>: strip the ownership tags from every live resource <paramref name="owner"/> owns.</summary>
    public static Plan Release(LiveState live, OwnershipIdentity owner)
    {
        var steps = new List<PlanStep>();
        foreach (var (name, project) in live.Projects.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (owner.Owns(project.Tags))
            {
                steps.Add(new PlanStep(ResourceKind.CodeBuildProject, name, StepAction.Release, OwnershipDeltas(project.Tags)));
            }
        }
        foreach (var (name, pipeline) in live.Pipelines.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (owner.Owns(pipeline.Tags))
            {
                steps.Add(new PlanStep(ResourceKind.CodePipeline, name, StepAction.Release, OwnershipDeltas(pipeline.Tags)));
            }
        }
        return new Plan(steps, [], []);
    }

    private static void Classify(ResourceKind kind, string name, IReadOnlyList<FieldDelta> deltas, List<PlanStep> steps, List<ResourceRef> inSync)
    {
        if (deltas.Count == 0)
        {
            inSync.Add(new ResourceRef(kind, name));
        }
        else
        {
            steps.Add(new PlanStep(kind, name, StepAction.Update, deltas));
        }
    }

    private static FieldDelta[] OwnershipDeltas(IReadOnlyList<AwsTag>? tags) =>
        (tags ?? [])
            .Where(t => t.Key.StartsWith(OwnershipTags.Prefix, StringComparison.Ordinal))
            .Select(t => new FieldDelta($"tags[{t.Key}]", JsonSubsetDiff.Compact(System.Text.Json.Nodes.JsonValue.Create(t.Value)), null))
            .ToArray();
}
