using Microsoft.Extensions.Logging;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Observation;
using Reconciler.Model.Aws;
using Reconciler.Model.Planning;
using Reconciler.Model.Rendering;

namespace Reconciler.Controller.Engines;

/// <summary>
/// Executes a plan as CodeBuild and CodePipeline API calls, each step idempotent: a create that finds the resource
/// re-observes it and updates it if it is ours, an update that finds nothing creates, a delete of nothing succeeds.
/// </summary>
public sealed class DirectEngine(ICodeBuildClient codeBuild, ICodePipelineClient codePipeline, ILiveStateReader reader, ILogger<DirectEngine> logger)
    : IConvergeEngine
{
    public const string EngineName = "direct";

    public string Name => EngineName;

    public async Task<ApplyOutcome> ApplyAsync(ConvergeRequest request, CancellationToken cancellationToken)
    {
        var applied = new List<AppliedResource>();
        var errors = new List<ApplyError>();
        var failedProjects = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in request.Plan.Steps)
        {
            // A webhook goes on its project and a pipeline runs the projects: neither may proceed past a failed
            // project step (above all not onto a project that turned out not to be ours).
            if (step.Action != StepAction.Delete
                && ((step.Kind == ResourceKind.CodeBuildWebhook && failedProjects.Contains(step.Name))
                    || (step.Kind == ResourceKind.CodePipeline && failedProjects.Count > 0)))
            {
                errors.Add(new ApplyError(step.Kind, step.Name, step.Action, "DependencyFailed",
                    $"not attempted: the step of CodeBuildProject/{string.Join(", ", failedProjects)} failed"));
                continue;
            }
            try
            {
                if (await ExecuteAsync(step, request, cancellationToken) is { } done)
                {
                    applied.Add(done);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var code = ex switch
                {
                    AwsApiException aws => aws.ErrorCode,
                    OwnershipConflictException => "ResourceConflict",
                    _ => ex.GetType().Name,
                };
                logger.LogWarning("{Action} {Kind}/{Name} failed: {Code}: {Message}", step.Action, step.Kind, step.Name, code, ex.Message);
                errors.Add(new ApplyError(step.Kind, step.Name, step.Action, code, ex.Message));
                if (step.Kind == ResourceKind.CodeBuildProject)
                {
                    failedProjects.Add(step.Name);
                }
            }
        }
        return new ApplyOutcome(
            applied.Count(a => a.Action == StepAction.Create),
            applied.Count(a => a.Action is StepAction.Update or StepAction.Release),
            applied.Count(a => a.Action == StepAction.Delete),
            applied,
            errors);
    }

    private Task<AppliedResource?> ExecuteAsync(PlanStep step, ConvergeRequest request, CancellationToken cancellationToken) =>
        (step.Kind, step.Action) switch
        {
            (ResourceKind.CodeBuildProject, StepAction.Create) => CreateProjectAsync(DesiredProject(request, step.Name).Project, request, cancellationToken),
            (ResourceKind.CodeBuildProject, StepAction.Update) => UpdateProjectAsync(DesiredProject(request, step.Name).Project, request, cancellationToken),
            (ResourceKind.CodeBuildProject, StepAction.Delete) => DeleteAsync(ResourceKind.CodeBuildProject, step.Name, codeBuild.DeleteProjectAsync, cancellationToken),
            (ResourceKind.CodeBuildProject, StepAction.Release) => ReleaseProjectAsync(request.Live.Projects[step.Name], cancellationToken),
            (ResourceKind.CodeBuildWebhook, StepAction.Create) => CreateWebhookAsync(DesiredWebhook(request, step.Name), cancellationToken),
            (ResourceKind.CodeBuildWebhook, StepAction.Update) => UpdateWebhookAsync(DesiredWebhook(request, step.Name), cancellationToken),
            (ResourceKind.CodeBuildWebhook, StepAction.Delete) => DeleteWebhookAsync(step.Name, cancellationToken),
            (ResourceKind.CodePipeline, StepAction.Create) => CreatePipelineAsync(DesiredPipeline(request, step.Name), request, cancellationToken),
            (ResourceKind.CodePipeline, StepAction.Update) => UpdatePipelineAsync(DesiredPipeline(request, step.Name), request.Live.Pipelines[step.Name], step, cancellationToken),
            (ResourceKind.CodePipeline, StepAction.Delete) => DeleteAsync(ResourceKind.CodePipeline, step.Name, codePipeline.DeletePipelineAsync, cancellationToken),
            (ResourceKind.CodePipeline, StepAction.Release) => ReleasePipelineAsync(request.Live.Pipelines[step.Name], cancellationToken),
            _ => throw new InvalidOperationException($"the direct engine cannot {step.Action} a {step.Kind}"),
        };

    private async Task<AppliedResource?> CreateProjectAsync(CodeBuildProject desired, ConvergeRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var created = await codeBuild.CreateProjectAsync(desired, cancellationToken);
            logger.LogInformation("Created CodeBuildProject/{Name}", desired.Name);
            return new AppliedResource(ResourceKind.CodeBuildProject, desired.Name, created.Arn, StepAction.Create);
        }
        catch (AwsAlreadyExistsException)
        {
            // Someone (often an earlier, interrupted apply of ours) made it first: look, then update if it is ours.
            var live = await reader.ObserveAsync(new ObservationRequest([desired.Name], [], Fresh: true), cancellationToken);
            if (!live.Projects.TryGetValue(desired.Name, out var existing))
            {
                var created = await codeBuild.CreateProjectAsync(desired, cancellationToken);
                return new AppliedResource(ResourceKind.CodeBuildProject, desired.Name, created.Arn, StepAction.Create);
            }
            EnsureOwned(request, ResourceKind.CodeBuildProject, desired.Name, existing.Tags);
            if (ResourceDiff.Project(desired, existing).Count == 0)
            {
                return null;
            }
            var updated = await codeBuild.UpdateProjectAsync(desired, cancellationToken);
            return new AppliedResource(ResourceKind.CodeBuildProject, desired.Name, updated.Arn, StepAction.Update);
        }
    }

    private async Task<AppliedResource?> UpdateProjectAsync(CodeBuildProject desired, ConvergeRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var updated = await codeBuild.UpdateProjectAsync(desired, cancellationToken);
            logger.LogInformation("Updated CodeBuildProject/{Name}", desired.Name);
            return new AppliedResource(ResourceKind.CodeBuildProject, desired.Name, updated.Arn, StepAction.Update);
        }
        catch (AwsNotFoundException)
        {
            return await CreateProjectAsync(desired, request, cancellationToken);
        }
    }

    private async Task<AppliedResource?> DeleteAsync(ResourceKind kind, string name, Func<string, CancellationToken, Task> delete, CancellationToken cancellationToken)
    {
        try
        {
            await delete(name, cancellationToken);
            logger.LogInformation("Deleted {Kind}/{Name}", kind, name);
        }
        catch (AwsNotFoundException)
        {
            // Already gone is what we wanted.
        }
        return new AppliedResource(kind, name, null, StepAction.Delete);
    }

    private async Task<AppliedResource?> ReleaseProjectAsync(CodeBuildProject live, CancellationToken cancellationToken)
    {
        // UpdateProject replaces the tag list, so the live project goes back as it is, minus our tags.
        var released = live.WithoutServerFields() with
        {
            Tags = (live.Tags ?? []).Where(t => !t.Key.StartsWith(OwnershipTags.Prefix, StringComparison.Ordinal)).ToList(),
        };
        var updated = await codeBuild.UpdateProjectAsync(released, cancellationToken);
        logger.LogInformation("Released CodeBuildProject/{Name}", live.Name);
        return new AppliedResource(ResourceKind.CodeBuildProject, live.Name, updated.Arn, StepAction.Release);
    }

    private async Task<AppliedResource?> CreateWebhookAsync(WebhookRequest desired, CancellationToken cancellationToken)
    {
        try
        {
            await codeBuild.CreateWebhookAsync(desired, cancellationToken);
            logger.LogInformation("Created CodeBuildWebhook/{Name}", desired.ProjectName);
            return new AppliedResource(ResourceKind.CodeBuildWebhook, desired.ProjectName, null, StepAction.Create);
        }
        catch (AwsAlreadyExistsException)
        {
            await codeBuild.UpdateWebhookAsync(desired, cancellationToken);
            return new AppliedResource(ResourceKind.CodeBuildWebhook, desired.ProjectName, null, StepAction.Update);
        }
    }

    private async Task<AppliedResource?> UpdateWebhookAsync(WebhookRequest desired, CancellationToken cancellationToken)
    {
        try
        {
            await codeBuild.UpdateWebhookAsync(desired, cancellationToken);
            logger.LogInformation("Updated CodeBuildWebhook/{Name}", desired.ProjectName);
            return new AppliedResource(ResourceKind.CodeBuildWebhook, desired.ProjectName, null, StepAction.Update);
        }
        catch (AwsNotFoundException)
        {
            return await CreateWebhookAsync(desired, cancellationToken);
        }
    }

    private async Task<AppliedResource?> DeleteWebhookAsync(string projectName, CancellationToken cancellationToken)
    {
        try
        {
            await codeBuild.DeleteWebhookAsync(projectName, cancellationToken);
            logger.LogInformation("Deleted CodeBuildWebhook/{Name}", projectName);
        }
        catch (AwsNotFoundException)
        {
        }
        return new AppliedResource(ResourceKind.CodeBuildWebhook, projectName, null, StepAction.Delete);
    }

    private async Task<AppliedResource?> CreatePipelineAsync(DesiredPipeline desired, ConvergeRequest request, CancellationToken cancellationToken)
    {
        var name = desired.Declaration.Name;
        try
        {
            await codePipeline.CreatePipelineAsync(desired.Declaration, desired.Tags, cancellationToken);
            logger.LogInformation("Created CodePipeline/{Name}", name);
        }
        catch (AwsAlreadyExistsException)
        {
            var existing = await ReadPipelineAsync(name, cancellationToken);
            if (existing is null)
            {
                await codePipeline.CreatePipelineAsync(desired.Declaration, desired.Tags, cancellationToken);
            }
            else
            {
                EnsureOwned(request, ResourceKind.CodePipeline, name, existing.Tags);
                var deltas = ResourceDiff.Pipeline(desired, existing);
                if (deltas.Count == 0)
                {
                    return null;
                }
                return await UpdatePipelineAsync(desired, existing, new PlanStep(ResourceKind.CodePipeline, name, StepAction.Update, deltas), cancellationToken);
            }
        }
        // CreatePipeline does not answer the ARN; the read also primes the observation cache.
        var created = await ReadPipelineAsync(name, cancellationToken);
        return new AppliedResource(ResourceKind.CodePipeline, name, created?.Metadata?.PipelineArn, StepAction.Create);
    }

    private async Task<AppliedResource?> UpdatePipelineAsync(DesiredPipeline desired, LivePipeline live, PlanStep step, CancellationToken cancellationToken)
    {
        var name = desired.Declaration.Name;
        if (step.Deltas.Any(d => !d.Path.StartsWith("tags[", StringComparison.Ordinal)))
        {
            try
            {
                await codePipeline.UpdatePipelineAsync(desired.Declaration with { Version = live.Declaration.Version }, cancellationToken);
                logger.LogInformation("Updated CodePipeline/{Name}", name);
            }
            catch (AwsNotFoundException)
            {
                await codePipeline.CreatePipelineAsync(desired.Declaration, desired.Tags, cancellationToken);
                var created = await ReadPipelineAsync(name, cancellationToken);
                return new AppliedResource(ResourceKind.CodePipeline, name, created?.Metadata?.PipelineArn, StepAction.Create);
            }
        }
        var arn = live.Metadata?.PipelineArn;
        if (arn is not null)
        {
            await FixPipelineTagsAsync(arn, desired.Tags, live.Tags, cancellationToken);
        }
        return new AppliedResource(ResourceKind.CodePipeline, name, arn, StepAction.Update);
    }

    // CodePipeline keeps tags apart from the declaration: set what differs, remove what is not desired.
    private async Task FixPipelineTagsAsync(string arn, IReadOnlyList<AwsTag> desired, IReadOnlyList<AwsTag> live, CancellationToken cancellationToken)
    {
        var liveByKey = live.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        var desiredKeys = desired.Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
        var toSet = desired.Where(t => !liveByKey.TryGetValue(t.Key, out var value) || value != t.Value).ToList();
        var toRemove = live.Select(t => t.Key)
            .Where(k => !desiredKeys.Contains(k) && !k.StartsWith("aws:", StringComparison.Ordinal))
            .ToList();
        if (toSet.Count > 0)
        {
            await codePipeline.TagResourceAsync(arn, toSet, cancellationToken);
        }
        if (toRemove.Count > 0)
        {
            await codePipeline.UntagResourceAsync(arn, toRemove, cancellationToken);
        }
    }

    private async Task<AppliedResource?> ReleasePipelineAsync(LivePipeline live, CancellationToken cancellationToken)
    {
        var name = live.Declaration.Name;
        var ours = live.Tags.Select(t => t.Key).Where(k => k.StartsWith(OwnershipTags.Prefix, StringComparison.Ordinal)).ToList();
        if (live.Metadata?.PipelineArn is { } arn && ours.Count > 0)
        {
            await codePipeline.UntagResourceAsync(arn, ours, cancellationToken);
            logger.LogInformation("Released CodePipeline/{Name}", name);
        }
        return new AppliedResource(ResourceKind.CodePipeline, name, live.Metadata?.PipelineArn, StepAction.Release);
    }

    private async Task<LivePipeline?> ReadPipelineAsync(string name, CancellationToken cancellationToken)
    {
        var live = await reader.ObserveAsync(new ObservationRequest([], [name], Fresh: true), cancellationToken);
        return live.Pipelines.GetValueOrDefault(name);
    }

    private static void EnsureOwned(ConvergeRequest request, ResourceKind kind, string name, IReadOnlyList<AwsTag>? tags)
    {
        if (!request.Owner.MayChange(tags, request.Adopt))
        {
            throw new OwnershipConflictException($"{kind}/{name} exists and is not owned by this spec (owner: {OwnershipIdentity.DescribeOwner(tags)})");
        }
    }

    private static DesiredProject DesiredProject(ConvergeRequest request, string name) =>
        request.Desired.Projects.First(p => p.Project.Name == name);

    private static WebhookRequest DesiredWebhook(ConvergeRequest request, string name) =>
        DesiredProject(request, name).Webhook ?? throw new InvalidOperationException($"no webhook is desired for {name}");

    private static DesiredPipeline DesiredPipeline(ConvergeRequest request, string name) =>
        request.Desired.Pipeline is { } pipeline && pipeline.Declaration.Name == name
            ? pipeline
            : throw new InvalidOperationException($"pipeline {name} is not desired");
}
