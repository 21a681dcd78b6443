using Microsoft.Extensions.Logging;
using Reconciler.Controller.Engines;
using Reconciler.Controller.Engines.Pulumi;

namespace Reconciler.Controller.Cli;

/// <summary>
/// The Pulumi engine as the demo runs it: the CLI processes get the demo's backend folder and LocalCloud's endpoint and
/// test key in their own environment, so the demo's process environment (and its caller's AWS settings) stay untouched.
/// </summary>
internal sealed class DemoPulumiEngineDefinition(IReadOnlyDictionary<string, string?> environment) : IEngineDefinition
{
    private readonly PulumiEngineDefinition _engine = new();

    public string Name => _engine.Name;

    public string Description => _engine.Description;

    public IReadOnlyList<EngineSetting> Settings => _engine.Settings;

    public void Validate(IReadOnlyDictionary<string, string> settings) => _engine.Validate(settings);

    public IConvergeEngine Create(EngineContext context) =>
        new PulumiEngine(PulumiEngineDefinition.Options(context.Settings) with { Environment = environment }, context.Loggers.CreateLogger<PulumiEngine>());
}
