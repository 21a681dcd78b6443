using System.Reflection;

namespace Reconciler.Controller.Engines;

/// <summary>The converge engines <c>--engine</c> may name, each with its settings; <see cref="Default"/> holds every one in this program.</summary>
public sealed class EngineRegistry
{
    /// <summary>The name used when none is given.</summary>
    public const string DefaultEngine = DirectEngine.EngineName;

    private readonly Dictionary<string, IEngineDefinition> _byName;

    public EngineRegistry(IEnumerable<IEngineDefinition> definitions)
    {
        Definitions = [.. definitions.OrderBy(d => d.Name, StringComparer.Ordinal)];
        _byName = new Dictionary<string, IEngineDefinition>(StringComparer.Ordinal);
        foreach (var definition in Definitions)
        {
            if (!_byName.TryAdd(definition.Name, definition))
            {
                throw new ArgumentException($"two engines are named '{definition.Name}'", nameof(definitions));
            }
        }
    }

    /// <summary>Every <see cref="IEngineDefinition"/> in this assembly: registering an engine is writing its definition.</summary>
    public static EngineRegistry Default { get; } = Discover(typeof(EngineRegistry).Assembly);

    public IReadOnlyList<IEngineDefinition> Definitions { get; }

    public IEnumerable<string> Names => Definitions.Select(d => d.Name);

    /// <summary>Every engine's settings, for the options of <c>run</c>.</summary>
    public IEnumerable<EngineSetting> Settings => Definitions.SelectMany(d => d.Settings);

    /// <exception cref="FormatException">No engine has that name; the message lists those that do.</exception>
    public IEngineDefinition Find(string name) =>
        _byName.TryGetValue(name, out var definition) ? definition : throw new FormatException(UnknownEngine(name));

    /// <summary>What is wrong with an engine name that is not registered.</summary>
    public string UnknownEngine(string name) =>
        $"engine '{name}' is not available; use {string.Join(" or ", Names.Select(n => $"'{n}'"))}";

    /// <summary>Builds the named engine, wrapped so the reader forgets what the engine changes.</summary>
    public IConvergeEngine Create(string name, EngineContext context) =>
        new InvalidatingEngine(Find(name).Create(context), context.Reader);

    private static EngineRegistry Discover(Assembly assembly) => new(assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && typeof(IEngineDefinition).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
        .Select(t => (IEngineDefinition)Activator.CreateInstance(t)!));
}
