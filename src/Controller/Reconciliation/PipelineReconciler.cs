using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Reconciler.Controller.Engines;
using Reconciler.Controller.Observation;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Telemetry;
using Reconciler.Model.Documents;
using Reconciler.Model.Planning;
using Reconciler.Model.Rendering;
using Reconciler.Model.Templates;
using Reconciler.Model.Validation;

namespace Reconciler.Controller.Reconciliation;

/// <summary>
/// The pipeline controller's reconciler: validate, render, check the access token, observe, diff, converge,
/// then write status (only when it changed). Drift is a non-empty plan for a generation already converged.
/// </summary>
public sealed class PipelineReconciler(
    ILiveStateReader reader,
    ConvergeEngines engines,
    AccessTokenCheck? tokens,
    PipelineStatusWriter statusWriter,
    TimeProvider time,
    PipelineReconcilerOptions options,
    PipelineMetrics metrics,
    ILogger<PipelineReconciler> logger,
    Func<string, PulumiPipelineTemplate?>? templates = null) : IReconciler<PulumiPipeline>
{
    private const int MaxMessageLength = 1024;

    private readonly ConcurrentDictionary<string, Validated> _validated = new(StringComparer.Ordinal);
    // The template (name@generation) each spec being reconciled was merged with, for the status it writes; a key is
    // reconciled by one worker at a time, so the entry is this reconcile's.
    private readonly ConcurrentDictionary<string, string> _templateRefs = new(StringComparer.Ordinal);

    // Retries of a spec whose stack another update holds: their own backoff, so status can say when the next one is.
    private readonly ExponentialBackoff<string> _lockRetries = new(options.LockRetryBase, options.LockRetryMax > options.LockRetryBase ? options.LockRetryMax : options.LockRetryBase);

    public async Task<ReconcileResult> ReconcileAsync(PulumiPipeline document, CancellationToken cancellationToken)
    {
        try
        {
            return await ReconcileSpecAsync(document, cancellationToken);
        }
        catch (StatusTooLargeException e)
        {
            // Retrying cannot help and applying without a record of it would leave untracked resources: only a
            // smaller spec (a new generation) can go on. The Stalled status keeps the resources already recorded.
            // Built on the copy the refused status was for: it carries the resources an intent already recorded.
            var latest = e.Document ?? document;
            var message = e.Message.Length > MaxMessageLength ? e.Message[..MaxMessageLength] : e.Message;
            await WriteAsync(latest, Status(latest).Build(PipelineOutcome.StatusTooLarge, message), cancellationToken);
            throw new TerminalReconcileException(StatusReasons.StatusTooLarge, $"{latest.Metadata.Name}: {message}", e);
        }
    }

    private async Task<ReconcileResult> ReconcileSpecAsync(PulumiPipeline document, CancellationToken cancellationToken)
    {
        var name = document.Metadata.Name;

        var (effective, templateRef) = Resolve(document);
        if (effective is null)
        {
            var message = $"no {PulumiPipelineTemplate.KindName} named \"{document.Spec.Template}\" exists; apply it and this spec is reconciled again";
            await WriteAsync(document, Status(document).Build(PipelineOutcome.MissingTemplate, message), cancellationToken);
            // Not terminal: the template's creation re-enqueues this spec (TemplateDependents), as does every resync.
            return ReconcileResult.Done;
        }

        var (invalid, rendered) = Compile(effective, templateRef);
        if (invalid.Count > 0)
        {
            var message = Summarize(invalid.Select(e => e.ToString()));
            await WriteAsync(document, Status(document).Build(PipelineOutcome.InvalidSpec, message), cancellationToken);
            if (templateRef is not null)
            {
                // A change of the template can make it valid, and that change moves no generation of this spec: not parked.
                return ReconcileResult.Done;
            }
            throw new TerminalReconcileException(StatusReasons.InvalidSpec, $"{name} is invalid: {message}");
        }
        var desired = rendered!;

        if (tokens is not null && effective.Spec.Pulumi.Token() is { } token && !await tokens.ExistsAsync(token, cancellationToken))
        {
            var (missing, message) = token.IsSecret()
                ? (PipelineOutcome.MissingTokenSecret,
                    $"Secrets Manager has no readable secret {token.Secret} (missing, scheduled for deletion, or without the version {token.VersionId ?? token.VersionStage ?? "AWSCURRENT"}); create it with the Pulumi access token")
                : (PipelineOutcome.MissingTokenParameter,
                    $"Parameter Store has no parameter {token.Parameter}; create it (SecureString) with the Pulumi access token");
            await WriteAsync(document, Status(document).Build(missing, message), cancellationToken);
            return ReconcileResult.Requeue(options.MissingTokenRetry);
        }

        var engine = engines.For(document.Spec.Engine);
        await HandOverAsync(document, engine, cancellationToken);

        var live = await reader.ObserveAsync(ObservationRequest.For(desired, document.Status), cancellationToken);
        var owner = OwnershipIdentity.Of(document);
        var adopt = OwnershipIdentity.WantsAdoption(document);
        var plan = Planner.Plan(desired, live, owner, adopt);
        var planned = Status(document, engine) with { Resources = Resources(desired, live, plan, null) };

        if (plan.Conflicts.Count > 0)
        {
            var message = Summarize(plan.Conflicts.Select(c => c.ToString()))
                + $"; nothing was changed. To take over resources no other spec owns, annotate the spec with {OwnershipIdentity.AdoptAnnotation}: \"true\" " +
                "(a resource another spec owns is never adopted: rename a stage or delete that spec)";
            await WriteAsync(document, planned.Build(PipelineOutcome.ResourceConflict, message), cancellationToken);
            return ReconcileResult.Requeue(options.ResyncPeriod);
        }

        if (plan.Steps.Count == 0)
        {
            await WriteAsync(document, planned.Build(PipelineOutcome.Converged, InSync(planned.Resources)), cancellationToken);
            return ReconcileResult.Done;
        }

        var drift = IsDrift(document, templateRef);
        if (drift)
        {
            var paths = Summarize(plan.ChangedPaths());
            metrics.DriftDetected.Add(1, PipelineMetrics.Tags(("policy", effective.Spec.DriftPolicy)));
            logger.LogWarning("Drift detected on {Name} (policy {Policy}): {Paths}", name, effective.Spec.DriftPolicy, paths);
            planned = planned.WithDrift(ConditionStatus.True, StatusReasons.DriftDetected, $"live state differs from the spec: {paths}");
            if (effective.Spec.DriftPolicy == DriftPolicies.Detect)
            {
                await WriteAsync(document, planned.Build(PipelineOutcome.DriftDetected, $"driftPolicy is Detect; not corrected: {paths}"), cancellationToken);
                return ReconcileResult.Done;
            }
        }

        if (await statusWriter.RecordIntentAsync(document, planned.Build(PipelineOutcome.Applying, Describe(plan)), cancellationToken) is not { } recorded)
        {
            // The document changed or went between read and write: its next event reconciles what it now says.
            logger.LogInformation("{Name}: not applying generation {Generation}, the document changed before its intent was recorded", name, document.Metadata.Generation);
            return ReconcileResult.Done;
        }

        var started = time.GetTimestamp();
        var outcome = await engine.ApplyAsync(new ConvergeRequest(owner, adopt, desired, live, plan), cancellationToken);
        var applied = Status(recorded, engine) with { Resources = Resources(desired, live, plan, outcome), LastApply = Record(engine, outcome, time.GetElapsedTime(started)) };
        Count(engine, outcome);

        if (!outcome.Succeeded)
        {
            var errors = Summarize(outcome.Errors.Select(e => e.ToString()));
            if (outcome.Errors.All(e => e.Code == StatusReasons.StackLocked))
            {
                // Nothing was applied: the last apply on record stays, and the spec waits for the lock with its own backoff.
                return await StackLockedAsync(recorded, applied with { LastApply = recorded.Status?.LastApply, Drifted = planned.Drifted }, PipelineOutcome.StackLocked, errors, cancellationToken);
            }
            if (outcome.Errors.Any(e => e.Code == StatusReasons.ResourceConflict))
            {
                await WriteAsync(recorded, applied.Build(PipelineOutcome.ResourceConflict, errors), cancellationToken);
                return ReconcileResult.Requeue(options.ResyncPeriod);
            }
            await WriteAsync(recorded, (applied with { Drifted = planned.Drifted }).Build(PipelineOutcome.ApplyFailed, errors), cancellationToken);
            throw new ConvergeFailedException($"{name}: {errors}");
        }

        applied = drift
            ? applied.WithDrift(ConditionStatus.False, StatusReasons.DriftCorrected, $"corrected: {Summarize(plan.ChangedPaths())}")
            : applied with { Drifted = planned.Drifted };
        if (drift)
        {
            metrics.DriftCorrected.Add(1);
        }
        _lockRetries.Forget(name);
        // The same message as an in-sync resync writes, so the next resync finds nothing to write.
        await WriteAsync(recorded, applied.Build(PipelineOutcome.Converged, InSync(applied.Resources)), cancellationToken);
        return ReconcileResult.Done;
    }

    // A spec that names another engine than the one holding its resources: the holder lets go of them first (a Pulumi
    // stack is removed, the resources stay), and the new engine takes them as they are (the Pulumi engine imports them).
    private async Task HandOverAsync(PulumiPipeline document, IConvergeEngine engine, CancellationToken cancellationToken)
    {
        var holder = Holder(document);
        if (await engines.HandOverAsync(document.Metadata.Name, holder, engine, cancellationToken))
        {
            logger.LogInformation("{Name}: resources handed over from engine {From} to engine {To}", document.Metadata.Name, holder, engine.Name);
        }
    }

    // The engine whose state holds the resources; specs converged before status recorded it name it in their last apply.
    private static string? Holder(PulumiPipeline document) => document.Status?.Engine ?? document.Status?.LastApply?.Engine;

    private async Task<ReconcileResult> StackLockedAsync(PulumiPipeline recorded, PipelineStatusBuilder status, PipelineOutcome outcome, string errors, CancellationToken cancellationToken)
    {
        var delay = _lockRetries.When(recorded.Metadata.Name);
        var retry = time.GetUtcNow() + delay;
        var message = $"{errors}; next retry at {retry.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}";
        await WriteAsync(recorded, status.Build(outcome, message) with { NextRetryTime = retry }, cancellationToken);
        logger.LogInformation("{Name}: stack locked, retrying in {Delay}", recorded.Metadata.Name, delay);
        return ReconcileResult.Requeue(delay);
    }

    public async Task<ReconcileResult> FinalizeAsync(PulumiPipeline document, CancellationToken cancellationToken)
    {
        var name = document.Metadata.Name;
        var owner = OwnershipIdentity.Of(document);
        var nothing = new DesiredState { SpecName = name };
        // The rendered names matter when status never recorded them (a first apply cut short).
        // With its template when it is there (its deletionPolicy may be the template's); else the spec as written.
        var effective = Resolve(document).Effective ?? document;
        var rendered = SpecValidator.Validate(name, effective).Count == 0 ? PipelineRenderer.Render(effective) : nothing;
        var request = ObservationRequest.For(rendered, document.Status, fresh: true);
        var live = await reader.ObserveAsync(request, cancellationToken);

        var retain = effective.Spec.DeletionPolicy == DeletionPolicies.Retain;
        var plan = retain ? Planner.Release(live, owner) : Planner.Plan(nothing, live, owner, adopt: false);
        if (plan.Steps.Count > 0)
        {
            // The engine that holds the resources deletes them (a spec switched since its last converge has not moved yet).
            var engine = Holder(document) is { } holder && engines.Knows(holder) ? engines.Get(holder) : engines.For(document.Spec.Engine);
            var started = time.GetTimestamp();
            var outcome = await engine.ApplyAsync(new ConvergeRequest(owner, false, nothing, live, plan), cancellationToken);
            Count(engine, outcome);
            if (!outcome.Succeeded)
            {
                var errors = Summarize(outcome.Errors.Select(e => e.ToString()));
                if (outcome.Errors.All(e => e.Code == StatusReasons.StackLocked))
                {
                    return await StackLockedAsync(document, Status(document), PipelineOutcome.DeletionLocked, errors, cancellationToken);
                }
                var failed = Status(document) with { LastApply = Record(engine, outcome, time.GetElapsedTime(started)) };
                await WriteAsync(document, failed.Build(PipelineOutcome.DeletionFailed, errors), cancellationToken);
                throw new ConvergeFailedException($"{name}: deletion failed: {errors}");
            }
            logger.LogInformation("{Name}: {Policy} ran {Steps} steps", name, retain ? "Retain released" : "Delete deleted", plan.Steps.Count);
        }
        if (retain)
        {
            Forget(name);
            return ReconcileResult.Done;
        }

        // Deletions are confirmed by looking again before the finalizer may go.
        var after = await reader.ObserveAsync(request, cancellationToken);
        var remaining = Planner.Plan(nothing, after, owner, adopt: false).Steps;
        if (remaining.Count == 0)
        {
            Forget(name);
            return ReconcileResult.Done;
        }
        var waiting = $"waiting for {remaining.Count} resources to be gone: {Summarize(remaining.Select(s => s.Resource.ToString()))}";
        await WriteAsync(document, Status(document).Build(PipelineOutcome.DeletionPending, waiting), cancellationToken);
        return ReconcileResult.Requeue(options.DeletionRecheck);
    }

    // A non-empty plan for a generation already converged (Ready, or drift already on record) is drift.
    // A template change is a change of what the spec asks for, as a new generation is: not drift.
    private static bool IsDrift(PulumiPipeline document, string? templateRef) =>
        document.Status is { } previous
        && previous.ObservedGeneration == document.Metadata.Generation
        && previous.ObservedTemplate == templateRef
        && (Conditions.IsTrue(previous.Conditions, ConditionTypes.Ready) || Conditions.IsTrue(previous.Conditions, ConditionTypes.Drifted));

    private PipelineStatusBuilder Status(PulumiPipeline document) =>
        new(document, time.GetUtcNow()) { ObservedTemplate = _templateRefs.GetValueOrDefault(document.Metadata.Name) };

    /// <summary>The spec to render (merged with its template) and the template's <c>name@generation</c>; a null spec when the template is missing.</summary>
    private (PulumiPipeline? Effective, string? TemplateRef) Resolve(PulumiPipeline document)
    {
        var name = document.Metadata.Name;
        if (document.Spec.Template is not { } templateName)
        {
            _templateRefs.TryRemove(name, out _);
            return (document, null);
        }
        if (templates?.Invoke(templateName) is not { } template)
        {
            _templateRefs.TryRemove(name, out _);
            return (null, null);
        }
        var templateRef = $"{templateName}@{template.Metadata.Generation}";
        _templateRefs[name] = templateRef;
        return (TemplateMerge.Effective(document, template), templateRef);
    }

    // From the engine on, status names the engine that now holds the resources.
    private PipelineStatusBuilder Status(PulumiPipeline document, IConvergeEngine engine) => Status(document) with { Engine = engine.Name };

    private void Forget(string name)
    {
        _lockRetries.Forget(name);
        _validated.TryRemove(name, out _);
        _templateRefs.TryRemove(name, out _);
    }

    // Validation depends only on the spec (what generation versions), the annotations that matter and the uid, so a resync of
    // an unchanged spec reuses its verdict. The rendered state is not kept: it costs tens of microseconds to make
    // again and tens of kilobytes to hold, times every spec, in the steady state's memory.
    private (IReadOnlyList<ValidationError> Errors, DesiredState? Desired) Compile(PulumiPipeline document, string? templateRef)
    {
        var meta = document.Metadata;
        IReadOnlyList<ValidationError> errors;
        var annotations = ReconcilePredicate.Annotations(meta);
        if (_validated.TryGetValue(meta.Name, out var known) && known.Generation == meta.Generation && known.Uid == meta.Uid && known.Annotations == annotations && known.Template == templateRef && meta.Generation > 0)
        {
            errors = known.Errors;
        }
        else
        {
            errors = SpecValidator.Validate(meta.Name, document);
            _validated[meta.Name] = new Validated(meta.Uid, meta.Generation, annotations, templateRef, errors.Count == 0 ? [] : errors);
        }
        return (errors, errors.Count == 0 ? PipelineRenderer.Render(document) : null);
    }

    private Task<PulumiPipeline> WriteAsync(PulumiPipeline document, PipelineStatus status, CancellationToken cancellationToken) =>
        statusWriter.WriteAsync(document, status, cancellationToken);

    private ApplyRecord Record(IConvergeEngine engine, ApplyOutcome outcome, TimeSpan duration) => new()
    {
        Engine = engine.Name,
        Result = outcome.Succeeded ? "Succeeded" : "Failed",
        Creates = outcome.Creates,
        Updates = outcome.Updates,
        Deletes = outcome.Deletes,
        DurationSeconds = Math.Round(duration.TotalSeconds, 3),
        FinishedAt = time.GetUtcNow(),
    };

    private void Count(IConvergeEngine engine, ApplyOutcome outcome)
    {
        metrics.Applies.Add(1, PipelineMetrics.Tags(("engine", engine.Name), ("result", outcome.Succeeded ? "succeeded" : "failed")));
        foreach (var applied in outcome.Resources)
        {
            metrics.ResourceChanges.Add(1, PipelineMetrics.Tags(("kind", applied.Kind.ToString()), ("action", applied.Action.ToString())));
        }
    }

    /// <summary>Each resource the spec has or wants, with its ARN and state after this reconcile.</summary>
    private static IReadOnlyList<ResourceStatus> Resources(DesiredState desired, LiveState live, Plan plan, ApplyOutcome? outcome)
    {
        var states = new Dictionary<ResourceRef, string>();
        foreach (var conflict in plan.Conflicts)
        {
            states[conflict.Resource] = ResourceStates.Conflict;
        }
        foreach (var step in plan.Steps)
        {
            states[step.Resource] = step.Action switch
            {
                StepAction.Create => ResourceStates.Missing,
                StepAction.Update => ResourceStates.Drifted,
                StepAction.Delete => ResourceStates.Extra,
                _ => ResourceStates.Synced,
            };
        }
        var arns = new Dictionary<ResourceRef, string?>();
        var gone = new HashSet<ResourceRef>();
        foreach (var applied in outcome?.Resources ?? [])
        {
            var resource = new ResourceRef(applied.Kind, applied.Name);
            states[resource] = ResourceStates.Synced;
            arns[resource] = applied.Arn;
            if (applied.Action == StepAction.Delete)
            {
                gone.Add(resource);
            }
        }
        foreach (var error in outcome?.Errors ?? [])
        {
            var resource = new ResourceRef(error.Kind, error.Name);
            states[resource] = ResourceStates.Failed;
            gone.Remove(resource);
        }

        var wanted = new List<ResourceRef>();
        foreach (var project in desired.Projects)
        {
            wanted.Add(new ResourceRef(ResourceKind.CodeBuildProject, project.Project.Name));
            if (project.Webhook is not null)
            {
                wanted.Add(new ResourceRef(ResourceKind.CodeBuildWebhook, project.Project.Name));
            }
        }
        if (desired.Pipeline is { } pipeline)
        {
            wanted.Add(new ResourceRef(ResourceKind.CodePipeline, pipeline.Declaration.Name));
        }
        // Resources still to be deleted stay in the inventory, so a later reconcile observes and deletes them.
        wanted.AddRange(plan.Steps.Where(s => s.Action == StepAction.Delete && !gone.Contains(s.Resource)).Select(s => s.Resource));

        return wanted.Distinct().Select(resource => new ResourceStatus
        {
            Kind = resource.Kind.ToString(),
            Name = resource.Name,
            Arn = arns.GetValueOrDefault(resource) ?? LiveArn(live, resource),
            State = states.GetValueOrDefault(resource, ResourceStates.Synced),
        }).ToList();
    }

    private static string? LiveArn(LiveState live, ResourceRef resource) => resource.Kind switch
    {
        ResourceKind.CodeBuildProject => live.Projects.GetValueOrDefault(resource.Name)?.Arn,
        ResourceKind.CodePipeline => live.Pipelines.GetValueOrDefault(resource.Name)?.Metadata?.PipelineArn,
        _ => null,
    };

    private sealed record Validated(string? Uid, long Generation, string Annotations, string? Template, IReadOnlyList<ValidationError> Errors);

    private static string InSync(IReadOnlyList<ResourceStatus> resources) => $"{resources.Count} resources in sync";

    private static string Describe(Plan plan) =>
        $"applying {plan.Count(StepAction.Create)} creates, {plan.Count(StepAction.Update)} updates, {plan.Count(StepAction.Delete)} deletes";

    private static string Summarize(IEnumerable<string> items)
    {
        var text = string.Join("; ", items);
        return text.Length <= MaxMessageLength ? text : text[..(MaxMessageLength - 1)] + "…";
    }
}
