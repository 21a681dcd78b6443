using System.Collections.Concurrent;

namespace Reconciler.Controller.Engines;

/// <summary>
/// The engines one controller converges with: the default (<c>--engine</c>) and every other registered engine a spec
/// names in <c>spec.engine</c>, each built on first use from the same context (each reads its own settings from it).
/// </summary>
public sealed class ConvergeEngines
{
    private readonly EngineRegistry _registry;
    private readonly EngineContext _context;
    private readonly ConcurrentDictionary<string, Lazy<IConvergeEngine>> _built = new(StringComparer.Ordinal);

    public ConvergeEngines(EngineRegistry registry, string defaultEngine, EngineContext context)
    {
        _registry = registry;
        _context = context;
        Default = Get(defaultEngine);
    }

    /// <summary>The controller's <c>--engine</c>: the engine of every spec without <c>spec.engine</c>.</summary>
    public IConvergeEngine Default { get; }

    /// <summary>The engine a spec asks for, or the default when it names none.</summary>
    /// <exception cref="FormatException">The name is not registered (validation keeps such specs out).</exception>
    public IConvergeEngine For(string? specEngine) => specEngine is null ? Default : Get(specEngine);

    /// <summary>Whether an engine of this name is registered.</summary>
    public bool Knows(string name) => _registry.Names.Contains(name, StringComparer.Ordinal);

    /// <summary>The named engine, built on first use.</summary>
    public IConvergeEngine Get(string name)
    {
        var definition = _registry.Find(name);
        return _built.GetOrAdd(definition.Name, n => new Lazy<IConvergeEngine>(() => _registry.Create(n, _context))).Value;
    }

    /// <summary>
    /// Makes <paramref name="next"/> the engine of <paramref name="spec"/>'s resources: the engine that held them
    /// (<paramref name="holder"/>) releases its own record of them when it keeps one. The resources are not touched.
    /// </summary>
    /// <returns>Whether there was anything to hand over.</returns>
    public async Task<bool> HandOverAsync(string spec, string? holder, IConvergeEngine next, CancellationToken cancellationToken)
    {
        if (holder is null || holder == next.Name || !Knows(holder))
        {
            return false;
        }
        var previous = Get(holder);
        if ((previous is InvalidatingEngine wrapped ? wrapped.Inner : previous) is IStatefulEngine stateful)
        {
            await stateful.ReleaseAsync(spec, cancellationToken);
        }
        return true;
    }
}
