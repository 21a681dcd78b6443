using System.Runtime.CompilerServices;
using Reconciler.Controller.Runtime;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Store;

/// <summary>
/// The one way spec documents are written from outside the controller (<c>apply</c>, <c>demo</c>, GitOps sync): a
/// valid <see cref="SpecSet"/> only; each document created, or updated on the resource version just read (so a
/// concurrent writer is a conflict, never overwritten), or left alone when the store's generation rules
/// (<see cref="ObjectLifecycle.ForUpdate"/>) say nothing it owns would change. The store keeps uid, status and
/// finalizers, and bumps generation only when the spec changes.
/// </summary>
public sealed class SpecApplier(ISpecStore store)
{
    /// <summary>Applies each document in order, yielding its outcome as it is written.</summary>
    /// <exception cref="ArgumentException">The set is not valid: nothing is written.</exception>
    /// <exception cref="StoreConflictException">A document changed under us, or a precondition refused it; the ones before it were written.</exception>
    /// <exception cref="StoreAlreadyExistsException">A document was created by someone else between read and create.</exception>
    public async IAsyncEnumerable<SpecApplyResult> ApplyAsync(SpecSet set, SpecApplyOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!set.IsValid)
        {
            throw new ArgumentException($"an invalid set is never applied: {set.Summary}", nameof(set));
        }
        options ??= new SpecApplyOptions();
        // Templates first: a spec of the set may name one, and the controller resolves it when the spec arrives.
        foreach (var template in set.Templates)
        {
            yield return await ApplyTemplateAsync(template, options, cancellationToken);
        }
        foreach (var document in set.Documents)
        {
            yield return await ApplyAsync(document, options, cancellationToken);
        }
    }

    private async Task<SpecApplyResult> ApplyAsync(PulumiPipeline applied, SpecApplyOptions options, CancellationToken cancellationToken)
    {
        // A writer that stamped its own trace on the document (the sync does) keeps it.
        var document = WithTraceParent(applied, options.TraceParent ?? TraceParentOf(applied));
        var name = document.Metadata.Name;
        var current = await store.GetAsync(name, cancellationToken);
        if (options.Precondition?.Invoke(current, document) is { } refusal)
        {
            throw new StoreConflictException($"{name}: {refusal}");
        }
        if (current is null)
        {
            if (!options.DryRun)
            {
                await store.CreateAsync(document, cancellationToken);
            }
            return new SpecApplyResult(name, SpecApplyResult.Created);
        }
        // Compared with the stored traceparent: a new trace alone is no change.
        if (ObjectLifecycle.ForUpdate(current, WithTraceParent(applied, TraceParentOf(current))).Kind == StoreTransitionKind.Unchanged)
        {
            return new SpecApplyResult(name, SpecApplyResult.Unchanged);
        }
        if (!options.DryRun)
        {
            await store.UpdateAsync(document with { Metadata = document.Metadata with { ResourceVersion = current.Metadata.ResourceVersion } }, cancellationToken);
        }
        return new SpecApplyResult(name, SpecApplyResult.Configured);
    }

    private async Task<SpecApplyResult> ApplyTemplateAsync(PulumiPipelineTemplate template, SpecApplyOptions options, CancellationToken cancellationToken)
    {
        var name = template.Metadata.Name;
        var current = await store.Templates.GetAsync(name, cancellationToken);
        if (current is null)
        {
            if (!options.DryRun)
            {
                await store.Templates.CreateAsync(template, cancellationToken);
            }
            return new SpecApplyResult(name, SpecApplyResult.Created, PulumiPipelineTemplate.KindName);
        }
        var incoming = template with { Metadata = template.Metadata with { ResourceVersion = current.Metadata.ResourceVersion } };
        if (TemplateLifecycle.ForUpdate(current, incoming) is null)
        {
            return new SpecApplyResult(name, SpecApplyResult.Unchanged, PulumiPipelineTemplate.KindName);
        }
        if (!options.DryRun)
        {
            await store.Templates.UpdateAsync(incoming, cancellationToken);
        }
        return new SpecApplyResult(name, SpecApplyResult.Configured, PulumiPipelineTemplate.KindName);
    }

    private static string? TraceParentOf(PulumiPipeline document) =>
        document.Metadata.Annotations?.GetValueOrDefault(RuntimeAnnotations.TraceParent);

    private static PulumiPipeline WithTraceParent(PulumiPipeline document, string? traceParent)
    {
        if (traceParent is null && TraceParentOf(document) is null)
        {
            return document;
        }
        var annotations = new Dictionary<string, string>(document.Metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        annotations.Remove(RuntimeAnnotations.TraceParent);
        if (traceParent is not null)
        {
            annotations[RuntimeAnnotations.TraceParent] = traceParent;
        }
        return document with { Metadata = document.Metadata with { Annotations = annotations } };
    }
}
