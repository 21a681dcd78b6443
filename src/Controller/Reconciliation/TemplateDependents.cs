using Microsoft.Extensions.Logging;
using Reconciler.Controller.Runtime;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Reconciliation;

/// <summary>
/// The watch on templates, as controller-runtime's map-function handlers do it: an index of which specs name which
/// template (kept from the spec informer's events), and a template handler that maps a template's change (created,
/// spec changed, deleted) to every spec that names it. The specs are enqueued through a <see cref="BucketRateLimiter"/>
/// on the work queue's delayed adds, so a template used by a thousand specs reaches the workers at the limiter's rate,
/// not as one burst of a thousand converges.
/// </summary>
public sealed class TemplateDependents : IInformerHandler<PulumiPipeline>, IInformerHandler<PulumiPipelineTemplate>
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<string>> _byTemplate = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _templateOf = new(StringComparer.Ordinal);
    private readonly Action<string, TimeSpan> _enqueueAfter;
    private readonly BucketRateLimiter _limiter;
    private readonly ILogger _logger;

    /// <param name="enqueueAfter">Adds a spec to the work queue after a delay (the controller's, which honours shard ownership).</param>
    public TemplateDependents(Action<string, TimeSpan> enqueueAfter, BucketRateLimiter limiter, ILogger logger)
    {
        _enqueueAfter = enqueueAfter;
        _limiter = limiter;
        _logger = logger;
    }

    /// <summary>The specs that name <paramref name="template"/>, by name.</summary>
    public IReadOnlyList<string> Of(string template)
    {
        lock (_gate)
        {
            return _byTemplate.TryGetValue(template, out var names) ? [.. names.Order(StringComparer.Ordinal)] : [];
        }
    }

    void IInformerHandler<PulumiPipeline>.OnAdd(PulumiPipeline added) => Index(added.Metadata.Name, added.Spec.Template);

    void IInformerHandler<PulumiPipeline>.OnUpdate(PulumiPipeline previous, PulumiPipeline current) => Index(current.Metadata.Name, current.Spec.Template);

    void IInformerHandler<PulumiPipeline>.OnDelete(PulumiPipeline deleted) => Index(deleted.Metadata.Name, null);

    void IInformerHandler<PulumiPipeline>.OnResync(PulumiPipeline cached)
    {
    }

    void IInformerHandler<PulumiPipelineTemplate>.OnAdd(PulumiPipelineTemplate added) => FanOut(added, "created");

    void IInformerHandler<PulumiPipelineTemplate>.OnUpdate(PulumiPipelineTemplate previous, PulumiPipelineTemplate current)
    {
        // Labels and annotations of a template change nothing in its specs; only its spec (generation) or identity does.
        if (previous.Metadata.Generation != current.Metadata.Generation || previous.Metadata.Uid != current.Metadata.Uid)
        {
            FanOut(current, "changed");
        }
    }

    void IInformerHandler<PulumiPipelineTemplate>.OnDelete(PulumiPipelineTemplate deleted) => FanOut(deleted, "deleted");

    // The spec informer's resync already enqueues every spec; the template's must not do it again.
    void IInformerHandler<PulumiPipelineTemplate>.OnResync(PulumiPipelineTemplate cached)
    {
    }

    private void FanOut(PulumiPipelineTemplate template, string what)
    {
        var name = template.Metadata.Name;
        var dependents = Of(name);
        if (dependents.Count == 0)
        {
            return;
        }
        var last = TimeSpan.Zero;
        foreach (var spec in dependents)
        {
            last = _limiter.When();
            _enqueueAfter(spec, last);
        }
        _logger.LogInformation("Template {Template} {What}: {Count} dependent specs enqueued over {Spread}", name, what, dependents.Count, last);
    }

    private void Index(string spec, string? template)
    {
        lock (_gate)
        {
            if (_templateOf.TryGetValue(spec, out var before))
            {
                if (before == template)
                {
                    return;
                }
                if (_byTemplate.TryGetValue(before, out var names))
                {
                    names.Remove(spec);
                    if (names.Count == 0)
                    {
                        _byTemplate.Remove(before);
                    }
                }
                _templateOf.Remove(spec);
            }
            if (template is not null)
            {
                _templateOf[spec] = template;
                if (!_byTemplate.TryGetValue(template, out var names))
                {
                    names = new HashSet<string>(StringComparer.Ordinal);
                    _byTemplate[template] = names;
                }
                names.Add(spec);
            }
        }
    }
}
