using Microsoft.Extensions.Logging;

namespace Reconciler.Controller.Engines.Pulumi;

/// <summary>
/// The Pulumi engine with variables added to its CLI processes' environment (the demo's and the bench's backend folder,
/// LocalCloud's endpoint and test key), so that the controller's own process environment stays untouched. Not found by
/// <see cref="EngineRegistry.Default"/> (it has no parameterless constructor): a registry is built with it.
/// </summary>
public sealed class PulumiEngineDefinitionWithEnvironment(IReadOnlyDictionary<string, string?> environment) : IEngineDefinition
{
    private readonly PulumiEngineDefinition _engine = new();

    public string Name => _engine.Name;

    public string Description => _engine.Description;

    public IReadOnlyList<EngineSetting> Settings => _engine.Settings;

    public void Validate(IReadOnlyDictionary<string, string> settings) => _engine.Validate(settings);

    public IConvergeEngine Create(EngineContext context) =>
        new PulumiEngine(PulumiEngineDefinition.Options(context.Settings) with { Environment = environment }, context.Loggers.CreateLogger<PulumiEngine>(), context.Time);
}
